"""seed_bulk sets the RUM search index aside during a large load and builds it again after it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from forum.devtools.bulk import indexes
from forum.questions.search_backend import RUM_INDEX

pytestmark = pytest.mark.django_db


def _index() -> tuple[int, str, bool] | None:
    """(oid, definition, valid) of the RUM index, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::int, pg_get_indexdef(indexrelid), indisvalid FROM pg_index"
            " WHERE indexrelid = to_regclass(%s)",
            [RUM_INDEX],
        )
        return cursor.fetchone()


@pytest.fixture
def rum_index(db):
    before = _index()
    if before is None:
        pytest.skip("no RUM index in this database (the rum extension is not installed)")
    return before


def _seed(questions: int) -> str:
    out = StringIO()
    call_command("seed_bulk", questions=questions, seed=3, force=True, stdout=out)
    return out.getvalue()


def test_it_drops_and_rebuilds_the_index_for_a_large_load(rum_index, monkeypatch):
    monkeypatch.setattr(indexes, "REBUILD_RUM_FROM", 20)
    out = _seed(20)
    assert f"{RUM_INDEX} dropped for the load of 20 questions" in out
    assert f"{RUM_INDEX} rebuilt in" in out
    oid, definition, valid = _index()
    assert oid != rum_index[0] and definition == rum_index[1] and valid
    with connection.cursor() as cursor:
        cursor.execute("SHOW maintenance_work_mem")
        assert cursor.fetchone()[0] != indexes.BUILD_MEMORY  # only for the build
        cursor.execute(
            "SELECT count(*) FROM questions_question WHERE status = 'published'"
            " AND search_vector @@ to_tsquery('forum_english', 'partner')"
        )
        assert cursor.fetchone()[0] > 0  # the rebuilt index holds the loaded rows' vectors


def test_it_keeps_the_index_in_place_for_a_smaller_load(rum_index):
    out = _seed(20)
    assert f"{RUM_INDEX} kept in place during the load (fewer than 10,000 questions)" in out
    assert _index() == rum_index
