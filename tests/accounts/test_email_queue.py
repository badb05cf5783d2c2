"""allauth's emails go through the task queue, and the job table never holds their secrets:
the worker makes the confirmation key and the reset token itself (accounts/emails.py)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.mailqueue import make_due, run_worker

pytestmark = pytest.mark.usefixtures("task_queue")

NEW_PASSWORD = "a-new-and-long-passphrase-7"


def job_table() -> str:
    """Every job row as text, arguments, results and tracebacks included."""
    return "\n".join(str(row) for row in DBTaskResult.objects.values_list())


def link(message, path: str) -> str:
    match = re.search(re.escape(settings.SITE_URL) + f"({re.escape(path)}" + r"[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_it_signs_up_while_the_mail_server_is_down_and_confirms_once_the_email_arrives(smtp_server):
    visitor = Client()
    data = {"email": "new.person@example.com", "username": "quiet-otter", "password1": PASSWORD}
    response = visitor.post("/accounts/signup/", {**data, "password2": PASSWORD})
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="new.person@example.com")
    [job] = DBTaskResult.objects.all()
    assert job.args_kwargs["kwargs"] == {
        "template_prefix": "account/email/email_confirmation_signup",
        "address_id": address.pk,
    }

    run_worker()  # refused: tried again later
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    smtp_server.start()
    make_due()
    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == ["new.person@example.com"]
    path = link(mail, "/accounts/confirm-email/")
    key = path.rstrip("/").rsplit("/", 1)[1]
    assert key not in job_table() and "confirm-email" not in job_table()

    assert visitor.post(path).status_code == 302
    assert EmailAddress.objects.get(pk=address.pk).verified


def test_it_sends_a_working_reset_link_it_never_stored(smtp_server):
    smtp_server.start()
    member = UserFactory(username="forgetful", email="forgetful@example.com")
    visitor = Client()
    assert visitor.post("/accounts/password/reset/", {"email": "forgetful@example.com"}).status_code == 302
    [job] = DBTaskResult.objects.all()
    assert job.args_kwargs["kwargs"] == {
        "template_prefix": "account/email/password_reset_key",
        "user_id": member.pk,
        "email": "forgetful@example.com",
    }
    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == ["forgetful@example.com"]
    path = link(mail, "/accounts/password/reset/key/")
    assert path.split("/")[-2] not in job_table() and "reset/key" not in job_table()

    response = visitor.get(path)
    assert response.status_code == 302  # allauth moves the key into the session
    response = visitor.post(response["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).check_password(NEW_PASSWORD)


def test_it_tells_an_unknown_address_it_has_no_account_and_then_forgets_the_address(smtp_server):
    smtp_server.start()
    assert Client().post("/accounts/password/reset/", {"email": "nobody@example.com"}).status_code == 302
    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == ["nobody@example.com"]
    assert "/accounts/signup/" in mail.body
    assert "nobody@example.com" not in job_table(), "a finished job keeps no arguments"


def test_it_sends_nothing_for_an_address_confirmed_before_the_job_ran(smtp_server):
    smtp_server.start()
    visitor = Client()
    data = {"email": "quick@example.com", "username": "quick-hare", "password1": PASSWORD}
    assert visitor.post("/accounts/signup/", {**data, "password2": PASSWORD}).status_code == 302
    EmailAddress.objects.filter(email="quick@example.com").update(verified=True)
    run_worker()
    assert smtp_server.messages == []


def test_it_builds_the_reset_link_on_site_url_whatever_the_host_header(smtp_server, settings):
    """A reset asked for with a forged Host (say an alias left in ALLOWED_HOSTS) still links to the site."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "attacker.example"]
    smtp_server.start()
    UserFactory(username="target", email="target@example.com")
    response = Client(HTTP_HOST="attacker.example").post("/accounts/password/reset/", {"email": "target@example.com"})
    assert response.status_code == 302
    run_worker()
    [mail] = smtp_server.messages
    assert "attacker.example" not in mail.body
    assert link(mail, "/accounts/password/reset/key/")
