"""The one door to the moderation desk: signed in, a moderator, and protected by MFA."""

from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect


def has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def is_moderator(user) -> bool:
    return user.is_authenticated and user.has_perm("moderation.moderate")


def moderator_required(view):
    """Visitor → sign-in page; member → 403; moderator without MFA → sent to set it up."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied("Only moderators can open the moderation desk.")
        if not has_mfa(request.user):
            messages.warning(request, "Moderators must turn on two-factor authentication before using the desk.")
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper
