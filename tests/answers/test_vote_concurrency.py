"""Votes cast at the same moment: vote_cast locks the post row, so no vote is lost, doubled or refused.

These run on real threads, each with its own database connection, so the tests are transactional
(data is committed, then the tables are emptied afterwards).
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection

from forum.answers.models import Answer, Vote
from forum.questions.answer_services import vote_cast
from forum.questions.models import Tag
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db(transaction=True)


def new_member():
    return UserFactory(password=None)  # no password hashing: twenty members stay fast


@pytest.fixture
def answer():
    # A transactional test empties every table when it ends, the migration's starter topics included.
    tag = Tag.objects.order_by("pk").first() or Tag.objects.create(name="Relationships", slug="relationships")
    question = make_question(tags=[tag])
    return make_answer(question=question, author=new_member())


def vote_together(votes: list[tuple[object, int]], answer: Answer) -> tuple[list[int], list[BaseException]]:
    """Cast every (user, value) vote in its own thread, all released at once. Returns (scores, errors)."""
    barrier = threading.Barrier(len(votes))

    def cast(user, value):
        try:
            barrier.wait(timeout=30)
            return vote_cast(user=user, value=value, answer=answer)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(votes)) as pool:
        futures = [pool.submit(cast, user, value) for user, value in votes]
        outcomes = [future.exception() or future.result() for future in futures]
    scores = [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
    errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    return scores, errors


def test_it_counts_twenty_parallel_upvotes_exactly(answer):
    voters = [new_member() for _ in range(20)]

    scores, errors = vote_together([(user, 1) for user in voters], answer)

    assert errors == []
    assert sorted(scores) == list(range(1, 21))  # serialized by the row lock: each vote saw the one before
    answer.refresh_from_db()
    assert answer.score == 20
    assert Vote.objects.filter(answer=answer).count() == 20
    assert set(Vote.objects.filter(answer=answer).values_list("user_id", flat=True)) == {u.pk for u in voters}


def test_it_keeps_one_vote_when_a_member_double_votes_from_ten_threads(answer):
    voter = new_member()

    scores, errors = vote_together([(voter, 1)] * 10, answer)

    integrity_errors = [error for error in errors if isinstance(error, IntegrityError)]
    assert len(integrity_errors) == 0, integrity_errors
    assert errors == []
    assert scores == [1] * 10
    answer.refresh_from_db()
    assert answer.score == 1
    assert list(Vote.objects.filter(answer=answer).values_list("user_id", "value")) == [(voter.pk, 1)]


def test_it_nets_ten_up_and_ten_down_votes_to_zero(answer):
    votes = [(new_member(), 1) for _ in range(10)] + [(new_member(), -1) for _ in range(10)]
    votes = [vote for pair in zip(votes[:10], votes[10:], strict=True) for vote in pair]  # interleave up and down

    scores, errors = vote_together(votes, answer)

    assert errors == []
    assert len(scores) == 20 and all(-10 <= score <= 10 for score in scores)
    answer.refresh_from_db()
    assert answer.score == 0
    assert Counter(Vote.objects.filter(answer=answer).values_list("value", flat=True)) == {1: 10, -1: 10}
