"""Who stands behind an expert answer now: the one rule, used when posting and when re-checking."""

from .mfa import has_mfa
from .models import ExpertProfile


def can_post_as_expert(user) -> bool:
    """A current verification and MFA switched on: both, or the answer is a member's answer."""
    if user is None:
        return False
    profile = ExpertProfile.objects.filter(user=user).first()
    return profile is not None and profile.is_current and has_mfa(user)
