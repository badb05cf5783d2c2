from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

display_name_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,28}[A-Za-z0-9]$",
    "Use 3–30 letters, digits, dots, dashes or underscores, starting and ending with a letter or digit.",
)

# Names that would let someone pass as the forum itself or as an anonymous asker.
RESERVED_NAMES = frozenset(
    {"anonymous", "admin", "administrator", "moderator", "moderators", "mod", "staff", "expert",
     "experts", "support", "system", "root", "null", "none", "deleted", "askfreely"}
)  # fmt: skip


class UserManager(DjangoUserManager):
    def create_user(self, username, email=None, password=None, **extra_fields):
        return super().create_user(username, email, password, **extra_fields)


class User(AbstractUser):
    """A member. `username` is the public display name; `email` is the login and never shown."""

    username = models.CharField(
        "display name",
        max_length=30,
        unique=True,
        validators=[display_name_validator],
        help_text="Shown next to what you post under your name. It need not be your real name.",
        error_messages={"unique": "That display name is taken."},
    )
    email = models.EmailField("email address", unique=True)
    first_name = None
    last_name = None

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username
