"""MFA is a property of the session, not of the account: owning an authenticator is not enough
for the moderation desk, the session must have used it (accounts/mfa.py)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory

from accounts.mfa import has_mfa, session_passed_mfa
from forum.moderation.models import ModerationAction
from forum.questions.models import Question
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, log_in, make_question, totp_code_now

pytestmark = pytest.mark.django_db


def moderator_with_totp(username="mod-totp"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="moderators"))
    TOTP.activate(user, TOTP_SECRET)
    return user


def request_for(client, user):
    request = RequestFactory().get("/")
    request.session, request.user = client.session, user
    return request


def test_it_counts_only_a_session_that_passed_the_second_factor():
    user = moderator_with_totp()
    assert has_mfa(user)
    forced = Client()
    forced.force_login(user)
    assert not session_passed_mfa(request_for(forced, user))
    assert not session_passed_mfa(request_for(log_in(Client(), user, mfa=False), user))
    assert session_passed_mfa(request_for(log_in(Client(), user), user))


def test_it_ignores_records_written_for_another_account():
    user, other = moderator_with_totp(), moderator_with_totp("mod-other")
    client = log_in(Client(), user)
    assert not session_passed_mfa(request_for(client, other))


def test_it_does_not_count_recovery_codes_alone_as_having_mfa():
    user = UserFactory()
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"})
    assert not has_mfa(user)


def test_it_asks_a_moderator_whose_session_skipped_mfa_for_a_code_and_does_nothing(moderator_without_mfa_session):
    question = make_question(status="pending")
    response = moderator_without_mfa_session.get("/moderation/log/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fmoderation%2Flog%2F"
    response = moderator_without_mfa_session.post(f"/moderation/question/{question.pk}/approve/")
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fmoderation%2F"
    question.refresh_from_db()
    assert question.status == Question.Status.PENDING and not ModerationAction.objects.exists()
    # Nor does the session see what only moderators see.
    assert moderator_without_mfa_session.get(question.get_absolute_url()).status_code == 404


def test_it_opens_the_desk_after_the_code_is_entered_in_this_session():
    user = moderator_with_totp()
    client = Client()
    client.force_login(user)  # e.g. a session from before the authenticator was added
    assert client.get("/moderation/").status_code == 302
    response = client.post("/accounts/2fa/reauthenticate/?next=/moderation/", {"code": totp_code_now()})
    assert response.status_code == 302 and response["Location"] == "/moderation/"
    assert client.get("/moderation/").status_code == 200


def test_it_opens_the_desk_after_allauths_two_step_sign_in():
    user = moderator_with_totp()
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/moderation/")["Location"].startswith("/accounts/login/")  # not signed in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code_now()})
    assert response.status_code == 302
    assert client.get("/moderation/").status_code == 200
