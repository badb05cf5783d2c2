"""What is computed from the bulk-inserted rows once they are in: topic counts and search vectors.

Both run in seed_bulk's transaction, set-based, never one query per row.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count

from forum.questions.models import Question, SearchWord, Tag
from forum.questions.services import search_vector_expression


def recount_tags(tags: list[Tag]) -> None:
    """Tag.question_count = published questions per topic, for every topic."""
    through = Question.tags.through
    counts = dict(
        through.objects.filter(question__status=Question.Status.PUBLISHED)
        .values("tag_id")
        .annotate(n=Count("id"))  # type: ignore[misc]  # the through model's own rows, counted per tag
        .values_list("tag_id", "n")
    )
    for tag in tags:
        tag.question_count = counts.get(tag.pk, 0)
    Tag.objects.bulk_update(tags, ["question_count"])


def after_bulk_insert(question_ids: list[int]) -> None:
    """Hook: fill what is derived from the new questions and their answers. Runs in the transaction.

    The rows are in (published, tags attached, answers and votes in, counters right). Work here
    set-based, in ranges of ids, never one query per row. Today: the stored search vector,
    with the very expression services.question_search_refresh uses.
    """
    if not question_ids or not any(f.name == "search_vector" for f in Question._meta.concrete_fields):
        return
    vector = search_vector_expression()
    ids = sorted(question_ids)
    for start in range(0, len(ids), 5_000):
        Question.objects.filter(pk__in=ids[start : start + 5_000]).update(search_vector=vector)
    add_words(ids)


_ADD_WORDS_SQL = f"""
INSERT INTO {SearchWord._meta.db_table} AS v (word, documents)
SELECT w, count(*) FROM {Question._meta.db_table} q, unnest(q.words) AS w
WHERE q.id = ANY(%s) AND current_setting('forum.vocabulary_deferred', true) = 'on'
GROUP BY w ORDER BY w
ON CONFLICT (word) DO UPDATE SET documents = v.documents + EXCLUDED.documents
"""


def add_words(ids: list[int]) -> None:
    """The new questions' words into the vocabulary (models.SearchWord), once: under seed_bulk's
    `forum.vocabulary_deferred` the trigger (migration 0016) only set each row's words, rather
    than updating the same vocabulary rows once per question. Without it, the trigger already
    counted them and this adds nothing."""
    with connection.cursor() as cursor:
        cursor.execute(_ADD_WORDS_SQL, [ids])
