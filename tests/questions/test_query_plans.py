"""Every list ordering and filter is served by an index (checked with EXPLAIN).

The test tables are small, so PostgreSQL would read them whole whatever indexes exist: the
plans are taken with sequential scans and explicit sorts priced out (`enable_seqscan`,
`enable_sort` off), which leaves an index in the plan only if one can produce the rows in the
asked order. A missing index shows up as a Seq Scan or a full Sort, and the test names it.
"""

import re

import pytest
from django.db import connection, transaction

from forum.questions import selectors
from forum.questions.models import Question, Tag
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


@pytest.fixture(autouse=True)
def some_questions():
    # Most questions answered, as in a living forum: with half of them unanswered, the planner may
    # as well filter the newest-first index as read the partial one, and which it picks then
    # depends on statistics earlier tests left behind.
    tag = Tag.objects.order_by("pk").first()
    for n in range(10):
        question = make_question(author=UserFactory(), title=f"Question number {n} for the planner", tags=[tag])
        if n % 5:
            make_answer(question=question, author=UserFactory(), body="An answer so not everything is unanswered.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE questions_question, questions_question_tags, answers_answer")


def listing_queryset(**filters):
    """The exact queryset the list page slices (the Paginator's object_list)."""
    return selectors.question_list(**filters).paginator.object_list


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("newest", "question_newest"),
        ("active", "question_active"),
        ("votes", "question_votes"),
        ("unanswered", "question_unanswered"),
    ],
)
def test_each_list_ordering_reads_its_index(sort, index):
    text = plan(listing_queryset(sort=sort)[:20])
    assert index in text, text
    assert not re.search(r"Seq Scan on questions_question\b", text), text


@pytest.mark.parametrize("sort", ["newest", "active", "votes", "unanswered"])
def test_a_topic_page_in_each_ordering_uses_indexes_only(sort):
    tag = Tag.objects.order_by("pk").first()
    text = plan(listing_queryset(sort=sort, tag=tag)[:20])
    assert "Seq Scan" not in text, text


@pytest.mark.parametrize("sort", ["newest", "active", "votes"])
def test_the_expert_answered_filter_uses_indexes_only(sort):
    text = plan(listing_queryset(sort=sort, expert=True)[:20])
    assert "Seq Scan" not in text, text


def test_the_home_page_lists_use_indexes():
    newest = Question.objects.published().order_by("-created_at", "-id")
    assert "question_newest" in plan(newest[:15])
    assert "Seq Scan" not in plan(newest.filter(has_expert_answer=True)[:5])


def test_a_threads_answers_are_read_through_an_index_on_their_question():
    question = Question.objects.published().filter(answer_count__gt=0).first()
    text = plan(selectors.thread_answers(question).paginator.object_list)
    assert re.search(r"Index Scan (using|on) (answer_thread|answers_answer_question_id\w*)", text), text
    assert "Seq Scan on answers_answer" not in text, text
