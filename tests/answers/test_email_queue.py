"""The new-answer email leaves the request: a job in PostgreSQL, sent by the worker to a real
SMTP server, retried while the server is down (issue 13)."""

import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forum.answers.models import Answer
from forum.questions.answer_services import answer_post
from forum.questions.services import question_delete
from tests.factories import UserFactory, make_question
from tests.mailqueue import make_due, run_worker

pytestmark = pytest.mark.usefixtures("task_queue")

TITLE = "Is it normal to feel shy about asking for what I like?"
ANSWER = "Very normal. Start with a small, low-stakes wish and notice how it lands."
FAN_OUT = "forum.questions.notice_emails.notify_many"  # one job per event, from the request
TASK = "forum.questions.notice_emails.notify_one"  # one job per recipient, from the worker


@pytest.fixture
def asker():
    return UserFactory(username="shy-asker", email="shy.asker@example.com")


@pytest.fixture
def question(asker):
    return make_question(author=asker, title=TITLE)


def jobs(task=TASK, **filters):
    return list(DBTaskResult.objects.filter(task_path=task, **filters).order_by("enqueued_at"))


def test_it_saves_the_answer_while_the_mail_server_is_down_and_mails_the_asker_once_it_is_back(
    member, question, asker, smtp_server, caplog
):
    # (a) Nothing listens on the mail port: the poster is not affected.
    response = member.post(f"/questions/{question.pk}/answer/", {"body": ANSWER})
    answer = Answer.objects.get(question=question)
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#answer-{answer.pk}"
    [job] = jobs(FAN_OUT)
    assert job.status == "READY"
    ids = {"kind": "new_answer", "question_id": question.pk, "answer_id": answer.pk}
    assert job.args_kwargs == {"args": [], "kwargs": {**ids, "user_ids": [asker.pk]}}

    before = timezone.now()
    run_worker()  # the event fans out; the asker's job: connection refused, scheduled again, later
    [retry] = jobs(status="READY")
    assert retry.args_kwargs["kwargs"] == {**ids, "user_id": asker.pk, "attempt": 2}
    assert retry.run_after >= before + datetime.timedelta(seconds=30)
    assert smtp_server.messages == []
    [line] = [r for r in caplog.records if r.name == "forum.tasks"]
    assert "ConnectionRefusedError" in line.getMessage() and "next attempt in 30 s" in line.getMessage()
    assert asker.email not in caplog.text

    run_worker()  # not due yet: nothing happens
    assert jobs(status="READY") == [retry] and smtp_server.messages == []

    # (b) The server is back and the retry is due: exactly one email, to the asker, with the link.
    smtp_server.start()
    assert make_due() == 1
    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == [asker.email]
    assert mail.message["To"] == asker.email
    permalink = f"{settings.SITE_URL}{reverse('questions:answer_permalink', args=[answer.pk])}"
    assert permalink in mail.body
    assert TITLE not in mail.body and ANSWER not in mail.body
    assert TITLE not in mail.message["Subject"]
    assert mail.message["List-Unsubscribe"].strip().startswith(f"<{settings.SITE_URL}/unsubscribe/")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert jobs(status="READY") == []
    run_worker()
    assert len(smtp_server.messages) == 1
    # A finished job keeps no arguments.
    assert all(job.args_kwargs == {"args": [], "kwargs": {}} for job in jobs() + jobs(FAN_OUT))


def test_it_sends_nothing_for_a_write_that_rolled_back(member_user, question, smtp_server):
    smtp_server.start()
    with pytest.raises(RuntimeError), transaction.atomic():
        answer_post(question=question, author=member_user, body=ANSWER)
        assert len(jobs(FAN_OUT)) == 1  # the job row is written with the answer, in its transaction
        raise RuntimeError("something after the answer failed")
    assert not Answer.objects.exists()
    assert jobs(FAN_OUT) == []
    run_worker()
    assert smtp_server.messages == []


def test_it_sends_nothing_for_a_question_deleted_before_the_job_ran(member, question, smtp_server):
    smtp_server.start()
    assert member.post(f"/questions/{question.pk}/answer/", {"body": ANSWER}).status_code == 302
    [job] = jobs(FAN_OUT)
    assert TITLE not in str(job.args_kwargs), "the job holds ids, not words"
    question_delete(question=question)
    run_worker()
    assert smtp_server.messages == []
    [job] = jobs()
    assert job.status == "SUCCESSFUL"
