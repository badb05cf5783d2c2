"""Emailing the private link to oneself, once (issue 15): through the real queue to a real SMTP
server on loopback; the address is used for that one email and never stored readable."""

import json
import logging
import time

import pytest
from cryptography.fernet import InvalidToken
from django.core.cache import caches
from django.test import Client
from django_tasks_db.models import DBTaskResult

from forum.questions.key_link_mail import ALREADY_SENT, LINK_TTL, seal_link, unseal_link
from forum.questions.models import Question
from tests.factories import make_question
from tests.mailqueue import make_due, run_worker
from tests.questions.test_asker_email import assert_nowhere_in_the_database
from tests.questions.test_asker_email_delivery import logged

ADDRESS = "keep.my.link+forum@example.org"
TITLE = "Is it normal to feel shy about asking my partner for what I like?"


@pytest.fixture
def asked(task_queue, smtp_server, settings):
    """A visitor's published question, its private page open in the visitor's browser."""
    settings.SITE_URL = "https://forum.example.org"
    caches["counters"].clear()  # rate-limit counters: committed tables outlive a test
    question = make_question(title=TITLE)
    question.browser = Client()
    assert question.browser.get(f"/questions/key/{question.key}/").status_code == 200
    return question


def send(question, address=ADDRESS, *, key=None, browser=None):
    data = {"key": question.key if key is None else key, "link_email": address}
    return (browser or question.browser).post(f"/questions/{question.pk}/email-link/", data)


def test_it_emails_the_link_once_and_no_readable_address_remains(asked, smtp_server, caplog):
    caplog.set_level(logging.DEBUG)
    smtp_server.start()
    page = asked.browser.get(f"/questions/key/{asked.key}/").content.decode()
    assert "Email me this link" in page and f'action="/questions/{asked.pk}/email-link/"' in page

    response = send(asked)
    assert response.status_code == 302 and response["Location"] == f"/questions/key/{asked.key}/"
    asked.refresh_from_db()
    assert asked.key_link_emailed_at is not None
    job = DBTaskResult.objects.get(status="READY")
    queued = json.dumps(job.args_kwargs)
    assert ADDRESS not in queued and ADDRESS.split("@")[0] not in queued and asked.key not in queued
    assert job.args_kwargs["kwargs"].keys() == {"sealed", "language"} and job.args_kwargs["kwargs"]["language"] == "en"
    assert_nowhere_in_the_database()  # sealed in the job row, readable nowhere

    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == [ADDRESS]
    assert mail.message["Subject"] == "[Ask Freely] Your private link"
    assert f"https://forum.example.org/questions/key/{asked.key}/" in mail.body
    assert "Someone asked on Ask Freely for this link" in mail.body
    for private in (TITLE, TITLE[:20], asked.body[:20], f"#{asked.pk}"):
        assert private not in mail.body and private not in mail.message["Subject"]

    # After sending: the job's arguments are blanked; no table, log line or page holds the address.
    for finished in DBTaskResult.objects.all():
        assert finished.args_kwargs == {"args": [], "kwargs": {}}
    assert_nowhere_in_the_database()
    assert ADDRESS not in logged(caplog)
    page = asked.browser.get(f"/questions/key/{asked.key}/").content.decode()
    assert ADDRESS not in page and "The link was emailed once" in page and 'name="link_email"' not in page


def test_it_refuses_a_second_email_politely(asked, smtp_server):
    smtp_server.start()
    assert send(asked).status_code == 302
    run_worker()
    again = send(asked, "someone.else@example.org")
    assert again.status_code == 400
    assert ALREADY_SENT in again.content.decode()
    assert not DBTaskResult.objects.filter(status="READY").exists()
    run_worker()
    assert len(smtp_server.messages) == 1


def test_it_keeps_the_typed_address_beside_its_error_and_sends_nothing(asked):
    response = send(asked, "not an address")
    html = response.content.decode()
    assert response.status_code == 400 and "Please enter a valid email address." in html
    assert 'value="not an address"' in html
    asked.refresh_from_db()
    assert asked.key_link_emailed_at is None and not DBTaskResult.objects.exists()


def test_it_needs_the_key_itself(asked):
    other = make_question(title="Another visitor's question about something else")
    assert send(asked, key="").status_code == 403  # the session that asked is not enough
    assert send(asked, key=other.key).status_code == 403
    assert send(asked, key=asked.key[:-1] + ("A" if asked.key[-1] != "A" else "B")).status_code == 403
    assert asked.browser.get(f"/questions/{asked.pk}/email-link/").status_code == 405
    asked.refresh_from_db()
    assert asked.key_link_emailed_at is None and not DBTaskResult.objects.exists()


def test_it_limits_one_source_to_five_an_hour(asked):
    statuses = []
    browser = Client()
    for n in range(6):
        question = asked if n == 0 else make_question(title=f"A visitor's question number {n} about shyness")
        statuses.append(send(question, f"reader{n}@example.org", browser=browser).status_code)
    assert statuses == [302] * 5 + [429]
    assert DBTaskResult.objects.count() == 5


def test_it_sends_nothing_for_a_question_deleted_meanwhile(asked, smtp_server):
    smtp_server.start()
    send(asked)
    asked.browser.post(f"/questions/{asked.pk}/delete/", {"key": asked.key, "confirm": "yes"})
    run_worker()
    assert smtp_server.messages == []
    assert_nowhere_in_the_database()


def test_it_retries_a_refused_connection_and_the_queue_never_holds_a_readable_address(asked, smtp_server, caplog):
    send(asked)
    run_worker()  # the server is down: connection refused, retried later
    assert DBTaskResult.objects.filter(status="READY").exists()
    assert_nowhere_in_the_database()
    smtp_server.start()
    make_due()
    run_worker()
    assert [m.recipients for m in smtp_server.messages] == [[ADDRESS]]
    assert_nowhere_in_the_database()
    assert ADDRESS not in logged(caplog)


def test_it_never_opens_a_sealed_copy_older_than_its_lifetime(monkeypatch):
    sealed = seal_link(email=ADDRESS, key="k" * 22, question_id=1)
    assert unseal_link(sealed) == (ADDRESS, "k" * 22, 1)
    now = time.time()
    monkeypatch.setattr("cryptography.fernet.time.time", lambda: now + LINK_TTL + 60)
    with pytest.raises(InvalidToken):
        unseal_link(sealed)


@pytest.mark.django_db
def test_it_offers_nothing_to_send_for_a_removed_question():
    question = make_question(title="A visitor's question that was then deleted")
    Question.objects.filter(pk=question.pk).update(status=Question.Status.REMOVED)
    response = Client().post(f"/questions/{question.pk}/email-link/", {"key": question.key, "link_email": ADDRESS})
    assert response.status_code == 404


def test_it_keeps_only_the_day_and_shows_it_to_no_one(asked, site_admin):
    assert send(asked).status_code == 302
    asked.refresh_from_db()
    sent = asked.key_link_emailed_at
    assert (sent.hour, sent.minute, sent.second, sent.microsecond) == (0, 0, 0, 0)  # no time a mail log could match
    page = site_admin.get(f"/admin/questions/question/{asked.pk}/change/")
    assert page.status_code == 200
    assert "key_link_emailed_at" not in page.content.decode() and "Key link emailed" not in page.content.decode()
