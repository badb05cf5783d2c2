"""Which path search ranks on: the RUM index, or plain PostgreSQL.

Migration questions/0019 builds RUM_INDEX when the `rum` extension is there (its docstring
says why and when); without it, search ranks with the GIN index and ts_rank. The answer is
read once per process from the catalog: the index comes and goes only with a migration
(or seed_bulk's rebuild, which puts it back), and a process started before that keeps its
first answer. Tests that drop the index call `rum_available.cache_clear()` around it.
"""

from functools import cache

from django.db import connection

RUM_INDEX = "question_search_rum"


@cache
def rum_available() -> bool:
    """Whether RUM_INDEX exists and is valid (a failed CREATE INDEX CONCURRENTLY leaves an
    invalid one that the planner never uses) in the current database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", [RUM_INDEX])
        row = cursor.fetchone()
    return bool(row and row[0])


def backend_name() -> str:
    return "RUM" if rum_available() else "plain PostgreSQL"


def backend_line() -> str:
    """One line for people (`manage.py search_backend`): the path, and how to get RUM."""
    if rum_available():
        with connection.cursor() as cursor:
            cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'rum'")
            row = cursor.fetchone()
        version = row[0] if row else "?"
        return f"Search ranking: RUM index {RUM_INDEX} (extension rum {version})"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int / 10000")
        major = cursor.fetchone()[0]
    # Migration 0019 builds the index only where the extension is (or a superuser can create it),
    # once: a database that ran it without the extension takes it again from 0018.
    return (
        "Search ranking: plain PostgreSQL (GIN + ts_rank); "
        f"install postgresql-{major}-rum and run migrate for the RUM index "
        "(as a superuser, or after CREATE EXTENSION rum; if questions 0019 ran already, migrate questions 0018 first)"
    )
