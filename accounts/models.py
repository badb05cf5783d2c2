from typing import ClassVar, cast

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from forum.core.urls import quick_reverse

display_name_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,28}[A-Za-z0-9]$",
    _("Use 3–30 letters, digits, dots, dashes or underscores, starting and ending with a letter or digit."),
)

# How a post whose author deleted their account names them (see services.account_delete).
# Lazy, so it is translated wherever it is shown; typed as the text it becomes there.
FORMER_MEMBER = cast(str, _("a former member"))

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
        _("display name"),
        max_length=30,
        unique=True,
        validators=[display_name_validator],
        help_text=_("Shown next to what you post under your name. It need not be your real name."),
        error_messages={"unique": _("That display name is taken.")},
    )
    email = models.EmailField(_("email address"), unique=True)
    # The language the emails are written in: the interface language at sign-up, then the one
    # the member last chose with the switcher (accounts/languages.py). Never shown to others.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the emails we send you: the one you last chose on the site."),
    )
    first_name = None  # type: ignore[assignment]  # the forum shows a display name only
    last_name = None  # type: ignore[assignment]

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    def get_absolute_url(self) -> str:
        """The public profile (every member's display name is public; their email never is)."""
        return quick_reverse("people:profile", self.username)


class ExpertProfile(models.Model):
    """A member's professional credentials, reviewed by a moderator before answers carry the expert flag."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Not verified")
        REVOKED = "revoked", _("Verification withdrawn")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="expert_profile")
    title = models.CharField(_("professional title"), max_length=80, help_text=_("For example “Clinical sexologist”."))
    credentials = models.TextField(_("credentials and qualifications"), max_length=2000)
    licence_number = models.CharField(_("registration or licence number"), max_length=60)
    licence_body = models.CharField(
        _("issuing body"), max_length=120, help_text=_("Who issued the licence or registration.")
    )
    jurisdiction = models.CharField(max_length=80, help_text=_("Country or state where you are registered."))
    website = models.URLField(
        _("public website"),
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A page where your registration can be checked."),
    )
    bio = models.TextField(
        _("short bio"), max_length=2000, blank=True, help_text=_("Markdown. Shown on your public profile.")
    )
    bio_html = models.TextField(blank=True)
    areas = models.ManyToManyField("questions.Tag", related_name="experts", verbose_name=_("areas of practice"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewer = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    verified_until = models.DateField(null=True, blank=True, help_text=_("Verification lapses after this day."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status", "verified_until"], name="expert_current")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="verified") | models.Q(verified_until__isnull=False),
                name="verified_expert_has_expiry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.title}"

    @property
    def is_current(self) -> bool:
        """Verified and not lapsed. (MFA is enforced when posting and synced when it changes.)"""
        from django.utils import timezone

        return (
            self.status == self.Status.VERIFIED
            and self.verified_until is not None
            and self.verified_until >= timezone.localdate()
        )


class ExpertPhoto(models.Model):
    """An expert's (or applicant's) portrait: the re-encoded JPEG bytes, kept in PostgreSQL so every
    host serves the same file (no local disk). Served at a content-addressed URL
    (`/experts/photos/<sha256>.jpg`) only while its profile is verified, or to its owner and the
    moderators (forum/people/photos.py). What the expert uploaded is never kept: only what Pillow
    wrote from the decoded pixels, with no EXIF, GPS, colour profile or trailing bytes."""

    profile = models.OneToOneField(ExpertProfile, on_delete=models.CASCADE, related_name="photo")
    image = models.BinaryField()
    content_type = models.CharField(max_length=20, default="image/jpeg")
    sha256 = models.CharField(max_length=64, db_index=True)
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="expert_photo_sha256_hex"),
            models.CheckConstraint(
                condition=models.Q(content_type__in=["image/jpeg", "image/webp"]), name="expert_photo_raster_only"
            ),
        ]

    def __str__(self) -> str:
        return f"photo of {self.profile.user}"
