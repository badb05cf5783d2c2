"""Two-factor authentication: the one definition of "has MFA" and of "this session passed it".

Owning an authenticator is not the same as having used it: a session signed in some other way
(before the authenticator was added, or by a path that skipped allauth's second step) belongs to
a member who *has* MFA but did not *pass* it. The moderation desk and the admin ask for both.
allauth writes every authentication step of a session into the session
(`allauth.account.authentication.get_authentication_records`); its MFA steps — the code at
sign-in, and a re-authentication with a code — are recorded with the method "mfa".
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy

MFA_METHOD = "mfa"

# Whole sentences per kind of member (a translation can't agree with a word put in from outside):
# (turn MFA on first, confirm this session first), by the `who` the callers pass.
_REFUSALS = {
    "Moderators": (
        gettext_lazy("Moderators must turn on two-factor authentication first."),
        gettext_lazy("Moderators must confirm this session with an authenticator code first."),
    ),
    "Staff members": (
        gettext_lazy("Staff members must turn on two-factor authentication first."),
        gettext_lazy("Staff members must confirm this session with an authenticator code first."),
    ),
}


def has_mfa(user) -> bool:
    """The member owns a TOTP authenticator (recovery codes alone are not a second factor)."""
    from allauth.mfa.models import Authenticator

    if not getattr(user, "is_authenticated", False):
        return False
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_mfa(request) -> bool:
    """This session's signed-in member completed allauth's second factor in it."""
    from allauth.account.authentication import get_authentication_records

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    return any(isinstance(record, dict) and record.get("method") == MFA_METHOD for record in records)


def mfa_redirect(request, *, next_url: str, who: str):
    """None when the signed-in member owns an authenticator and this session passed it;
    otherwise a redirect (with a message) to set one up, or to enter a code now."""
    turn_on, confirm = _REFUSALS.get(who) or (
        gettext("%(who)s must turn on two-factor authentication first.") % {"who": who},
        gettext("%(who)s must confirm this session with an authenticator code first.") % {"who": who},
    )
    if not has_mfa(request.user):
        messages.warning(request, turn_on)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    if not session_passed_mfa(request):
        messages.warning(request, confirm)
        return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")
    return None
