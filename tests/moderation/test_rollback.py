"""A moderator rolls a post back to an earlier version from its history page (POST, with a reason)."""

import pytest

from forum.answers.models import Answer
from forum.desk import services as desk
from forum.moderation.models import ModerationAction, PostRevision
from forum.questions.models import Question
from forum.questions.revision_services import answer_edit
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

BODY = "Some details about the situation, long enough to pass validation."


@pytest.fixture
def vandalised(moderator_user):
    question = make_question(body=BODY)
    desk.post_edit(moderator=moderator_user, post=question, body="Vandalised text, long enough.", reason="Oops")
    return question


def versions(post):
    field = "question" if isinstance(post, Question) else "answer"
    return list(PostRevision.objects.filter(**{field: post}).order_by("created_at", "id"))


def url(question, revision):
    return f"/moderation/questions/{question.pk}/rollback/{revision.pk}/"


def test_it_rolls_a_question_back_and_logs_it_once(moderator, moderator_user, vandalised):
    original = versions(vandalised)[0]
    history = f"/questions/{vandalised.pk}/history/"
    page = moderator.get(history).content.decode()
    assert url(vandalised, original) in page  # the form on the history page
    response = moderator.post(url(vandalised, original), {"reason": "Undo the vandalism", "next": history})
    assert response.status_code == 302 and response["Location"] == history
    vandalised.refresh_from_db()
    assert vandalised.body == BODY and BODY in vandalised.body_html
    latest = versions(vandalised)[-1]
    assert (latest.role, latest.reason, latest.body, latest.edited_by) == (
        "moderator", "Undo the vandalism", BODY, moderator_user,
    )  # fmt: skip
    action = ModerationAction.objects.get(kind="rollback")
    assert action.question_id == vandalised.pk and action.details == {"revision": original.pk}
    assert "Rolled a post back" in moderator.get("/moderation/log/").content.decode()


def test_it_rolls_an_answer_back(moderator, member_user):
    answer = make_answer(question=make_question(), author=member_user, body="The first version of an answer.")
    answer_edit(answer=answer, editor=member_user, body="A worse second version of the answer.")
    first = versions(answer)[0]
    response = moderator.post(f"/moderation/answers/{answer.pk}/rollback/{first.pk}/", {"reason": "Restore"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body == "The first version of an answer." and len(versions(answer)) == 3


def test_it_requires_a_reason(moderator, vandalised):
    moderator.post(url(vandalised, versions(vandalised)[0]), {"reason": "  "})
    vandalised.refresh_from_db()
    assert vandalised.body != BODY and not ModerationAction.objects.filter(kind="rollback").exists()


def test_it_says_so_when_the_post_already_reads_that_way(moderator, vandalised):
    current = versions(vandalised)[-1]
    response = moderator.post(url(vandalised, current), {"reason": "Nothing to do"}, follow=True)
    assert "already reads as that version" in response.content.decode()
    assert len(versions(vandalised)) == 2 and not ModerationAction.objects.filter(kind="rollback").exists()


def test_it_refuses_to_roll_back_a_deleted_post(moderator, moderator_user, vandalised):
    original = versions(vandalised)[0]
    desk.post_delete(moderator=moderator_user, post=vandalised, reason="Spam")
    response = moderator.post(url(vandalised, original), {"reason": "Undo"}, follow=True)
    assert "can&#x27;t be rolled back" in response.content.decode()
    vandalised.refresh_from_db()
    assert vandalised.body != BODY and not ModerationAction.objects.filter(kind="rollback").exists()


def test_it_refuses_a_version_of_another_post(moderator, moderator_user, vandalised):
    other = make_question(title="Another question with its own history")
    desk.post_edit(moderator=moderator_user, post=other, body="Other text, long enough.", reason="r")
    assert moderator.post(url(vandalised, versions(other)[0]), {"reason": "x"}).status_code == 404
    answer = make_answer(question=other, author=UserFactory())
    assert moderator.post(f"/moderation/answers/{answer.pk}/rollback/{versions(other)[0].pk}/",
                          {"reason": "x"}).status_code == 404  # fmt: skip


def test_it_refuses_the_wrong_method_and_non_moderators(moderator, member, visitor, vandalised):
    target = url(vandalised, versions(vandalised)[0])
    assert moderator.get(target).status_code == 405
    assert member.post(target, {"reason": "x"}).status_code == 403
    response = visitor.post(target, {"reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    vandalised.refresh_from_db()
    assert vandalised.body != BODY
    assert "Roll back" not in member.get(f"/questions/{vandalised.pk}/history/").content.decode()


def test_it_offers_no_rollback_of_a_removed_answer(moderator, moderator_user, member_user):
    answer = make_answer(question=make_question(), author=member_user, body="The first version of an answer.")
    answer_edit(answer=answer, editor=member_user, body="A worse second version of the answer.")
    Answer.objects.filter(pk=answer.pk).update(status="removed")
    page = moderator.get(f"/answers/{answer.pk}/history/").content.decode()
    assert "Version 2" in page and "Roll back" not in page
