"""Voting: members only, one vote per post, change or withdraw, never on one's own post."""

import pytest

from forum.answers.models import Answer, Vote
from forum.questions.models import Question
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer():
    return make_answer(question=make_question(), author=UserFactory(username="answerer"))


def test_it_counts_an_upvote_and_redirects_back(member, answer):
    response = member.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#answer-{answer.pk}")
    answer.refresh_from_db()
    assert answer.score == 1
    assert Vote.objects.get().value == 1


def test_it_changes_and_withdraws_a_vote(member, answer):
    member.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
    member.post(f"/answers/{answer.pk}/vote/", {"value": "-1"})
    answer.refresh_from_db()
    assert answer.score == -1 and Vote.objects.count() == 1
    member.post(f"/answers/{answer.pk}/vote/", {"value": "0"})
    answer.refresh_from_db()
    assert answer.score == 0 and not Vote.objects.exists()


def test_it_counts_voting_twice_once(member, answer):
    member.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
    member.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
    answer.refresh_from_db()
    assert answer.score == 1 and Vote.objects.count() == 1


def test_it_answers_json_for_the_script(member, answer):
    response = member.post(f"/answers/{answer.pk}/vote/", {"value": "1"}, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"score": 1, "vote": 1}


def test_it_votes_on_questions_too(member):
    question = make_question()
    member.post(f"/questions/{question.pk}/vote/", {"value": "-1"})
    question.refresh_from_db()
    assert question.score == -1


def test_it_refuses_a_vote_on_ones_own_post(member, member_user):
    question = make_question(author=member_user)
    own_answer = make_answer(question=make_question(), author=member_user)
    assert member.post(f"/questions/{question.pk}/vote/", {"value": "1"}).status_code == 403
    response = member.post(f"/answers/{own_answer.pk}/vote/", {"value": "1"}, headers={"accept": "application/json"})
    assert response.status_code == 403
    assert "your own post" in response.json()["error"]
    assert not Vote.objects.exists()
    assert Question.objects.get(pk=question.pk).score == 0


def test_it_sends_a_visitor_to_sign_in(visitor, answer):
    response = visitor.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Vote.objects.exists()


def test_it_answers_405_to_get_and_400_to_nonsense(member, answer):
    assert member.get(f"/answers/{answer.pk}/vote/").status_code == 405
    response = member.post(f"/answers/{answer.pk}/vote/", {"value": "7"}, headers={"accept": "application/json"})
    assert response.status_code == 400
    assert Answer.objects.get(pk=answer.pk).score == 0


def test_it_refuses_votes_on_hidden_posts(member, answer):
    Answer.objects.filter(pk=answer.pk).update(status="hidden")
    assert member.post(f"/answers/{answer.pk}/vote/", {"value": "1"}).status_code == 404
    pending = make_question(status="pending")
    assert member.post(f"/questions/{pending.pk}/vote/", {"value": "1"}).status_code == 404
    assert not Vote.objects.exists()


def test_it_shows_the_members_own_vote_as_pressed(member, answer):
    member.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
    html = member.get(answer.question.get_absolute_url()).content.decode()
    assert 'aria-pressed="true" aria-label="Helpful (upvote)"' in html


def test_the_database_rejects_a_second_vote_row(answer, member_user):
    from django.db import IntegrityError, transaction

    Vote.objects.create(user=member_user, answer=answer, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=member_user, answer=answer, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=UserFactory(), answer=answer, value=2)
