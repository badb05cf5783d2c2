"""The one door to the moderation desk: signed in, a moderator, and this session passed MFA."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext

from accounts.mfa import has_mfa, mfa_redirect, session_passed_mfa


def is_moderator(user) -> bool:
    return user.is_authenticated and user.has_perm("moderation.moderate")


def is_moderator_session(request) -> bool:
    """A moderator who owns an authenticator and used it in this session."""
    user = request.user
    # The session check first: it costs no query, so a member's page asks nothing more.
    return session_passed_mfa(request) and is_moderator(user) and has_mfa(user)


def moderator_required(view):
    """Visitor → sign-in page; member → 403; moderator without MFA → sent to set it up;
    moderator whose session did not pass MFA → asked for an authenticator code."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied(gettext("Only moderators can open the moderation desk."))
        next_url = request.get_full_path() if request.method == "GET" else reverse("moderation:queue")
        refused = mfa_redirect(request, next_url=next_url, who="Moderators")
        if refused is not None:
            return refused
        return view(request, *args, **kwargs)

    return wrapper
