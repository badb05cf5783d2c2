"""The admin is no side door (forum/admin_site.py): it signs in through allauth (its rate limits,
its second step) and opens only to staff whose session passed MFA, superusers included."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib import admin
from django.test import Client

from forum.admin_site import ForumAdminSite
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, log_in, totp_code_now

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/questions/question/", "/admin/moderation/moderationaction/"]


def superuser(*, totp=True):
    user = UserFactory(username="root-rosa", is_staff=True, is_superuser=True)
    if totp:
        TOTP.activate(user, TOTP_SECRET)
    return user


def test_it_is_the_site_every_admin_registers_with():
    assert isinstance(admin.site, ForumAdminSite)


def test_it_sends_the_admin_sign_in_to_allauth(visitor):
    response = visitor.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    response = visitor.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"


def test_it_never_signs_anyone_in_with_djangos_own_password_form(visitor):
    user = superuser()
    response = visitor.post("/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in visitor.session


def test_it_refuses_a_signed_in_member_who_is_not_staff(member):
    assert member.get("/admin/login/").status_code == 403
    assert member.get("/admin/")["Location"].startswith("/admin/login/")


def test_it_asks_a_staff_member_whose_session_skipped_mfa_for_a_code():
    user = superuser()
    for client in (log_in(Client(), user, mfa=False), Client()):
        client.force_login(user)
        for url in ADMIN_PAGES:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
        response = client.get("/admin/login/?next=/admin/accounts/user/")
        assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Faccounts%2Fuser%2F"


def test_it_sends_a_staff_member_without_an_authenticator_to_set_one_up():
    client = Client()
    client.force_login(superuser(totp=False))
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_it_opens_after_allauths_password_and_code():
    user = superuser()
    client = Client()
    response = client.post("/accounts/login/?next=/admin/", {"login": user.email, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/admin/").status_code == 302  # the password alone signs no one in
    client.post("/accounts/2fa/authenticate/", {"code": totp_code_now()})
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 200, url
    # Signed in, the admin's login page goes on to where it was asked to, on this site only.
    assert client.get("/admin/login/?next=/admin/accounts/user/")["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/admin/"


def test_it_opens_to_the_site_admin_fixture(site_admin):
    assert site_admin.get("/admin/").status_code == 200
