"""An author edits their own answer: /answers/<id>/edit/ (GET the form, POST the new text)."""

import html

import pytest
from django.test import Client

from forum.answers.models import Answer
from forum.moderation.models import PostRevision, WatchedWord
from forum.moderation.policy import BLOCKED_TEXT_MESSAGE
from forum.questions.models import Question
from tests.factories import UserFactory, log_in, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db

NEW = "An edited answer, with **more care** and a few more words in it."


@pytest.fixture
def answer(member_user):
    return make_answer(question=make_question(author=UserFactory()), author=member_user,
                       body="The first version of my answer, long enough.")  # fmt: skip


def test_it_shows_the_form_filled_with_the_answer(member, answer):
    response = member.get(f"/answers/{answer.pk}/edit/")
    assert response.status_code == 200
    assert "The first version of my answer, long enough." in response.content.decode()


def test_it_saves_the_edit_and_keeps_both_versions(member, member_user, answer):
    response = member.post(f"/answers/{answer.pk}/edit/", {"body": NEW})
    assert response.status_code == 302 and response["Location"].endswith(f"#answer-{answer.pk}")
    answer.refresh_from_db()
    assert answer.body == NEW and "<strong>more care</strong>" in answer.body_html
    assert answer.text_changed_at is not None and answer.status == "published"
    original, edit = PostRevision.objects.filter(answer=answer).order_by("created_at", "id")
    assert (original.body, original.role, original.created_at) == (
        "The first version of my answer, long enough.",
        "author",
        answer.created_at,
    )
    assert (edit.body, edit.role, edit.edited_by, edit.reason) == (NEW, "author", member_user, "")
    assert Question.objects.filter(pk=answer.question_id, search_vector="care").exists()


def test_it_writes_no_version_when_nothing_changed(member, answer):
    member.post(f"/answers/{answer.pk}/edit/", {"body": answer.body})
    assert not PostRevision.objects.exists()
    answer.refresh_from_db()
    assert answer.text_changed_at is None


def test_it_lets_an_expert_edit_their_answer():
    expert = make_expert(UserFactory(username="dr-edit"))
    answer = make_answer(question=make_question(), author=expert)
    client = log_in(Client(), expert)
    assert client.post(f"/answers/{answer.pk}/edit/", {"body": NEW}).status_code == 302
    answer.refresh_from_db()
    assert answer.body == NEW and answer.is_expert


def test_it_refuses_the_wrong_method(member, answer):
    assert member.put(f"/answers/{answer.pk}/edit/").status_code == 405
    assert member.delete(f"/answers/{answer.pk}/edit/").status_code == 405


def test_it_sends_a_visitor_to_sign_in(visitor, answer):
    response = visitor.post(f"/answers/{answer.pk}/edit/", {"body": NEW})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    answer.refresh_from_db()
    assert answer.body != NEW


def test_it_refuses_anyone_but_the_author(outsider, moderator, answer):
    for client in (outsider, moderator):
        assert client.get(f"/answers/{answer.pk}/edit/").status_code == 403
        assert client.post(f"/answers/{answer.pk}/edit/", {"body": NEW}).status_code == 403
    answer.refresh_from_db()
    assert answer.body != NEW and not PostRevision.objects.exists()


def test_it_answers_404_for_a_deleted_answer(member, answer):
    Answer.objects.filter(pk=answer.pk).update(status="removed")
    assert member.get(f"/answers/{answer.pk}/edit/").status_code == 404
    assert member.post(f"/answers/{answer.pk}/edit/", {"body": NEW}).status_code == 404


def test_it_refuses_a_suspended_author_with_the_policy_message(member, member_user, moderator_user, answer):
    from forum.desk import services as desk

    desk.user_suspend(moderator=moderator_user, user=member_user, days=3, reason="Cooling off")
    response = member.post(f"/answers/{answer.pk}/edit/", {"body": NEW})
    page = response.content.decode()
    assert response.status_code == 400 and "Your account is suspended" in page and "Cooling off" in page
    answer.refresh_from_db()
    assert answer.body != NEW


def test_it_refuses_a_blocked_word_next_to_the_field(member, moderator_user, answer):
    WatchedWord.objects.create(phrase="cheap pills", action="block", created_by=moderator_user)
    response = member.post(f"/answers/{answer.pk}/edit/", {"body": NEW + " Buy cheap pills."})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert 'id="id_body_error"' in page and BLOCKED_TEXT_MESSAGE.split(" because")[0] in page
    assert "Buy cheap pills." in page  # the text is kept
    answer.refresh_from_db()
    assert answer.body != NEW + " Buy cheap pills." and not PostRevision.objects.exists()


def test_it_sends_an_answer_with_a_held_word_back_to_review(member, moderator_user, answer):
    WatchedWord.objects.create(phrase="meet up", action="hold", created_by=moderator_user)
    question = Question.objects.get(pk=answer.question_id)
    assert question.answer_count == 1
    response = member.post(f"/answers/{answer.pk}/edit/", {"body": NEW + " We could meet up."})
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.status == "pending" and answer.body.endswith("meet up.")
    assert question.answer_count == 0
    assert not Question.objects.filter(pk=question.pk, search_vector="meet").exists()


def test_it_shows_the_edit_link_to_the_author_only(member, outsider, visitor, answer):
    url = Question.objects.get(pk=answer.question_id).get_absolute_url()
    assert f'href="/answers/{answer.pk}/edit/"' in member.get(url).content.decode()
    for client in (outsider, visitor):
        assert f"/answers/{answer.pk}/edit/" not in client.get(url).content.decode()
