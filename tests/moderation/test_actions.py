"""Each moderator action: done, logged with who/what/why, and saying so when already handled."""

import datetime

import pytest
from django.utils import timezone

from forum.answers.models import Answer
from forum.moderation.models import (
    FirstPostReview,
    ModerationAction,
    PostRevision,
    SourceBlock,
    Suspension,
    WatchedWord,
)
from forum.questions.models import Question
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def last_action():
    return ModerationAction.objects.order_by("-id").first()


def post(client, url, **data):
    return client.post(url, {"next": "/moderation/", **data}, follow=True)


def test_it_approves_a_pending_question(moderator, moderator_user, visitor):
    question = make_question(status="pending")
    response = post(moderator, f"/moderation/question/{question.pk}/approve/")
    assert "Done." in response.content.decode()
    question.refresh_from_db()
    assert question.status == "published"
    action = last_action()
    assert (action.kind, action.moderator, action.question_id) == ("approve", moderator_user, question.pk)
    assert question.title in visitor.get("/questions/").content.decode()
    again = post(moderator, f"/moderation/question/{question.pk}/approve/")
    assert "already handled" in again.content.decode()
    assert ModerationAction.objects.count() == 1


def test_it_rejects_with_a_reason_the_key_holder_sees(moderator, visitor):
    question = make_question(status="pending")
    response = post(moderator, f"/moderation/question/{question.pk}/reject/", reason="")
    assert "Please give a reason" in response.content.decode()
    assert Question.objects.get(pk=question.pk).status == "pending"
    post(moderator, f"/moderation/question/{question.pk}/reject/", reason="It names a real person.")
    question.refresh_from_db()
    assert question.status == "rejected"
    assert last_action().reason == "It names a real person."
    key_page = visitor.get(f"/questions/key/{question.key}/").content.decode()
    assert "It names a real person." in key_page


def test_it_hides_and_restores_an_answer_keeping_counts(moderator, visitor):
    question = make_question()
    answer = make_answer(question=question, author=UserFactory())
    post(moderator, f"/moderation/answer/{answer.pk}/hide/", reason="Unsafe advice")
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.status == "hidden" and question.answer_count == 0
    assert answer.body[:20] not in visitor.get(question.get_absolute_url()).content.decode()
    post(moderator, f"/moderation/answer/{answer.pk}/restore/", reason="On second look it is fine")
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.status == "published" and question.answer_count == 1
    assert [a.kind for a in ModerationAction.objects.order_by("id")] == ["hide", "restore"]


def test_it_locks_and_unlocks_a_thread(moderator, member):
    question = make_question()
    post(moderator, f"/moderation/question/{question.pk}/lock/", reason="Heated")
    response = member.post(f"/questions/{question.pk}/answer/", {"body": "An answer with plenty of characters."})
    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert not Answer.objects.exists()
    post(moderator, f"/moderation/question/{question.pk}/unlock/")
    member.post(f"/questions/{question.pk}/answer/", {"body": "An answer with plenty of characters."})
    assert Answer.objects.count() == 1
    assert [a.kind for a in ModerationAction.objects.order_by("id")] == ["lock", "unlock"]


def test_it_closes_as_duplicate_with_a_link_and_reopens(moderator, visitor):
    original = make_question(title="The original question about this topic")
    copy = make_question(title="The same question asked a second time")
    post(moderator, f"/moderation/question/{copy.pk}/duplicate/", duplicate_of=original.pk, reason="Same question")
    copy.refresh_from_db()
    assert copy.duplicate_of == original
    html = visitor.get(copy.get_absolute_url()).content.decode()
    assert "Closed as a duplicate" in html and f"/questions/{original.pk}/" in html
    post(moderator, f"/moderation/question/{copy.pk}/reopen/")
    copy.refresh_from_db()
    assert copy.duplicate_of is None
    assert [a.kind for a in ModerationAction.objects.order_by("id")] == ["close-duplicate", "reopen"]


def test_it_edits_with_a_reason_and_keeps_the_original(moderator, moderator_user):
    answer = make_answer(question=make_question(), author=UserFactory(), body="Call me on 555 0100 for advice.")
    response = moderator.post(
        f"/moderation/answer/{answer.pk}/edit/", {"body": "Contact details removed.", "reason": ""}
    )
    assert "This field is required" in response.content.decode()
    moderator.post(
        f"/moderation/answer/{answer.pk}/edit/", {"body": "[contact details removed]", "reason": "Phone number"}
    )
    answer.refresh_from_db()
    assert answer.body == "[contact details removed]" and "removed" in answer.body_html
    original, edit = PostRevision.objects.order_by("created_at", "id")
    assert original.body == "Call me on 555 0100 for advice." and original.role == "author"
    assert original.edited_by == answer.author and original.created_at == answer.created_at
    assert edit.body == "[contact details removed]" and edit.edited_by == moderator_user
    assert edit.role == "moderator" and edit.reason == "Phone number"
    assert last_action().kind == "edit"


def test_it_deletes_a_post(moderator):
    question = make_question()
    post(moderator, f"/moderation/question/{question.pk}/delete/", reason="Spam", confirm="yes")
    question.refresh_from_db()
    assert question.status == "removed"
    assert last_action().kind == "delete"


def test_it_dismisses_reports(moderator, member):
    question = make_question()
    member.post(f"/report/question/{question.pk}/", {"reason": "spam"})
    post(moderator, f"/moderation/question/{question.pk}/dismiss/", reason="Not spam")
    assert question.flags.get().status == "dismissed"
    assert "no open reports" in post(moderator, f"/moderation/question/{question.pk}/dismiss/").content.decode()


def test_it_suspends_a_member_who_then_reads_but_cannot_post(moderator, member, member_user):
    question = make_question()
    post(moderator, f"/moderation/users/{member_user.pk}/suspend/", days=3, reason="Harassment")
    suspension = Suspension.objects.get()
    assert suspension.user == member_user and suspension.ends_at > timezone.now() + datetime.timedelta(days=2)
    assert last_action().kind == "suspend" and last_action().target_user == member_user

    assert member.get(question.get_absolute_url()).status_code == 200
    response = member.post(f"/questions/{question.pk}/answer/", {"body": "Trying to post while suspended here."})
    html = response.content.decode()
    assert response.status_code == 400
    assert "suspended until" in html and "Harassment" in html
    assert "Trying to post while suspended here." in html  # the text is kept
    assert not Answer.objects.exists()

    Suspension.objects.update(ends_at=timezone.now() - datetime.timedelta(seconds=1))  # the period ends by itself
    member.post(f"/questions/{question.pk}/answer/", {"body": "Posting again after the suspension."})
    assert Answer.objects.count() == 1


def test_it_lifts_a_suspension(moderator, member_user):
    post(moderator, f"/moderation/users/{member_user.pk}/suspend/", days=3, reason="Harassment")
    post(moderator, f"/moderation/users/{member_user.pk}/unsuspend/")
    assert Suspension.objects.get().lifted_at is not None
    assert "not suspended" in post(moderator, f"/moderation/users/{member_user.pk}/unsuspend/").content.decode()


def test_it_blocks_an_anonymous_source_with_a_readable_explanation(moderator, visitor):
    from forum.core.tokens import new_form_token
    from forum.questions.models import Tag

    data = {"title": "A question from a visitor who then misbehaves", "body": "Details that are long enough here.",
            "tags": [Tag.objects.first().pk]}  # fmt: skip
    visitor.post("/questions/ask/", {**data, "form_token": new_form_token()})
    question = Question.objects.get()
    assert len(question.source_hash) == 64
    response = post(moderator, f"/moderation/question/{question.pk}/block/", hours=72, reason="Spam run")
    assert "Done." in response.content.decode()
    block = SourceBlock.objects.get()
    assert block.source_hash == question.source_hash
    assert last_action().kind == "block-source"

    again = visitor.post(
        "/questions/ask/", {**data, "title": "Another question from the same source", "form_token": new_form_token()}
    )
    assert again.status_code == 200
    assert "Posting from this connection is paused until" in again.content.decode()
    assert Question.objects.count() == 1

    from django.test import Client

    other = Client(REMOTE_ADDR="198.51.100.7")
    other.post(
        "/questions/ask/", {**data, "title": "A question from somebody else entirely", "form_token": new_form_token()}
    )
    assert Question.objects.count() == 2


def test_it_reveals_an_author_only_with_the_permission_and_logs_it(moderator, revealing_moderator, member_user):
    question = make_question(author=member_user, anonymous=True)
    assert moderator.post(f"/moderation/question/{question.pk}/reveal/", {"reason": "Abuse"}).status_code == 403
    response = revealing_moderator.post(f"/moderation/question/{question.pk}/reveal/", {"reason": ""})
    assert member_user.username not in response.content.decode()
    response = revealing_moderator.post(
        f"/moderation/question/{question.pk}/reveal/", {"reason": "Threats in the body"}
    )
    assert member_user.username in response.content.decode()
    action = last_action()
    assert action.kind == "reveal-author" and action.reason == "Threats in the body"
    assert member_user.username not in str(action.details)  # the log says who looked, not who was revealed


def test_it_manages_watched_words_that_block_or_hold(moderator, member):
    moderator.post("/moderation/words/", {"phrase": "Buy Pills", "action": "block"})
    moderator.post("/moderation/words/", {"phrase": "meet up", "action": "hold"})
    added = WatchedWord.objects.exclude(action="crisis")  # not the starter crisis phrases
    assert set(added.values_list("phrase", "action")) == {("buy pills", "block"), ("meet up", "hold")}
    duplicate = moderator.post("/moderation/words/", {"phrase": "buy pills", "action": "block"})
    assert "already on the list" in duplicate.content.decode()

    question = make_question()
    blocked = member.post(f"/questions/{question.pk}/answer/", {"body": "You should BUY PILLS from my shop today."})
    assert blocked.status_code == 400 and "be published as written" in blocked.content.decode()
    assert not Answer.objects.exists()

    member.post(f"/questions/{question.pk}/answer/", {"body": "We could meet up and talk about it sometime."})
    held = Answer.objects.get()
    question.refresh_from_db()
    assert held.status == "pending" and question.answer_count == 0
    assert "meet up and talk" in moderator.get("/moderation/").content.decode()
    post(moderator, f"/moderation/answer/{held.pk}/approve/")
    held.refresh_from_db()
    question.refresh_from_db()
    assert held.status == "published" and question.answer_count == 1

    word = WatchedWord.objects.get(phrase="meet up")
    post(moderator, f"/moderation/words/{word.pk}/remove/")
    assert not WatchedWord.objects.filter(pk=word.pk).exists()
    kinds = list(ModerationAction.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["watched-word-add", "watched-word-add", "approve", "watched-word-remove"]


def test_it_lists_a_new_members_first_post_once(moderator, member, member_user):
    question = make_question()
    member.post(f"/questions/{question.pk}/answer/", {"body": "My very first answer on this forum."})
    member.post(f"/questions/{question.pk}/answer/", {"body": "My second answer on this forum here."})
    review = FirstPostReview.objects.get()
    assert review.answer.body == "My very first answer on this forum."
    assert "My very first answer" in moderator.get("/moderation/").content.decode()
    post(moderator, f"/moderation/first-posts/{review.pk}/reviewed/")
    assert "My very first answer" not in moderator.get("/moderation/").content.decode()
    assert "already looked" in post(moderator, f"/moderation/first-posts/{review.pk}/reviewed/").content.decode()


def test_it_suspends_the_author_of_an_anonymous_question_without_revealing_them(moderator):
    from django.test import Client

    member_user = UserFactory(username="vesper-anon")
    member = Client()
    member.force_login(member_user)
    question = make_question(author=member_user, anonymous=True, title="An anonymous question that breaks rules")
    queue = moderator.get("/moderation/").content.decode()
    assert f"/moderation/users/{member_user.pk}/" not in queue  # the account id is never printed
    post(moderator, f"/moderation/question/{question.pk}/suspend-author/", days=2, reason="Abusive question")
    assert Suspension.objects.get().user == member_user
    log = moderator.get("/moderation/log/").content.decode()
    assert f"the author of question #{question.pk}" in log and member_user.username not in log
    response = member.post(f"/questions/{question.pk}/answer/", {"body": "Trying to answer while suspended now."})
    assert response.status_code == 400
