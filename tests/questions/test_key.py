"""The anonymous asker's private key page and what its holder can do."""

import pytest
from django.test import Client, override_settings

from forum.answers.models import Answer
from forum.questions.models import Question
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked():
    return make_question(title="Is it normal to feel nothing after sex sometimes?")


def test_it_shows_the_key_page_with_status_and_answers(visitor, asked):
    make_answer(question=asked, author=UserFactory(username="helper"), body="Yes, it can be quite normal to feel flat.")
    response = visitor.get(f"/questions/key/{asked.key}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Published" in html
    assert "Yes, it can be quite normal to feel flat." in html
    assert "This answer helped me" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_says_when_an_expert_has_answered(visitor, asked):
    Question.objects.filter(pk=asked.pk).update(has_expert_answer=True)
    assert "an expert has answered" in visitor.get(f"/questions/key/{asked.key}/").content.decode()


def test_it_rejects_a_bad_key_with_a_helpful_404(visitor, asked):
    for key in ("not-a-real-key-at-all00", "x", asked.key[:-1] + ("A" if asked.key[-1] != "A" else "B")):
        response = visitor.get(f"/questions/key/{key}/")
        assert response.status_code == 404
        assert "recognise that private link" in response.content.decode()


def test_it_lets_the_key_holder_accept_an_answer(visitor, asked):
    answer = make_answer(question=asked, author=UserFactory())
    response = visitor.post(f"/answers/{answer.pk}/accept/", {"key": asked.key})
    assert response.status_code == 302
    assert response["Location"] == f"/questions/key/{asked.key}/"
    answer.refresh_from_db()
    asked.refresh_from_db()
    assert answer.is_accepted and asked.has_accepted_answer

    other = make_answer(question=asked, author=UserFactory())
    visitor.post(f"/answers/{other.pk}/accept/", {"key": asked.key})
    assert list(Answer.objects.filter(question=asked, is_accepted=True)) == [other]  # only one at a time

    visitor.post(f"/answers/{other.pk}/accept/", {"key": asked.key, "undo": "1"})
    asked.refresh_from_db()
    assert not Answer.objects.filter(question=asked, is_accepted=True).exists()
    assert not asked.has_accepted_answer


def test_it_refuses_accepting_for_someone_elses_question(outsider, visitor, asked):
    answer = make_answer(question=asked, author=UserFactory())
    assert outsider.post(f"/answers/{answer.pk}/accept/").status_code == 403
    assert visitor.post(f"/answers/{answer.pk}/accept/", {"key": "wrong"}).status_code == 403
    other_question = make_question(title="Another question from someone else entirely")
    assert visitor.post(f"/answers/{answer.pk}/accept/", {"key": other_question.key}).status_code == 403
    answer.refresh_from_db()
    assert not answer.is_accepted


def test_it_answers_405_to_a_get_on_accept(visitor, asked):
    answer = make_answer(question=asked, author=UserFactory())
    assert visitor.get(f"/answers/{answer.pk}/accept/").status_code == 405


# With pre-moderation off a visitor's edit applies at once (tests/questions/test_edit_review.py: on).
@override_settings(FORUM_PREMODERATE_ANONYMOUS=False)
def test_it_lets_the_key_holder_edit_through_the_session(visitor, asked):
    visitor.get(f"/questions/key/{asked.key}/")
    form = visitor.get(f"/questions/{asked.pk}/edit/")
    assert form.status_code == 200
    assert asked.title in form.content.decode()
    response = visitor.post(
        f"/questions/{asked.pk}/edit/",
        {
            "title": "Is it normal to feel numb after sex sometimes?",
            "body": "Updated details with **more** context than before, for the readers.",
            "tags": [t.pk for t in asked.tags.all()],
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.title == "Is it normal to feel numb after sex sometimes?"
    assert "<strong>more</strong>" in asked.body_html
    assert asked.slug == "is-it-normal-to-feel-numb-after-sex-sometimes"


def test_it_keeps_the_text_when_an_edit_is_invalid(visitor, asked):
    visitor.get(f"/questions/key/{asked.key}/")
    response = visitor.post(
        f"/questions/{asked.pk}/edit/", {"title": "Too short", "body": "My kept words here.", "tags": []}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "My kept words here." in html and "at least 15 characters" in html
    asked.refresh_from_db()
    assert asked.title == "Is it normal to feel nothing after sex sometimes?"


def test_it_refuses_editing_to_others(outsider, visitor, asked):
    assert outsider.get(f"/questions/{asked.pk}/edit/").status_code == 403
    assert visitor.get(f"/questions/{asked.pk}/edit/").status_code == 403  # a fresh browser without the key


def test_it_lets_the_key_holder_delete_and_wipes_the_words(visitor, asked):
    response = visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key, "confirm": "yes"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Question.Status.REMOVED
    assert asked.body == "" and asked.body_html == "" and asked.title == "[deleted]"
    page = visitor.get(f"/questions/key/{asked.key}/")
    assert page.status_code == 410
    assert "This question was deleted" in page.content.decode()
    assert Client().get(asked.get_absolute_url()).status_code == 404
    again = visitor.post(f"/questions/{asked.pk}/delete/", {"key": asked.key, "confirm": "yes"})
    assert again.status_code == 302  # says so, does not fail


def test_it_refuses_deleting_to_others_and_get(outsider, visitor, asked):
    assert outsider.post(f"/questions/{asked.pk}/delete/").status_code == 403
    assert visitor.get(f"/questions/{asked.pk}/delete/").status_code == 405
    asked.refresh_from_db()
    assert asked.status == Question.Status.PUBLISHED


def test_it_lets_a_member_manage_their_own_question(member, member_user):
    question = make_question(author=member_user)
    assert member.get(f"/questions/{question.pk}/edit/").status_code == 200
    answer = make_answer(question=question, author=UserFactory())
    member.post(f"/answers/{answer.pk}/accept/")
    answer.refresh_from_db()
    assert answer.is_accepted
