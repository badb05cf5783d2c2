"""What a write changed, said by the service that made it, carried out once it commits.

Services call these inside their transaction; nothing happens for a transaction that rolls
back, and a request that wrote nothing invalidates nothing, whatever its HTTP method. The
model is zulip's actions, which emit their events on commit from the code that did the change.

- `pages_changed(*scopes)`: visitors' cached pages that show what changed are forgotten
  (forum.core.pagecache: `thread(pk)`, `LISTS`, `EVERYTHING`; for a write that changes only
  questions' rows and some orders, `ROWS` and `ACTIVITY`, `SCORES`, `ANSWERED`,
  `EXPERT_ANSWERED`, which leave lists that don't show those questions cached).
- `audit(kind, ...)`: one row of the moderation log, written in the same transaction by the
  writer the audit log registers (`register_audit_writer`), so this module imports no app.
- `task(fn, **kwargs)`: slow or fallible work (email) for the worker, queued with the write
  (forum.core.tasks: retries).

This module imports no app of ours: every app may import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from django.db import transaction

from . import pagecache

if TYPE_CHECKING:
    from django_tasks.base import Task


def pages_changed(*scopes: str) -> None:
    """Forget visitors' cached pages in these scopes once the current transaction commits
    (at once outside a transaction; never if it rolls back). If Redis can't be reached then,
    a task does it once it can: the write itself has succeeded (pagecache.invalidate_soon)."""
    chosen = frozenset(scopes)
    transaction.on_commit(lambda: pagecache.invalidate_soon(chosen))


class AuditWriter(Protocol):
    def __call__(self, moderator: Any, kind: str, **fields: Any) -> Any: ...


_audit_writer: AuditWriter | None = None


def register_audit_writer(writer: AuditWriter) -> None:
    """The audit log's app registers how a row is written (its AppConfig.ready)."""
    global _audit_writer
    _audit_writer = writer


def audit(moderator: Any, kind: str, **fields: Any) -> Any:
    """Write one row of the moderation log, in the caller's transaction."""
    if _audit_writer is None:
        raise RuntimeError("No audit log is installed: add forum.moderation to INSTALLED_APPS.")
    return _audit_writer(moderator, kind, **fields)


def task(fn: Task, **kwargs: Any) -> None:
    """Queue the task `fn(**kwargs)` (a django_tasks Task) for a write that may still roll back.

    With the database queue the job row is inserted now, in the caller's transaction: it
    commits with the write or vanishes with it (an outbox), and no worker sees it before the
    commit. Any other backend (ImmediateBackend runs the task on the spot) is called once the
    write commits; never for a write that rolls back. Outside a transaction both enqueue now.
    """
    if _queues_in_database(fn):
        fn.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: fn.enqueue(**kwargs))


def _queues_in_database(fn: Task) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(fn.get_backend(), DatabaseBackend)
