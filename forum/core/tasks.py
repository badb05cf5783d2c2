"""Background tasks that try again: `@retried_task` over the Tasks API (django-tasks).

The database queue (django-tasks-db) runs each job once and has no retry of its own. A task
made with `@retried_task` that fails with a transient error (the mail server refused the
connection, timed out, answered 4xx) enqueues itself again with `run_after` = now + a growing
delay, and gives up after the last with one error log line. Log lines and the job table name
the task and the exception's class only: never an address, a subject or a body.

Tasks take ids, not text: they look up what they need when they run, so a post's words are
never copied into the job table, and a post deleted meanwhile sends nothing.

A finished job keeps its task name, times and status but not its arguments (they are blanked
when it succeeds, schedules its retry or gives up); finished rows are deleted by
`manage.py prune_db_task_results` (README, "Periodic work").

This module imports no app of ours.
"""

from __future__ import annotations

import datetime
import inspect
import logging
import smtplib
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django_tasks import TaskContext, task

logger = logging.getLogger("forum.tasks")

# Seconds before the 2nd, 3rd, ... attempt: 30 s, 2 min, 10 min, 30 min, 2 h; six attempts in all.
RETRY_DELAYS = (30, 120, 600, 1800, 7200)

# Worth another try later: SMTP errors, refused or reset connections, DNS failures and socket
# timeouts (ConnectionRefusedError, TimeoutError and socket.timeout are all OSError).
TRANSIENT = (smtplib.SMTPException, OSError)
# Not worth it: the server refused every recipient (a bad address does not get better).
PERMANENT = (smtplib.SMTPRecipientsRefused,)


class TaskGaveUp(Exception):
    """A task stopped retrying. Its message names the task and the error's class, nothing else."""


def retried_task(function: Callable[..., Any] | None = None, *, delays: tuple[int, ...] = RETRY_DELAYS, **options: Any):
    """Like django_tasks.task (keyword arguments only), plus retries with growing delays.

    The wrapped function is called with the keyword arguments it was enqueued with; the
    attempt number travels in the job's own keyword `attempt`.
    """

    def decorate(fn: Callable[..., Any]):
        name = fn.__qualname__
        taken = {"context", "attempt"} & inspect.signature(fn).parameters.keys()
        if taken:
            raise TypeError(f"{name}: a retried task cannot take {', '.join(sorted(taken))} (the wrapper's own)")

        def run(context: TaskContext, *, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                result = fn(**kwargs)
            except PERMANENT as error:
                _forget_arguments(context)
                logger.error("task %s gave up at attempt %d: %s", name, attempt, type(error).__name__)
                raise TaskGaveUp(f"{name}: {type(error).__name__}") from None
            except TRANSIENT as error:
                current = context.task_result.task
                if attempt > len(delays) or not current.get_backend().supports_defer:
                    _forget_arguments(context)
                    logger.error("task %s gave up after %d attempts: %s", name, attempt, type(error).__name__)
                    raise TaskGaveUp(f"{name}: {type(error).__name__} after {attempt} attempts") from None
                delay = delays[attempt - 1]
                run_after = timezone.now() + datetime.timedelta(seconds=delay)
                current.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
                _forget_arguments(context)
                logger.warning(
                    "task %s attempt %d failed (%s); next attempt in %d s", name, attempt, type(error).__name__, delay
                )
                return None
            _forget_arguments(context)
            return result

        # The job table names the task by its function's path: keep the wrapped function's.
        # (No functools.wraps: the Tasks API reads the signature, which must start with `context`.)
        run.__module__ = fn.__module__
        run.__name__ = fn.__name__
        run.__qualname__ = fn.__qualname__
        run.__doc__ = fn.__doc__
        return task(takes_context=True, **options)(run)

    return decorate(function) if function is not None else decorate


def _forget_arguments(context: TaskContext) -> None:
    """Blank a finished job's arguments in the database queue (ids, a recipient's address)."""
    from django_tasks_db import DatabaseBackend

    if isinstance(context.task_result.task.get_backend(), DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(pk=context.task_result.id).update(args_kwargs={"args": [], "kwargs": {}})
