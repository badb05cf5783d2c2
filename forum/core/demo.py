"""Demo content for `make run`, written in our own words. Idempotent."""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - development only; seed_demo refuses DEBUG off

DEMO_USERS = [
    # (display name, email, role)
    ("sam", "sam@demo.invalid", "member"),
    ("riley", "riley@demo.invalid", "member"),
    ("mod-jordan", "jordan@demo.invalid", "moderator"),
    ("dr-amara", "amara@demo.invalid", "expert"),
    ("lee-therapist", "lee@demo.invalid", "expert"),
]


def _user(username: str, email: str, *, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"email": email, "is_staff": staff})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@transaction.atomic
def seed() -> list[str]:
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    for username, email, role in DEMO_USERS:
        _user(username, email, staff=role == "moderator")
        lines.append(f"  {role:<10} {email}")
    return lines
