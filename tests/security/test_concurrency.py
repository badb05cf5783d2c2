"""Races on real threads: what two (or twenty) people doing something at the same moment must not break.

Each test starts its workers on a threading.Barrier so they hit the database together; every worker
uses its own connection (closed when it ends), so the tests are transactional: data is committed,
and the tables are emptied afterwards — the migration's starter topics too, hence the `tag` fixture.

- answers racing a moderator's lock: each answer is either in (and older than the lock) or refused;
- ten accepts of ten answers: one accepted answer, no IntegrityError;
- one ask form sent ten times at once: one question, one key;
- ten reports of one answer: hidden once, one audit row, counters right;
- twenty members voting up, down and withdrawing: the score is the sum of the votes.
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from forum.answers.models import Answer, Vote
from forum.core.tokens import new_form_token, question_key_from_form_token, sha256_hex
from forum.desk.services import flag_create, question_lock
from forum.moderation.models import Flag, ModerationAction
from forum.questions.answer_services import answer_accept, answer_post, vote_cast
from forum.questions.models import Notification, Question, Tag
from forum.questions.services import question_create
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = "A kind and careful answer with enough words in it."


def new_member():
    return UserFactory(password=None)  # no password hashing: many members stay fast


@pytest.fixture
def tag():
    # A transactional test empties every table when it ends, the migration's starter topics included.
    return Tag.objects.order_by("pk").first() or Tag.objects.create(name="Relationships", slug="relationships")


def together(calls: list[Callable]) -> list:
    """Run each call in its own thread, all released at once. Returns each result or the exception it raised."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait(timeout=30)
            return call()
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.exception(timeout=60) or future.result() for future in futures]


def failures(outcomes: list) -> list[BaseException]:
    return [outcome for outcome in outcomes if isinstance(outcome, BaseException)]


def test_it_takes_each_answer_before_a_parallel_lock_or_refuses_it(tag):
    question = make_question(tags=[tag])
    members = [new_member() for _ in range(10)]
    moderator = new_member()
    calls = [partial(answer_post, question=question, author=member, body=ANSWER) for member in members]
    calls.append(partial(question_lock, moderator=moderator, question=question, reason="The thread got heated."))

    outcomes = together(calls)

    assert not isinstance(outcomes[-1], BaseException), outcomes[-1]
    lock = ModerationAction.objects.get(kind=ModerationAction.Kind.LOCK, question=question)
    posted = []
    for member, outcome in zip(members, outcomes[:-1], strict=True):
        if isinstance(outcome, BaseException):
            assert isinstance(outcome, ValidationError), repr(outcome)
            assert outcome.messages == ["This thread is closed: it takes no new answers."]
            assert not Answer.objects.filter(question=question, author=member).exists()
        else:
            posted.append(outcome.pk)
            assert outcome.created_at < lock.created_at  # it got the row before the lock did
    assert sorted(Answer.objects.filter(question=question).values_list("pk", flat=True)) == sorted(posted)

    with pytest.raises(ValidationError, match="closed"):
        answer_post(question=question, author=new_member(), body=ANSWER)
    question.refresh_from_db()
    assert question.is_locked
    published = Answer.objects.filter(question=question, status=Answer.Status.PUBLISHED).count()
    assert question.answer_count == published == len(posted)


def test_it_keeps_one_accepted_answer_when_the_asker_accepts_ten_at_once(tag):
    asker = new_member()
    question = make_question(author=asker, anonymous=False, tags=[tag])
    answers = [make_answer(question=question, author=new_member()) for _ in range(10)]

    outcomes = together([partial(answer_accept, question=question, answer=answer) for answer in answers])

    assert not [error for error in failures(outcomes) if isinstance(error, IntegrityError)]
    assert failures(outcomes) == []
    assert Answer.objects.filter(question=question, is_accepted=True).count() == 1
    question.refresh_from_db()
    assert question.has_accepted_answer
    kind = Notification.Kind.ANSWER_ACCEPTED
    assert Notification.objects.filter(question=question, kind=kind).count() == 10


def ask_once(tag, token):
    return question_create(
        author=None,
        title="What if my partner and I want different things?",
        body="Some details about the situation, long enough to pass validation.",
        tags=[tag],
        form_token=token,
    )


def test_it_stores_one_question_when_one_form_is_sent_ten_times_at_once(tag):
    """The plain race: whatever interleaving happens, one row, and never an IntegrityError.

    (That every copy also gets the question and its key back is asserted in the test below, which
    forces the interleaving that breaks it; left to chance it shows up in about half the runs.)
    """
    token = new_form_token()

    outcomes = together([partial(ask_once, tag, token)] * 10)

    assert not [error for error in failures(outcomes) if isinstance(error, IntegrityError)]
    question = Question.objects.get()
    assert question.submission_hash == sha256_hex(token)
    results = [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
    assert {result.question.pk for result in results} == {question.pk}
    assert {result.key for result in results} == {question_key_from_form_token(token)}
    assert [result.duplicate for result in results].count(False) == 1


def test_it_makes_one_question_and_one_key_from_one_form_sent_ten_times_at_once(tag, monkeypatch):
    """Ten copies of one ask form at once, in the interleaving that matters, made certain rather than lucky:
    every copy has looked for an earlier question (none yet) before the first one saves; the others go on
    only once the first is committed."""
    from forum.moderation import policy

    token = new_form_token()
    looked, first_committed, turn = threading.Barrier(10), threading.Event(), threading.Lock()
    queue, me = iter(range(10)), threading.local()
    screen_text = policy.screen_text

    def screen_text_in_turn(*texts):  # question_create calls it after its lookup, before it saves
        looked.wait(timeout=30)
        with turn:
            me.first = next(queue) == 0
        if not me.first:
            assert first_committed.wait(timeout=30)
        return screen_text(*texts)

    def ask():
        me.first = False
        try:
            return ask_once(tag, token)
        finally:
            if me.first:
                first_committed.set()

    monkeypatch.setattr(policy, "screen_text", screen_text_in_turn)
    outcomes = together([ask] * 10)

    assert failures(outcomes) == []
    question = Question.objects.get()
    assert {result.question.pk for result in outcomes} == {question.pk}
    assert {result.key for result in outcomes} == {question_key_from_form_token(token)}
    assert question.key_hash == sha256_hex(question_key_from_form_token(token))
    assert sorted(result.duplicate for result in outcomes) == [False] + [True] * 9
    tag.refresh_from_db()
    assert tag.question_count == Question.objects.published().filter(tags=tag).count()


def test_it_hides_a_reported_answer_once_when_ten_people_report_it_at_once(tag):
    question = make_question(tags=[tag])
    answer = make_answer(question=question, author=new_member())
    make_answer(question=question, author=new_member())  # stays visible
    reporters = [new_member() for _ in range(10)]

    outcomes = together([partial(flag_create, post=answer, reason="unsafe", reporter=r) for r in reporters])

    assert failures(outcomes) == []
    assert all(isinstance(flag, Flag) for flag in outcomes)
    assert Flag.objects.filter(answer=answer).count() == 10
    hides = ModerationAction.objects.filter(kind=ModerationAction.Kind.AUTO_HIDE)
    assert list(hides.values_list("answer_id", flat=True)) == [answer.pk]
    assert settings.FORUM_FLAGS_TO_HIDE <= 10
    answer.refresh_from_db()
    assert answer.status == Answer.Status.HIDDEN
    question.refresh_from_db()
    assert question.answer_count == Answer.objects.filter(question=question, status="published").count() == 1


# Each member's votes in order; the last one stands (0 withdraws, repeating a vote changes nothing).
VOTE_SEQUENCES = [[1], [-1], [1, 0], [-1, 1], [1, -1, 0], [0], [1, 1], [-1, 0, -1], [1, -1], [-1, -1, 0]]


def test_it_scores_a_mix_of_parallel_votes_as_the_sum_of_the_votes(tag):
    question = make_question(tags=[tag])
    answer = make_answer(question=question, author=new_member())
    voters = [new_member() for _ in range(20)]
    sequences = [VOTE_SEQUENCES[n % len(VOTE_SEQUENCES)] for n in range(len(voters))]

    def vote(user, values):
        for value in values:  # on the answer and on the question, turn about
            vote_cast(user=user, value=value, answer=answer)
            vote_cast(user=user, value=value, question=question)

    outcomes = together([partial(vote, user, values) for user, values in zip(voters, sequences, strict=True)])

    assert failures(outcomes) == []
    expected = sum(values[-1] for values in sequences)
    for post, votes in (
        (answer, Vote.objects.filter(answer=answer)),
        (question, Vote.objects.filter(question=question)),
    ):
        post.refresh_from_db()
        assert post.score == sum(votes.values_list("value", flat=True)) == expected
        assert dict(votes.values_list("user_id", "value")) == {
            user.pk: values[-1] for user, values in zip(voters, sequences, strict=True) if values[-1]
        }
