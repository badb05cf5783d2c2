"""The authentication backends: Django's and allauth's, loading the session's member together with
their unread notices (one query, where the header's count used to be a second one on every page)."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from forum.questions.selectors import members_with_unread_count


class _LoadsUnreadCount:
    def get_user(self, user_id):
        user = members_with_unread_count().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class MemberModelBackend(_LoadsUnreadCount, ModelBackend):
    """Django's backend (the admin's password check, tests' force_login)."""


class MemberAuthenticationBackend(_LoadsUnreadCount, AuthenticationBackend):
    """allauth's backend (sign-in by email)."""
