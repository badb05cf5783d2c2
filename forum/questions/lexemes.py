"""How common each lexeme of the search vector is, as ANALYZE last measured it.

PostgreSQL keeps, per column, the most common elements of a tsvector column and their
frequencies (`pg_stats.most_common_elems`, up to ten times the statistics target: ~1,000
lexemes). Search weighs a query's words by them (search.search_plan) and the spelling check
takes a lexeme among them as a known word (spelling.read). They change only when the table is
analyzed (autovacuum, after a tenth of the rows changed), so a process reads them at most once
every TTL seconds rather than in every search: reading the `pg_stats` view cost 1-2 ms a query,
and planning it more.

The statistics are sampled over the whole table, unpublished rows included: they only ever
weigh words (threat model, "Ranking every match").
"""

import time

from django.db import connection

from .models import Question

TTL = 300.0  # seconds; ANALYZE is far rarer
_SQL = """
SELECT e.lexeme, e.frequency
FROM pg_stats s
CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, frequency)
WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'search_vector'
  AND e.lexeme IS NOT NULL
"""
_cache: dict[str, tuple[float, dict[str, float]]] = {}


def common() -> dict[str, float]:
    """lexeme -> the share of questions holding it, for the most common lexemes (a lexeme not
    here is rarer than all of them). Read at most once every TTL seconds per process and
    database."""
    now = time.monotonic()
    key = connection.settings_dict["NAME"]
    cached = _cache.get(key)
    if cached is not None and now - cached[0] < TTL:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(_SQL, [Question._meta.db_table])
        found = {lexeme: float(frequency) for lexeme, frequency in cursor.fetchall()}
    _cache[key] = (now, found)
    return found


def clear() -> None:
    """Forget what was read (tests: a test that analyzes the table reads its own statistics)."""
    _cache.clear()
