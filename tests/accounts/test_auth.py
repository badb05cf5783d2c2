"""Signing up, confirming, signing in and out, resetting a password, MFA: allauth, wired our way."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def confirmation_link(message) -> str:
    # Links in emails are built on SITE_URL by the task worker (accounts/emails.py), not on the request's Host.
    match = re.search(re.escape(settings.SITE_URL) + r"(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_it_signs_up_confirms_by_email_logs_in_by_email_and_logs_out(
    visitor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the email task is queued on commit
        data = {"email": "new.person@example.com", "username": "quiet-otter", "password1": PASSWORD}
        response = visitor.post("/accounts/signup/", {**data, "password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user.username == "quiet-otter"
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.com"]
    link = confirmation_link(mailoutbox[0])
    assert visitor.get(link).status_code == 200
    assert visitor.post(link).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    visitor.post("/accounts/logout/")
    assert "_auth_user_id" not in visitor.session

    response = visitor.post("/accounts/login/", {"login": "new.person@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert visitor.session["_auth_user_id"] == str(user.pk)

    response = visitor.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in visitor.session


def test_it_does_not_log_in_an_unconfirmed_address(visitor, mailoutbox):
    UserFactory(username="unconfirmed", email="unconfirmed@example.com", verified_email=False)
    response = visitor.post("/accounts/login/", {"login": "unconfirmed@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in visitor.session
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"


def test_it_keeps_the_form_and_explains_a_taken_or_reserved_display_name(visitor):
    UserFactory(username="taken-name")
    for name, message in (("Taken-Name", "taken"), ("Anonymous", "reserved")):
        response = visitor.post(
            "/accounts/signup/",
            {"email": f"{name}@example.com", "username": name, "password1": PASSWORD, "password2": PASSWORD},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert f'value="{name}@example.com"' in html
    assert not User.objects.filter(email__in=["Taken-Name@example.com", "Anonymous@example.com"]).exists()


def test_it_sends_a_password_reset_email(visitor, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(username="forgetful", email="forgetful@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post("/accounts/password/reset/", {"email": "forgetful@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_it_shows_the_mfa_setup_page_to_a_member(visitor, member_user):
    visitor.post("/accounts/login/", {"login": member_user.email, "password": PASSWORD})
    response = visitor.get("/accounts/2fa/")
    assert response.status_code == 200
    assert "Authenticator" in response.content.decode()
    # allauth asks for the password again before MFA changes, even right after login.
    response = visitor.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    visitor.post(response["Location"], {"password": PASSWORD})
    response = visitor.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_it_sends_a_visitor_to_sign_in_for_mfa(visitor):
    response = visitor.get("/accounts/2fa/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_never_shows_the_email_on_the_base_page(member):
    html = member.get("/").content.decode()
    assert "member@example.com" not in html
    assert ">member<" in html
