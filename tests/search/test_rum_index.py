"""The RUM index (migration questions/0019): built where the extension is, used to return matches
in rank order, reported by `manage.py search_backend`, and undone and redone by its migration."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from forum.questions.search_backend import RUM_INDEX, backend_name, rum_available
from tests.factories import make_question

pytestmark = pytest.mark.django_db

BEFORE = [("questions", "0018_search_synonyms")]

QUERY = "to_tsquery('forum_english', 'partner')"
# The search's ranked branch (LIMIT 100 there; `id > 0` is search.RUM_MARK) with a limit below
# the matches: when every match fits in the limit, reading them all and sorting is cheaper, and
# the planner rightly takes a bitmap scan.
RANKED_SQL = f"""
SELECT id, search_vector <=> {QUERY} FROM questions_question
WHERE status = 'published' AND search_vector @@ {QUERY} AND id > 0
ORDER BY search_vector <=> {QUERY} LIMIT 10
"""


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@pytest.fixture(autouse=True)
def rum_extension(db):
    """Skip where the server has no rum (search then takes the plain path); localdb's clusters have it."""
    if not _one("SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'rum')")[0]:
        pytest.skip("the rum extension is not in this database (install postgresql-NN-rum; localdb creates it)")
    rum_available.cache_clear()
    yield
    rum_available.cache_clear()


def _index_definition() -> str | None:
    return _one("SELECT pg_get_indexdef(to_regclass(%s))", [RUM_INDEX])[0]


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def test_it_builds_the_rum_index_on_published_questions():
    definition = _index_definition()
    assert definition is not None
    assert "USING rum (search_vector)" in definition  # rum_tsvector_ops: the default, not spelled out
    assert "WHERE (((status)::text = 'published'::text) AND (id > 0))" in definition
    assert rum_available() is True
    assert backend_name() == "RUM"


def test_it_returns_the_matches_in_rank_order_from_the_index():
    for i in range(60):
        words = " partner" * (i % 5)  # 48 match, with 1 to 4 mentions: distances to rank by
        make_question(title=f"Question {i} about talking{words}", body=f"Some details number {i}, long enough.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE questions_question")
        # 60 rows are 8 pages: reading them whole and sorting costs the planner a little less
        # (10.1) than the ordered index scan (11.7); from ~150 rows it takes the index unprompted.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {RANKED_SQL}")
        plan = cursor.fetchone()[0]
        cursor.execute(RANKED_SQL)
        from_index = cursor.fetchall()
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute(RANKED_SQL)
        sorted_whole = cursor.fetchall()
    nodes = list(_plan_nodes(plan[0]["Plan"]))
    scans = [n for n in nodes if n.get("Index Name") == RUM_INDEX]
    assert scans and scans[0]["Node Type"] == "Index Scan", plan
    assert "<=>" in scans[0].get("Order By", ""), plan
    assert not [n for n in nodes if n["Node Type"] == "Sort"], plan
    # The index returns the ten best distances, as a sort of every match would (ties in any order).
    assert len(from_index) == 10
    assert [distance for _, distance in from_index] == [distance for _, distance in sorted_whole]


def test_the_command_names_the_rum_index():
    out = StringIO()
    call_command("search_backend", stdout=out)
    assert out.getvalue() == f"Search ranking: RUM index {RUM_INDEX} (extension rum 1.3)\n"


def test_the_command_names_the_plain_path_without_the_index():
    rum_available()  # cached as present: the command must look again
    major = _one("SELECT current_setting('server_version_num')::int / 10000")[0]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {RUM_INDEX}")
        out = StringIO()
        call_command("search_backend", stdout=out)
        assert rum_available() is False
        assert backend_name() == "plain PostgreSQL"
        transaction.set_rollback(True)
    line = out.getvalue()
    assert line.startswith(
        f"Search ranking: plain PostgreSQL (GIN + ts_rank); install postgresql-{major}-rum and run migrate"
    )
    assert line.count("\n") == 1
    rum_available.cache_clear()
    assert rum_available() is True  # the rollback put it back


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_its_migration_drops_the_index_backwards_and_builds_it_forwards():
    definition = _index_definition()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(BEFORE)
    assert _index_definition() is None
    _migrate(latest)
    assert _index_definition() == definition
    assert _one("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", [RUM_INDEX])[0]
