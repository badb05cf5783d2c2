"""Clarifications at the desk: reports hide them as they hide answers, the queue lists the
waiting and the reported ones, each action is one URL, one service and one log row, and the
asker of an anonymous question is "the asker" there too."""

import pytest
from django.test import Client, override_settings

from forum.answers.models import Comment
from forum.moderation.models import Flag, ModerationAction, WatchedWord
from forum.questions.comment_services import comment_post
from tests.factories import UserFactory, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked():
    return make_question(title="Is it normal to feel shy about asking this?")


@pytest.fixture
def note(asked):
    return comment_post(question=asked, author=UserFactory(username="talkative"), by_asker=False, body="Rude words")


def _report(comment, n=3):
    for _ in range(n):
        client = Client()
        client.force_login(UserFactory())
        assert client.post(f"/report/comment/{comment.pk}/", {"reason": "harassment"}).status_code == 302


def test_it_hides_a_clarification_on_three_established_reports(note, asked):
    _report(note)
    note.refresh_from_db()
    assert note.status == Comment.Status.HIDDEN
    assert "Rude words" not in Client().get(asked.get_absolute_url()).content.decode()
    auto = ModerationAction.objects.get()
    assert auto.kind == "auto-hide" and auto.comment_id == note.pk and auto.subject_label == f"clarification #{note.pk}"


def test_it_never_hides_an_experts_clarification_on_reports_alone(asked):
    comment = comment_post(question=asked, author=make_expert(), by_asker=False, body="How long has it been?")
    _report(comment)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED and Flag.objects.filter(comment=comment).count() == 3


def test_it_returns_a_report_of_a_clarification_under_an_answer_to_the_answer(visitor, asked):
    answer = make_answer(question=asked, author=UserFactory())
    comment = comment_post(question=asked, answer=answer, author=UserFactory(), by_asker=False, body="Hmm, why?")
    response = visitor.post(f"/report/comment/{comment.pk}/", {"reason": "spam"})
    assert response["Location"] == f"{asked.get_absolute_url()}#answer-{answer.pk}"
    assert Flag.objects.get().comment == comment


def test_it_refuses_reports_of_hidden_clarifications(visitor, note):
    Comment.objects.filter(pk=note.pk).update(status=Comment.Status.HIDDEN)
    assert visitor.get(f"/report/comment/{note.pk}/").status_code == 404


def test_it_approves_a_waiting_clarification_with_one_log_row(moderator, asked):
    waiting = comment_post(question=asked, author=None, by_asker=True, body="Yes, that is what I meant.")
    assert waiting.status == Comment.Status.PENDING
    queue = moderator.get("/moderation/").content.decode()
    assert "Yes, that is what I meant." in queue and "<strong>the asker</strong>" in queue
    response = moderator.post(f"/moderation/comment/{waiting.pk}/approve/", {"reason": ""})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Comment.Status.PUBLISHED
    action = ModerationAction.objects.get()
    assert action.kind == "approve" and action.comment_id == waiting.pk
    assert "Yes, that is what I meant." in Client().get(asked.get_absolute_url()).content.decode()
    moderator.post(f"/moderation/comment/{waiting.pk}/approve/")
    assert ModerationAction.objects.count() == 1  # already handled: no second row


def test_it_hides_restores_and_deletes_with_reasons(moderator, note):
    moderator.post(f"/moderation/comment/{note.pk}/hide/", {"reason": ""})
    note.refresh_from_db()
    assert note.status == Comment.Status.PUBLISHED  # a reason is required
    moderator.post(f"/moderation/comment/{note.pk}/hide/", {"reason": "Insults"})
    note.refresh_from_db()
    assert note.status == Comment.Status.HIDDEN
    moderator.post(f"/moderation/comment/{note.pk}/restore/", {"reason": "On reflection, fine"})
    note.refresh_from_db()
    assert note.status == Comment.Status.PUBLISHED
    moderator.post(f"/moderation/comment/{note.pk}/delete/", {"reason": "Spam after all", "confirm": "yes"})
    note.refresh_from_db()
    assert note.status == Comment.Status.REMOVED
    kinds = list(ModerationAction.objects.order_by("id").values_list("kind", "comment_id", "reason"))
    assert kinds == [
        ("hide", note.pk, "Insults"),
        ("restore", note.pk, "On reflection, fine"),
        ("delete", note.pk, "Spam after all"),
    ]
    log = moderator.get("/moderation/log/").content.decode()
    assert f"clarification #{note.pk}" in log and "talkative" not in log


def test_it_lists_reported_clarifications_and_dismisses_their_reports(moderator, note):
    Flag.objects.create(comment=note, reporter=UserFactory(), reason="spam")
    queue = moderator.get("/moderation/").content.decode()
    assert "Rude words" in queue and f"/moderation/comment/{note.pk}/dismiss/" in queue
    moderator.post(f"/moderation/comment/{note.pk}/dismiss/", {"reason": "Not spam"})
    assert Flag.objects.get().status == Flag.Status.DISMISSED
    assert ModerationAction.objects.get().kind == "dismiss-flags"


@override_settings(FORUM_PREMODERATE_ANONYMOUS=False)
def test_it_shows_two_anonymous_askers_alike_at_the_desk(moderator):
    """A member who asked anonymously and a visitor who asked: their clarifications read the same."""
    member = UserFactory(username="hidden_hazel", email="hazel@example.com")
    by_member = make_question(author=member, title="A member's anonymous question about trust")
    by_visitor = make_question(title="A visitor's question about trust")
    WatchedWord.objects.create(phrase="telegram", action=WatchedWord.Action.HOLD)
    one = comment_post(question=by_member, author=member, by_asker=False, body="Reach me on telegram")
    two = comment_post(question=by_visitor, author=None, by_asker=True, body="Reach me on telegram")
    assert one.status == two.status == Comment.Status.PENDING
    queue = moderator.get("/moderation/").content.decode()
    items = [queue[queue.index(f'id="mc-{c.pk}"') :][:400] for c in (one, two)]
    assert all("Clarification by <strong>the asker</strong> under the question" in item for item in items)
    assert "hazel" not in queue.lower()
