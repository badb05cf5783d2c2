"""Tasks and their retries (forum.core.tasks) and how effects.task enqueues (forum.core.effects)."""

import io
import logging

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forum.answers.models import Answer
from forum.core.tasks import RETRY_DELAYS
from forum.questions.answer_services import answer_post
from tests.factories import UserFactory, make_answer, make_question
from tests.mailqueue import make_due, run_worker

EMAIL = "patient.asker@example.com"


@pytest.fixture
def thread(task_queue):
    """A member's question and someone's answer: the new-answer email waits in the queue."""
    question = make_question(author=UserFactory(username="patient-asker", email=EMAIL))
    answer = make_answer(question=question, author=UserFactory())
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    return question, answer


def logged(caplog) -> str:
    """What the forum, the Tasks API and the worker logged (not the test's own SMTP server)."""
    plain = logging.Formatter()
    return "\n".join(plain.format(record) for record in caplog.records if record.name != "mail.log")


def test_it_retries_a_refused_connection_with_growing_delays_then_gives_up_naming_no_one(thread, smtp_server, caplog):
    waits = []
    for _ in RETRY_DELAYS:
        before = timezone.now()
        run_worker()
        [job] = DBTaskResult.objects.filter(status="READY")
        waits.append(job.run_after - before)
        make_due()
    assert [round(wait.total_seconds()) for wait in waits] == list(RETRY_DELAYS) == [30, 120, 600, 1800, 7200]

    run_worker()  # the sixth attempt is the last
    assert not DBTaskResult.objects.filter(status="READY").exists()
    [failed] = DBTaskResult.objects.filter(status="FAILED")
    assert failed.exception_class_path == "forum.core.tasks.TaskGaveUp"
    assert "ConnectionRefusedError after 6 attempts" in failed.traceback
    assert failed.args_kwargs == {"args": [], "kwargs": {}}
    assert DBTaskResult.objects.count() == 7  # the event's job (fanned out to its one recipient), 6 attempts
    lines = [r for r in caplog.records if r.name == "forum.tasks"]
    assert [r.levelname for r in lines] == ["WARNING"] * 5 + ["ERROR"]
    assert "gave up after 6 attempts: ConnectionRefusedError" in lines[-1].getMessage()
    assert EMAIL not in logged(caplog)
    for job in DBTaskResult.objects.all():
        assert EMAIL not in f"{job.args_kwargs} {job.traceback} {job.return_value}"


def test_it_gives_up_at_once_on_a_refused_recipient(thread, smtp_server, caplog):
    class RefusingServer(type(smtp_server)):
        async def handle_RCPT(self, server, session, envelope, address, options):  # aiosmtpd's hook
            return "550 No such mailbox"

    smtp_server.__class__ = RefusingServer
    smtp_server.start()
    run_worker()
    assert not DBTaskResult.objects.filter(status="READY").exists()
    [recipient_job] = DBTaskResult.objects.filter(task_path="forum.questions.notice_emails.notify_one")
    assert recipient_job.exception_class_path == "forum.core.tasks.TaskGaveUp"
    assert "SMTPRecipientsRefused" in logged(caplog) and EMAIL not in logged(caplog)


def test_it_runs_an_immediate_task_only_once_the_write_commits(committed_db, mailoutbox):
    """ImmediateBackend (the tests' default): the email goes after the commit, never for a rollback."""
    asker = UserFactory(username="asker", email="asker@example.com")
    question, member = make_question(author=asker), UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        answer_post(question=question, author=member, body="An answer that will be rolled back.")
        raise RuntimeError("rolled back")
    assert not Answer.objects.exists() and mailoutbox == []

    with transaction.atomic():
        answer_post(question=question, author=member, body="An answer that stays.")
        assert mailoutbox == [], "not before the commit"
    assert [m.to for m in mailoutbox] == [[asker.email]]


@pytest.fixture
def as_app_role(task_queue):
    """Django's own connection (the site's and the worker's) runs as the app role, like `make run`."""
    role = settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_has_role(session_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = %s", [role])
        if not (cursor.fetchone() or [False])[0]:
            pytest.skip(f"the test role cannot SET ROLE {role} (make test's owner can)")
        cursor.execute(f"SET ROLE {role}")
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def test_it_queues_retries_and_sends_as_the_app_role(as_app_role, smtp_server):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == as_app_role
    question = make_question(author=UserFactory(username="patient-asker", email=EMAIL))
    make_answer(question=question, author=UserFactory())
    table = DBTaskResult._meta.db_table
    assert DBTaskResult.objects.count() == 1, f"the app role wrote the job to {table}"
    run_worker()  # refused: claims the job, blanks it, enqueues the retry
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    smtp_server.start()
    make_due()
    run_worker()
    assert [m.recipients for m in smtp_server.messages] == [[EMAIL]]
    call_command("prune_db_task_results", "--min-age-days", "0", stdout=io.StringIO())
    assert not DBTaskResult.objects.exists(), "the app role may prune finished jobs"
