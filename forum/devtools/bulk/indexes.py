"""The RUM search index during a large load: dropped before it, built again after it.

Every other index stays live during seed_bulk. The RUM index (migration questions/0019) takes
each row's new search vector (derived.after_bulk_insert) as one insertion, and that is slow:
loading 100,000 questions took 598 s with it live (486 s of them filling the vectors, and a
115 MB index) against 274 s dropped and built again after the load (173 s, then 8.3 s to
build: 62 MB); at 10,000 questions, 50.5 s against 22.9 s (0.6 s to build). Only from
REBUILD_RUM_FROM questions: a small load into a large table would pay a whole build for a few
rows.

All in seed_bulk's transaction: a failed load leaves the index as it was. Dropping it locks the
questions' table until the load commits (seed_bulk runs before anything serves the database).
The build uses the index's own definition, read from the catalog, so the two can never differ.
Dropping an index takes the table's owner: under another role (the app's) it stays in place.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from django.db import connection

from forum.questions.search_backend import RUM_INDEX

REBUILD_RUM_FROM = 10_000  # questions in one load
# maintenance_work_mem for the build (64 MB by default). At 100,000 questions it changed nothing
# (8.1 s with 64 MB, 8.4 s with 1 GB); the room is for larger loads.
BUILD_MEMORY = "1GB"

_INDEX_SQL = """
SELECT pg_get_indexdef(i.indexrelid),
       pg_has_role(current_user, c.relowner, 'USAGE')
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
WHERE i.indexrelid = to_regclass(%s)
"""


@contextlib.contextmanager
def rum_index_set_aside(*, questions: int, log: Callable[[str], None]) -> Iterator[None]:
    """Around a load of `questions` rows: without RUM_INDEX during it (if it exists and the load is
    large enough), with it rebuilt after it. Says which in `log`."""
    with connection.cursor() as cursor:
        cursor.execute(_INDEX_SQL, [RUM_INDEX])
        row = cursor.fetchone()
    if row is None:  # the plain path: no RUM index to keep up
        yield
        return
    definition, owner = row
    if questions < REBUILD_RUM_FROM or not owner:
        why = f"fewer than {REBUILD_RUM_FROM:,} questions" if owner else "this role does not own the table"
        log(f"{RUM_INDEX} kept in place during the load ({why})")
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {RUM_INDEX}")
    log(f"{RUM_INDEX} dropped for the load of {questions:,} questions; it is built again after it")
    yield
    started = time.monotonic()
    # CREATE INDEX refuses a table with pending trigger events: the deferred foreign-key checks of
    # the rows just written (under a role that could not switch them off) are run now, not at commit.
    connection.check_constraints()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('maintenance_work_mem')")
        before = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [BUILD_MEMORY])
        cursor.execute(definition)
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [before])
    log(f"{RUM_INDEX} rebuilt in {time.monotonic() - started:.1f}s (maintenance_work_mem {BUILD_MEMORY})")
