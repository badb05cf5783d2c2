"""The candidates search ranks: exactly the newest published matches, whichever way they are found."""

from importlib import import_module

import pytest
from django.db import connection
from django.utils import timezone

from forum.questions import search
from forum.questions.models import Question, Tag
from forum.questions.services import search_vector_expression

pytestmark = pytest.mark.django_db

CAP = 6


def questions(pattern: str) -> list[Question]:
    """One question per character, oldest first: "m" mentions zebras, "h" too but is hidden, "." doesn't."""
    created = Question.objects.bulk_create(
        Question(title=f"Question {i} about {'zebras' if c in 'mh' else 'giraffes'}", slug="q", body="Some details.",
                 body_html="<p>Some details.</p>", status="hidden" if c == "h" else "published",
                 published_at=timezone.now())
        for i, c in enumerate(pattern)
    )  # fmt: skip
    Question.objects.filter(pk__in=[q.pk for q in created]).update(search_vector=search_vector_expression())
    return created


def newest_matches(created: list[Question], pattern: str) -> list[int]:
    return [q.pk for q, c in zip(created, pattern, strict=True) if c == "m"][::-1][: CAP + 1]


@pytest.fixture
def small_bands(monkeypatch):
    """Bands of a few ids: newest 4, then 8, 16, 32..."""
    monkeypatch.setattr(search, "CANDIDATES", CAP)
    monkeypatch.setattr(search, "NEWEST_BAND", 4)
    monkeypatch.setattr(search, "BAND_GROWTH", 2)
    return monkeypatch


# Each case takes one way past the newest band: walked on, GIN bands, or one GIN scan.
CASES = {
    "dense, walked on": ("mmhm" * 15, 0.5, 10**6),
    "in between, GIN bands": ("..m." * 5 + "m.h." * 10, 1.0, 0),
    "sparse, one GIN scan": (("m" + "." * 7) * 3 + "h" + "." * 30, 1.0, 10**6),
    "none in the newest band": ("mhm" * 5 + "." * 40, 1.0, 10**6),
    "fewer than the cap": ("m..h...m" + "." * 20, 1.0, 0),
    "none at all": ("." * 20, 1.0, 0),
}


@pytest.mark.parametrize("pattern, walk_density, sparse", CASES.values(), ids=CASES.keys())
def test_it_gathers_exactly_the_newest_published_matches(small_bands, pattern, walk_density, sparse):
    small_bands.setattr(search, "WALK_DENSITY", walk_density)
    small_bands.setattr(search, "SPARSE_MATCHES", sparse)
    created = questions(pattern)
    assert search.search_candidates("zebra") == newest_matches(created, pattern)


def test_it_gathers_the_newest_matches_in_a_topic_and_with_experts(small_bands):
    first, second = Tag.objects.order_by("pk")[:2]
    pattern = "mmmhm.m" * 4
    created = questions(pattern)
    for i, question in enumerate(created):
        question.tags.add(first if i % 2 else second)
    Question.objects.filter(pk__in=[q.pk for q in created[::3]]).update(has_expert_answer=True)
    in_topic = [q for i, q in enumerate(created) if i % 2]
    assert search.search_candidates("zebra", tag=first) == newest_matches(in_topic, pattern[1::2])
    experts = created[::3]
    assert search.search_candidates("zebra", expert=True) == newest_matches(experts, pattern[::3])


def test_it_finds_nothing_in_an_empty_forum():
    assert search.search_candidates("zebra") == []


def test_the_search_vector_stays_in_the_row():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'search_vector'",
            [Question._meta.db_table],
        )
        assert cursor.fetchone()[0] == "m"  # STORAGE MAIN


def test_the_migration_rewrites_vectors_without_changing_them():
    [question] = questions("m")
    Question.objects.filter(pk=question.pk).update(body="x" * 2000)  # a row once too long to keep its vector

    def vector():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT search_vector::text FROM {Question._meta.db_table} WHERE id = %s", [question.pk])
            return cursor.fetchone()[0]

    before = vector()
    migration = import_module("forum.questions.migrations.0006_search_vector_stored_inline")
    with connection.cursor() as cursor:
        cursor.execute(migration.REWRITE_OUT_OF_LINE_VECTORS)
        assert cursor.rowcount == 1
    assert vector() == before
