"""The authentication backends: Django's and allauth's, loading the session's member together with
their unread notices (one query, where the header's count used to be a second one on every page)
and `expert_needs_mfa`: an expert applicant or verified expert without two-factor authentication,
whose answers would carry no badge — the answer form tells them so, at no extra query."""

from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth.backends import ModelBackend
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from accounts.models import ExpertProfile
from forum.questions.selectors import members_with_unread_count

_BADGE_STATUSES = (ExpertProfile.Status.PENDING, ExpertProfile.Status.VERIFIED)


def members() -> QuerySet:
    applied = ExpertProfile.objects.filter(user=OuterRef("pk"), status__in=_BADGE_STATUSES)
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    needs_mfa = ExpressionWrapper(Q(Exists(applied)) & ~Q(Exists(totp)), output_field=BooleanField())
    return members_with_unread_count().annotate(expert_needs_mfa=needs_mfa)


class _LoadsUnreadCount:
    def get_user(self, user_id):
        user = members().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class MemberModelBackend(_LoadsUnreadCount, ModelBackend):
    """Django's backend (the admin's password check, tests' force_login)."""


class MemberAuthenticationBackend(_LoadsUnreadCount, AuthenticationBackend):
    """allauth's backend (sign-in by email)."""
