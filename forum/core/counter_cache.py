"""The "counters" cache on PostgreSQL, with increments that lose nothing under concurrency.

django-ratelimit counts with `cache.add(key, 1)` then `cache.incr(key)`. Django's DatabaseCache
implements incr as a read then a write, so two requests at the same moment both read 7 and
both write 8: a limit of 60 lets through far more than 60. Here every operation is one SQL
statement on its own table (forum.core.models.CounterEntry, created by a migration):

- incr: `UPDATE … SET number = number + delta … RETURNING number`: the row lock serializes
  concurrent increments, and each sees the value the previous one committed;
- add: `INSERT … ON CONFLICT DO UPDATE … WHERE expired RETURNING`: exactly one of several
  concurrent adds of a key succeeds, and an expired row is replaced in the same statement.

Integers are kept in a bigint column; anything else (the list counts' (generation, count)
pairs) is pickled, as Django's own database cache does. Expiry is judged by the database's
clock, so every worker agrees on it. Expired rows are deleted at most once a minute per
process. Nothing is ever evicted early: these values must not be pushed out by page churn
(that is what the "default" cache is for).

With Redis (CACHE_URL=redis://…) the counters use Django's RedisCache, whose incr is atomic.
"""

import pickle
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import DEFAULT_DB_ALIAS, connections

TABLE = "forum_counter_cache"  # forum.core.models.CounterEntry
_BIGINT = range(-(2**63), 2**63)
_NOW = "statement_timestamp()"
# Seconds from now, or NULL (no timeout) for a value that never expires.
_EXPIRES = f"COALESCE({_NOW} + make_interval(secs => %s::float8), 'infinity')"
_LIVE = f"expires > {_NOW}"

CULL_INTERVAL_SECONDS = 60
_next_cull = {"at": time.monotonic() + CULL_INTERVAL_SECONDS}
_cull_lock = threading.Lock()


def _encode(value) -> tuple[int | None, bytes | None]:
    if type(value) is int and value in _BIGINT:
        return value, None
    return None, pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _decode(number: int | None, blob) -> object:
    # Our own table, written only by this backend (as trusted as Django's database cache).
    return number if number is not None else pickle.loads(bytes(blob))  # noqa: S301


class CounterCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)  # `location` is unused: the table is CounterEntry's

    def _cursor(self):
        return connections[DEFAULT_DB_ALIAS].cursor()

    def _seconds(self, timeout) -> float | None:
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return None if timeout is None else float(timeout)

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(f"SELECT number, value FROM {TABLE} WHERE cache_key = %s AND {_LIVE}", [key])
            row = cursor.fetchone()
        return default if row is None else _decode(*row)

    def get_many(self, keys, version=None):
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not made:
            return {}
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT cache_key, number, value FROM {TABLE} WHERE cache_key = ANY(%s) AND {_LIVE}", [list(made)]
            )
            rows = cursor.fetchall()
        return {made[key]: _decode(number, blob) for key, number, blob in rows}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        number, blob = _encode(value)
        with self._cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (cache_key, number, value, expires) VALUES (%s, %s, %s, {_EXPIRES}) "
                "ON CONFLICT (cache_key) DO UPDATE "
                "SET number = EXCLUDED.number, value = EXCLUDED.value, expires = EXCLUDED.expires",
                [key, number, blob, self._seconds(timeout)],
            )
        self._cull_now_and_then()

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Every value in one statement (a write's pages_changed sets two or three generations:
        one round trip and one commit instead of one each). Keys are written in sorted order, so
        two writers setting the same keys at once never deadlock."""
        rows = sorted(
            (self.make_and_validate_key(key, version=version), *_encode(value)) for key, value in data.items()
        )
        if not rows:
            return []
        seconds = self._seconds(timeout)
        values = ", ".join([f"(%s, %s, %s, {_EXPIRES})"] * len(rows))
        with self._cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (cache_key, number, value, expires) VALUES {values} "
                "ON CONFLICT (cache_key) DO UPDATE "
                "SET number = EXCLUDED.number, value = EXCLUDED.value, expires = EXCLUDED.expires",
                [param for row in rows for param in (*row, seconds)],
            )
        self._cull_now_and_then()
        return []

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """Store the value only if the key holds no live value; True when it was stored."""
        key = self.make_and_validate_key(key, version=version)
        number, blob = _encode(value)
        with self._cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} AS entry (cache_key, number, value, expires) VALUES (%s, %s, %s, {_EXPIRES}) "
                "ON CONFLICT (cache_key) DO UPDATE "
                "SET number = EXCLUDED.number, value = EXCLUDED.value, expires = EXCLUDED.expires "
                f"WHERE entry.expires <= {_NOW} RETURNING 1",
                [key, number, blob, self._seconds(timeout)],
            )
            added = cursor.fetchone() is not None
        self._cull_now_and_then()
        return added

    def incr(self, key, delta=1, version=None):
        """Add `delta` to a live integer in one statement; ValueError when there is none."""
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET number = number + %s "
                f"WHERE cache_key = %s AND number IS NOT NULL AND {_LIVE} RETURNING number",
                [delta, key],
            )
            row = cursor.fetchone()
        if row is None:
            raise ValueError(f"Key '{key}' not found")
        return row[0]

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET expires = {_EXPIRES} WHERE cache_key = %s AND {_LIVE} RETURNING 1",
                [self._seconds(timeout), key],
            )
            return cursor.fetchone() is not None

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {TABLE} WHERE cache_key = %s AND {_LIVE}", [key])
            return cursor.fetchone() is not None

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE cache_key = %s", [key])
            return cursor.rowcount > 0

    def clear(self):
        with self._cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def delete_expired(self) -> int:
        with self._cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE expires <= {_NOW}")
            return cursor.rowcount

    def _cull_now_and_then(self) -> None:
        with _cull_lock:
            if time.monotonic() < _next_cull["at"]:
                return
            _next_cull["at"] = time.monotonic() + CULL_INTERVAL_SECONDS
        self.delete_expired()
