"""The email an accountless asker receives (issue 14): through the real queue to a real SMTP
server on loopback, with its links and headers, and the address nowhere but in that message."""

import datetime
import json
import logging
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forum.answers.models import Comment
from forum.core.logging import JsonFormatter
from forum.questions import notifications
from forum.questions.models import AskerContact, Question
from forum.questions.services import question_publish
from tests.factories import UserFactory, make_answer
from tests.mailqueue import make_due, run_worker
from tests.questions.test_asker_email import ADDRESS, BODY, TITLE, ask_data, every_row_as_text

ANSWER = "Feeling low after intimacy has a name, and it is common; here is what helps."


@pytest.fixture
def asked(task_queue, smtp_server, settings):
    """A visitor asks through the form, leaving an address; a moderator publishes the question."""
    settings.SITE_URL = "https://forum.example.org"
    browser = Client()
    response = browser.post("/questions/ask/", ask_data(asker_email=ADDRESS))
    assert response.status_code == 302
    question = question_publish(question=Question.objects.get())
    question.key = response["Location"].split("/")[3]
    question.browser = browser
    return question


def logged(caplog) -> str:
    """Every record as the JSON logger writes it, and the raw messages (not the test's SMTP server)."""
    records = [r for r in caplog.records if r.name != "mail.log"]
    formatter = JsonFormatter()
    return "\n".join([formatter.format(r) for r in records] + [r.getMessage() for r in records])


def test_it_emails_the_asker_with_the_private_link_and_a_one_click_stop(asked, smtp_server, caplog):
    caplog.set_level(logging.DEBUG)
    smtp_server.start()
    make_answer(question=asked, author=UserFactory(username="helper"), body=ANSWER)
    job = DBTaskResult.objects.get(status="READY")
    assert ADDRESS not in json.dumps(job.args_kwargs)  # the job holds ids only
    assert set(job.args_kwargs["kwargs"]) == {"contact_id", "kind"}

    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == [ADDRESS]
    assert mail.message["Subject"] == "[Ask Freely] Your question has a new answer"
    body = mail.body
    assert f"https://forum.example.org/questions/key/{asked.key}/" in body
    stop_url = re.search(r"https://forum\.example\.org/questions/asker-email/stop/[^/\s]+/", body).group(0)
    assert mail.message["List-Unsubscribe"].strip() == f"<{stop_url}>"  # (folded: a long line)
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for private in (TITLE, BODY[:30], ANSWER[:30], "helper"):
        assert private not in body and private not in mail.message["Subject"]

    # Following the private link opens the page; the stop link's one POST (no cookie, no token) erases.
    assert Client().get(f"/questions/key/{asked.key}/").status_code == 200
    path = stop_url.removeprefix("https://forum.example.org")
    assert Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not AskerContact.objects.exists()

    assert ADDRESS not in logged(caplog)
    finished = DBTaskResult.objects.get()
    assert ADDRESS not in f"{finished.args_kwargs} {finished.traceback} {finished.return_value}"


def test_it_emails_about_a_clarification_but_not_about_the_askers_own(asked, smtp_server):
    smtp_server.start()
    own = Comment.objects.create(question=asked, by_asker=True, body="More detail from me.", body_html="<p>x</p>")
    notifications.announce_comment(comment=own)
    assert not DBTaskResult.objects.exists()

    other = Comment.objects.create(question=asked, author=UserFactory(), body="How long?", body_html="<p>x</p>")
    notifications.announce_comment(comment=other)
    run_worker()
    [mail] = smtp_server.messages
    assert mail.message["Subject"] == "[Ask Freely] Your question has a new clarification"
    assert "How long?" not in mail.body


def test_it_sends_one_email_in_ten_minutes_however_many_answers(asked, smtp_server):
    smtp_server.start()
    for number in range(3):
        make_answer(question=asked, author=UserFactory(), body=f"Answer number {number} with enough words in it.")
    run_worker()
    assert len(smtp_server.messages) == 1
    AskerContact.objects.update(last_sent_at=timezone.now() - datetime.timedelta(minutes=11))
    make_answer(question=asked, author=UserFactory())
    run_worker()
    assert len(smtp_server.messages) == 2


def test_it_sends_nothing_for_a_quiet_thread_and_erases_the_address(asked, smtp_server):
    smtp_server.start()
    make_answer(question=asked, author=UserFactory())  # queued, not yet run
    old = timezone.now() - datetime.timedelta(days=31)
    Question.objects.filter(pk=asked.pk).update(last_activity_at=old)
    AskerContact.objects.update(created_at=old)
    run_worker()
    assert smtp_server.messages == []
    assert not AskerContact.objects.exists()


def test_it_sends_nothing_once_the_asker_stopped_or_deleted(asked, smtp_server):
    smtp_server.start()
    make_answer(question=asked, author=UserFactory())
    asked.browser.post(f"/questions/{asked.pk}/delete/", {"key": asked.key, "confirm": "yes"})
    run_worker()
    assert smtp_server.messages == []


def test_it_retries_a_refused_connection_and_the_queue_never_holds_the_address(asked, smtp_server, caplog):
    make_answer(question=asked, author=UserFactory())
    run_worker()  # the server is down: connection refused, retried later
    assert DBTaskResult.objects.filter(status="READY").exists()
    smtp_server.start()
    make_due()
    run_worker()
    assert [m.recipients for m in smtp_server.messages] == [[ADDRESS]]
    for job in DBTaskResult.objects.all():
        assert ADDRESS not in f"{job.args_kwargs} {job.traceback} {job.return_value}"
    assert ADDRESS not in logged(caplog)


def test_it_gives_up_on_a_refused_recipient_naming_no_one(asked, smtp_server, caplog):
    class RefusingServer(type(smtp_server)):
        async def handle_RCPT(self, server, session, envelope, address, options):  # aiosmtpd's hook
            return "550 No such mailbox"

    smtp_server.__class__ = RefusingServer
    smtp_server.start()
    make_answer(question=asked, author=UserFactory())
    run_worker()
    job = DBTaskResult.objects.get()
    assert job.exception_class_path == "forum.core.tasks.TaskGaveUp"
    assert ADDRESS not in f"{job.args_kwargs} {job.traceback}" and ADDRESS not in logged(caplog)


def test_it_erases_an_address_no_configured_key_can_open(asked, smtp_server, settings):
    smtp_server.start()
    make_answer(question=asked, author=UserFactory())
    settings.ASKER_EMAIL_KEYS = ["x3YTWWYPxZf2l7YQ9oFTQx7CE1JIaVu3p0xxb0nBmDg="]  # the old key was dropped
    run_worker()
    assert smtp_server.messages == [] and not AskerContact.objects.exists()


def test_it_decrypts_with_an_older_key_after_rotation(asked, smtp_server, settings):
    smtp_server.start()
    settings.ASKER_EMAIL_KEYS = ["x3YTWWYPxZf2l7YQ9oFTQx7CE1JIaVu3p0xxb0nBmDg=", *settings.ASKER_EMAIL_KEYS]
    make_answer(question=asked, author=UserFactory())
    run_worker()
    assert [m.recipients for m in smtp_server.messages] == [[ADDRESS]]


def test_it_leaves_the_address_in_no_page_cache_entry_task_row_or_log(asked, smtp_server, settings, caplog):
    """Pages served (the page cache on), emails sent, then the whole database is read as text."""
    caplog.set_level(logging.DEBUG)
    settings.FORUM_PAGE_CACHE_SECONDS = 300
    smtp_server.start()
    make_answer(question=asked, author=UserFactory())
    run_worker()
    assert len(smtp_server.messages) == 1
    reader = Client()
    for url in ("/", "/questions/", asked.get_absolute_url(), f"/questions/key/{asked.key}/", "/feeds/latest/"):
        response = reader.get(url)
        assert response.status_code == 200, url
        assert ADDRESS not in response.content.decode()
        assert ADDRESS not in asked.browser.get(url).content.decode()
    assert caches["default"].get("anything") is None  # the cache is the database table, read below
    dump = every_row_as_text()
    assert ADDRESS not in dump and ADDRESS.encode().hex() not in dump
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM forum_cache")
        assert cursor.fetchone()[0] > 0  # pages were cached, and none holds the address
    assert ADDRESS not in logged(caplog)
