"""Reads from streaming replicas, writes to the primary, and nobody misses their own write.

With `DATABASE_REPLICA_URLS` set, settings.py adds one database alias per replica ("replica1",
…) and installs `ReplicaRouter`. Without it nothing here runs: every read and write goes to
"default", the primary, as before.

Where a read goes:

- to the primary, whenever it must see the latest committed state: inside a transaction, in a
  request that writes (POST and the other unsafe methods: their checks read what they then
  write), on the pages that decide who may do what (`/moderation/`, `/admin/`, `/accounts/`),
  for the tables of accounts, sessions, permissions, MFA, the moderation log and the task queue
  (`PRIMARY_APPS`), and outside requests (the task worker, management commands);
- otherwise to a replica that is up and has replayed far enough, else to the primary.

"Far enough" is the read-your-writes rule. A request that wrote (any statement on the primary
other than a SELECT) ends by reading the primary's WAL insert position,
`pg_current_wal_insert_lsn()`, which is past its commit, and sends it back in a signed cookie
(READ_OWN_WRITES_COOKIE) that lives REPLICA_MAX_LAG_SECONDS. While the cookie lives, that
browser's reads go to a replica only once its `pg_last_wal_replay_lsn()` has passed that
position; after it, any usable replica is at most REPLICA_MAX_LAG_SECONDS behind, which the
write is older than. The same rule serves pages kept for every visitor (forum.core.pagecache):
a page rendered to be kept, or a count to be remembered, asks for reads as fresh as the primary
at that moment (`read_fresh`), so a replica that has not yet replayed a write can never put a
page from before it in the cache under the generations after it.

A replica is checked at most once a second per process (one query: its replay position and,
when it has WAL it has not replayed, how long ago it last replayed a transaction). One that
can't be reached is skipped for REPLICA_RETRY_SECONDS; one more than REPLICA_MAX_LAG_SECONDS
behind is skipped until it catches up. A GET whose replica fails in the middle of the request
(stopped, restarted) is run again on the primary by `ReplicaMiddleware`: a reader never sees
a replica go away.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse

PRIMARY = DEFAULT_DB_ALIAS
# Who may do what, who is signed in, what a moderator did, what is queued: always the primary's.
PRIMARY_APPS = frozenset(
    {"accounts", "auth", "sessions", "contenttypes", "account", "mfa", "moderation", "django_cache", "django_tasks_db"}
)
# Pages where people decide about others (the desk, the admin) or about their own account.
PRIMARY_PATHS = ("/moderation/", "/admin/", "/accounts/")
READ_OWN_WRITES_COOKIE = "read_own_writes"
_COOKIE_SALT = "forum.core.replicas"
CHECK_SECONDS = 1.0
RETRY_SECONDS = 2.0
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# One query on the replica: how far it has replayed, and how far behind it is in seconds (0 when
# it has replayed all it received: an idle primary sends nothing, which is not lag).
_STATUS_SQL = """
SELECT pg_last_wal_replay_lsn()::text,
       CASE WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
            THEN 0 ELSE COALESCE(EXTRACT(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def lsn_to_int(text: str | None) -> int | None:
    """PostgreSQL's `X/Y` WAL position as one number (None stays None)."""
    if not text:
        return None
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


def primary_position() -> int:
    """Where the primary's WAL is inserting now: past every commit made before this call."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        position = lsn_to_int(cursor.fetchone()[0])
    assert position is not None
    return position


# --- replicas' health, per process ---------------------------------------------------------


@dataclass
class _Status:
    checked: float = float("-inf")  # time.monotonic() of the last check
    reachable: bool = False
    replayed: int = 0  # WAL position replayed; a server not in recovery counts as fully caught up
    lag: float = 0.0


_statuses: dict[str, _Status] = {}


def _check(alias: str) -> _Status:
    """Ask the replica where it is (one query). An unreachable one is closed and marked so."""
    status = _statuses.setdefault(alias, _Status())
    status.checked = time.monotonic()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(_STATUS_SQL)
            replayed, lag = cursor.fetchone()
    except (OperationalError, InterfaceError):
        status.reachable = False
        _close_quietly(alias)
        return status
    status.reachable = True
    # NULL: not a standby (a test setup pointing a "replica" at the primary): never behind.
    position = lsn_to_int(replayed)
    status.replayed = position if position is not None else 1 << 64
    status.lag = float(lag or 0)
    return status


def _close_quietly(alias: str) -> None:
    try:
        connections[alias].close()
    except (OperationalError, InterfaceError):
        connections[alias].connection = None


def mark_down(alias: str) -> None:
    """A replica failed mid-request: skip it until its next check is due."""
    status = _statuses.setdefault(alias, _Status())
    status.reachable = False
    status.checked = time.monotonic()
    _close_quietly(alias)


def _usable(alias: str, needs: int | None) -> bool:
    status = _statuses.get(alias) or _Status()
    age = time.monotonic() - status.checked
    if not status.reachable and age < RETRY_SECONDS:
        return False
    if age >= CHECK_SECONDS or (needs is not None and status.replayed < needs):
        status = _check(alias)
    if not status.reachable or status.lag > settings.REPLICA_MAX_LAG_SECONDS:
        return False
    return needs is None or status.replayed >= needs


# --- the request's choice -------------------------------------------------------------------


@dataclass
class _Reads:
    primary_only: bool = False
    needs: int | None = None  # the WAL position a replica must have replayed to serve this request
    chosen: str | None = None  # the alias this request reads from, once chosen
    wrote: bool = False
    replicas_used: set[str] = field(default_factory=set)


_reads: ContextVar[_Reads | None] = ContextVar("replica_reads", default=None)


def reads_alias() -> str:
    """The database this moment's reads go to (the router's answer for every model not pinned)."""
    reads = _reads.get()
    if reads is None or reads.primary_only or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    if reads.chosen is None:
        reads.chosen = PRIMARY
        candidates = replica_aliases()
        random.shuffle(candidates)
        for alias in candidates:
            if _usable(alias, reads.needs):
                reads.chosen = alias
                reads.replicas_used.add(alias)
                break
    return reads.chosen


def read_fresh() -> None:
    """From here on, this request reads data at least as new as the primary's now: for what is
    kept for others (a cached page, a remembered count). No query without replicas."""
    reads = _reads.get()
    if reads is None or reads.primary_only or not replica_aliases() or reads.chosen == PRIMARY:
        return
    reads.needs = max(reads.needs or 0, primary_position())
    reads.chosen = None


class ReplicaRouter:
    """Django's database router for DATABASE_REPLICA_URLS (see the module docstring)."""

    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in PRIMARY_APPS:
            return PRIMARY
        return reads_alias()

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, copied: every alias holds every row

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == PRIMARY


# --- the middleware --------------------------------------------------------------------------


def _is_write(sql: str) -> bool:
    head = sql.lstrip()[:9].upper()
    return not head.startswith(("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET ", "SHOW"))


class ReplicaMiddleware:
    """Decides, per request, where its reads may go; remembers a browser's last write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.enabled = bool(replica_aliases())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        reads = _Reads(
            primary_only=request.method not in _SAFE_METHODS or request.path.startswith(PRIMARY_PATHS),
            needs=self._last_write(request),
        )
        token = _reads.set(reads)
        try:
            with connections[PRIMARY].execute_wrapper(self._watch(reads)):
                response = self.get_response(request)
            if reads.wrote:
                self._remember_write(response)
        finally:
            _reads.reset(token)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A GET whose replica went away mid-request runs again, on the primary."""
        reads = _reads.get()
        if (
            reads is None
            or request.method not in _SAFE_METHODS
            or not isinstance(exception, (OperationalError, InterfaceError))
            or reads.chosen in (None, PRIMARY)
            or getattr(request, "resolver_match", None) is None
        ):
            return None
        mark_down(reads.chosen)
        reads.primary_only = True
        reads.chosen = PRIMARY
        match = request.resolver_match
        assert match is not None
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response

    @staticmethod
    def _watch(reads: _Reads):
        def watch(execute, sql, params, many, context):
            if not reads.wrote and _is_write(sql):
                reads.wrote = True
            return execute(sql, params, many, context)

        return watch

    @staticmethod
    def _last_write(request: HttpRequest) -> int | None:
        value = request.get_signed_cookie(
            READ_OWN_WRITES_COOKIE, default=None, salt=_COOKIE_SALT, max_age=settings.REPLICA_MAX_LAG_SECONDS
        )
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    @staticmethod
    def _remember_write(response: HttpResponse) -> None:
        response.set_signed_cookie(
            READ_OWN_WRITES_COOKIE,
            str(primary_position()),
            salt=_COOKIE_SALT,
            max_age=settings.REPLICA_MAX_LAG_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def reset_statuses() -> None:
    """Forget every replica's last check (tests)."""
    _statuses.clear()


def reading(model) -> BaseDatabaseWrapper:
    """The connection for raw SQL that reads `model`'s tables, chosen as the ORM would."""
    return connections[router.db_for_read(model)]
