"""Answering: members only, the asker is told, bad input keeps the text."""

import pytest

from forum.answers.models import Answer
from forum.questions.models import Notification, Question
from tests.factories import UserFactory, make_question

pytestmark = pytest.mark.django_db

ANSWER = "You're not alone in this — it is common and there are good ways to talk about it."


def test_it_lets_a_member_answer_and_notifies_the_asking_member(member, mailoutbox, django_capture_on_commit_callbacks):
    asker = UserFactory(username="asker", email="asker@example.com")
    question = make_question(author=asker, anonymous=True, title="How can I bring up a fantasy with my partner?")
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(f"/questions/{question.pk}/answer/", {"body": ANSWER})
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#answer-{answer.pk}"
    assert answer.author == member.user
    assert answer.body_html.startswith("<p>You")
    question.refresh_from_db()
    assert question.answer_count == 1
    assert question.last_activity_at >= answer.created_at

    notification = Notification.objects.get()
    assert notification.recipient == asker and notification.kind == "new_answer"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["asker@example.com"]
    assert f"/answers/{answer.pk}/" in mail.body  # the permalink: no title in the inbox, right page of the thread
    assert question.slug not in mail.body
    # Nothing private in the inbox: neither the question nor the answer is quoted.
    assert question.title not in mail.subject + mail.body
    assert "alone in this" not in mail.body

    assert Notification.objects.filter(recipient=asker, read_at__isnull=True).count() == 1


def test_it_shows_the_key_holder_the_new_answer(member, visitor):
    question = make_question()
    member.post(f"/questions/{question.pk}/answer/", {"body": ANSWER})
    assert "it is common and there are good ways" in visitor.get(f"/questions/key/{question.key}/").content.decode()


def test_it_marks_notifications_read_when_seen(member, member_user):
    question = make_question(author=member_user, anonymous=False)
    from tests.factories import make_answer

    make_answer(question=question, author=UserFactory())
    page = member.get("/notifications/")
    assert page.status_code == 200
    assert "New answer on" in page.content.decode() and "Mark all 1 as read" in page.content.decode()
    assert Notification.objects.filter(recipient=member_user, read_at__isnull=True).exists()  # reading changes nothing
    assert member.get("/notifications/read/").status_code == 405
    assert member.post("/notifications/read/").status_code == 302
    assert not Notification.objects.filter(recipient=member_user, read_at__isnull=True).exists()


def test_it_sends_a_visitor_to_sign_in_to_answer(visitor):
    question = make_question()
    response = visitor.post(f"/questions/{question.pk}/answer/", {"body": ANSWER})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Answer.objects.exists()


def test_it_answers_405_to_get(member):
    question = make_question()
    assert member.get(f"/questions/{question.pk}/answer/").status_code == 405


@pytest.mark.parametrize(
    ("body", "message"), [("", "Please write your answer."), ("Too short.", "at least 20 characters")]
)
def test_it_explains_a_bad_answer_and_keeps_the_text(member, body, message):
    question = make_question()
    response = member.post(f"/questions/{question.pk}/answer/", {"body": body})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert body in html
    assert not Answer.objects.exists()
    question.refresh_from_db()
    assert question.answer_count == 0


def test_it_refuses_answers_on_pending_hidden_or_deleted_questions(member):
    for status in ("pending", "hidden", "removed"):
        question = make_question(status=status)
        assert member.post(f"/questions/{question.pk}/answer/", {"body": ANSWER}).status_code == 404
    assert not Answer.objects.exists()


def test_it_does_not_notify_the_asker_of_their_own_answer(member, member_user, mailoutbox):
    question = make_question(author=member_user)
    member.post(f"/questions/{question.pk}/answer/", {"body": ANSWER})
    assert not Notification.objects.exists()
    assert mailoutbox == []
    assert Question.objects.get(pk=question.pk).answer_count == 1
