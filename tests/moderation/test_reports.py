"""Reporting: anyone can report; a reporter counts once; enough distinct reporters hide a post."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.answers.models import Answer
from forum.moderation.models import Flag, ModerationAction, WatchedWord
from forum.questions.comment_services import comment_post
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def test_it_lets_a_visitor_report_with_a_reason(visitor):
    question = make_question()
    form = visitor.get(f"/report/question/{question.pk}/")
    assert form.status_code == 200 and "Sexual content involving minors" in form.content.decode()
    response = visitor.post(f"/report/question/{question.pk}/", {"reason": "spam"})
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    flag = Flag.objects.get()
    assert flag.reporter is None and len(flag.reporter_hash) == 64 and flag.reason == "spam"
    assert "127.0.0.1" not in str(Flag.objects.values().get())


def test_it_requires_a_note_for_other_and_keeps_the_text(member):
    answer = make_answer(question=make_question(), author=UserFactory())
    response = member.post(f"/report/answer/{answer.pk}/", {"reason": "other", "note": ""})
    assert response.status_code == 200
    assert "tell the moderators what is wrong" in response.content.decode()
    response = member.post(f"/report/answer/{answer.pk}/", {"note": "kept words"})
    assert "Please choose a reason." in response.content.decode() and "kept words" in response.content.decode()
    assert not Flag.objects.exists()


def test_it_counts_a_second_report_by_the_same_reporter_once(member, visitor):
    question = make_question()
    member.post(f"/report/question/{question.pk}/", {"reason": "spam"})
    response = member.post(f"/report/question/{question.pk}/", {"reason": "harassment"}, follow=True)
    assert "already reported" in response.content.decode()
    visitor.post(f"/report/question/{question.pk}/", {"reason": "spam"})
    visitor.post(f"/report/question/{question.pk}/", {"reason": "spam"})
    assert Flag.objects.count() == 2


def test_it_hides_an_answer_after_three_established_members_report_and_a_moderator_restores_it(moderator, visitor):
    question = make_question()
    answer = make_answer(question=question, author=UserFactory(), body="Something abusive that people report.")
    reporters = [Client() for _ in range(3)]
    for client in reporters:
        client.force_login(UserFactory())
    for client in reporters:
        client.post(f"/report/answer/{answer.pk}/", {"reason": "harassment"})
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.status == "hidden" and question.answer_count == 0
    assert "Something abusive" not in visitor.get(question.get_absolute_url()).content.decode()
    auto = ModerationAction.objects.get()
    assert auto.kind == "auto-hide" and auto.moderator is None and auto.answer_id == answer.pk

    queue = moderator.get("/moderation/").content.decode()
    assert "Something abusive" in queue and "3 open reports" in queue
    moderator.post(f"/moderation/answer/{answer.pk}/restore/", {"reason": "Reports were a pile-on"})
    answer.refresh_from_db()
    assert answer.status == "published"
    assert not Flag.objects.filter(status="open").exists()
    log = moderator.get("/moderation/log/").content.decode()
    log = log[log.index("<tbody>") :]  # the rows, not the filter's choices
    assert log.index("Restored") < log.index("Hidden automatically")  # newest first


def test_it_does_not_hide_on_two_reports_or_repeated_reports(db):
    answer = make_answer(question=make_question(), author=UserFactory())
    client = Client()
    client.force_login(UserFactory())
    for _ in range(3):
        client.post(f"/report/answer/{answer.pk}/", {"reason": "spam"})
    Client(REMOTE_ADDR="203.0.113.9").post(f"/report/answer/{answer.pk}/", {"reason": "spam"})
    assert Answer.objects.get(pk=answer.pk).status == "published"


def test_it_refuses_reports_on_hidden_posts_and_get_or_put_mistakes(visitor):
    question = make_question(status="hidden")
    assert visitor.get(f"/report/question/{question.pk}/").status_code == 404
    assert visitor.put(f"/report/question/{make_question().pk}/").status_code == 405
    assert visitor.get("/report/comment/1/").status_code == 404


def test_it_rate_limits_reports_from_a_visitor(visitor):
    questions = [make_question(title=f"Reported question number {i} here") for i in range(21)]
    for question in questions[:20]:
        visitor.post(f"/report/question/{question.pk}/", {"reason": "spam"})
    response = visitor.post(f"/report/question/{questions[20].pk}/", {"reason": "spam"})
    assert response.status_code == 429
    assert Flag.objects.count() == 20


def test_it_renders_the_queue_in_a_fixed_number_of_queries(moderator, moderator_user):
    WatchedWord.objects.get_or_create(phrase="kill myself", action="crisis")  # in the starter list

    def queue_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert moderator.get("/moderation/").status_code == 200
        return len(ctx.captured_queries), ctx

    def add_items(n):
        for i in range(n):
            make_question(
                status="pending", title=f"A pending question number {i} here", author=UserFactory(), anonymous=False
            )
            reported = make_answer(question=make_question(), author=UserFactory())
            Flag.objects.create(answer=reported, reporter=UserFactory(), reason="spam")
            flagged_q = make_question(author=UserFactory(), anonymous=False)
            Flag.objects.create(question=flagged_q, reporter_hash=f"{i:064d}", reason="other", note="why")
            held = comment_post(question=flagged_q, author=UserFactory(), by_asker=False, body=f"A note {i}")
            Flag.objects.create(comment=held, reporter=UserFactory(), reason="spam")
            comment_post(question=flagged_q, author=None, by_asker=True, body=f"The asker adds {i}")  # pending
            # the crisis lane: a question, an answer, a clarification, with reports
            crisis_q = make_question(title=f"I want to kill myself, question {i}", author=UserFactory())
            Flag.objects.create(question=crisis_q, reporter=UserFactory(), reason="unsafe")
            make_answer(question=crisis_q, author=UserFactory(), body=f"Some days I could kill myself {i}.")
            comment_post(question=crisis_q, author=None, by_asker=True, body=f"I will kill myself {i}")

    add_items(1)
    small, _ = queue_queries()
    add_items(49)
    large, ctx = queue_queries()
    assert small == large, "\n".join(q["sql"][:120] for q in ctx.captured_queries)
    # clarifications: the pending ones, their count, the reported ones, their reports; + the canned reasons (one)
    # the crisis lane: its questions (their topics, their reports), answers and clarifications (their reports)
    assert large <= 32
