"""django-ratelimit's decorator, but the refusal says how long to wait.

The library's own `ratelimit` raises a bare `Ratelimited`, so the 429 page could only guess
("60 seconds"). This one counts through the same `get_usage` (same cache keys, same windows,
same arguments) and raises `RateLimited` carrying the seconds left in the window that was
exceeded; RateLimitedMiddleware puts them in `Retry-After` and on the page.

When the counters can't be reached (Redis restarting: forum.core.shared_cache) the request is
let through, uncounted, and a warning logged: a limit is relaxed for those seconds rather than
every ask, answer and vote refused. Only someone who can stop Redis can open that window.
"""

import logging
from functools import wraps

from django_ratelimit import ALL, UNSAFE
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from forum.core.shared_cache import UNREACHABLE, asking_redis

__all__ = ["ALL", "UNSAFE", "RateLimited", "ratelimit"]

logger = logging.getLogger("forum.ratelimit")

# A refusal with no window to report (django-ratelimit's when a count can't be read, were it to fail closed).
FALLBACK_RETRY_AFTER = 60


class RateLimited(Ratelimited):
    """A limit was exceeded; `retry_after` is the whole seconds until its window has passed (at least 1)."""

    def __init__(self, retry_after: int):
        super().__init__(f"rate limited; retry after {retry_after} s")
        self.retry_after = retry_after


def retry_after(usage: dict) -> int:
    """Whole seconds until a limited request may succeed, from get_usage's `time_left`.

    `time_left` is the window's last second minus the current one; requests in that last
    second still count against the window, so the wait is one more: 1 … the period.
    """
    time_left = usage["time_left"]
    if time_left < 0:
        return FALLBACK_RETRY_AFTER
    return time_left + 1


def ratelimit(group=None, key=None, rate=None, method=ALL, block=True):
    """Drop-in for django_ratelimit.decorators.ratelimit (same arguments, same counting)."""

    def decorator(fn):
        @wraps(fn)
        def _wrapped(request, *args, **kw):
            try:
                with asking_redis():
                    usage = get_usage(request, group=group, fn=fn, key=key, rate=rate, method=method, increment=True)
            except UNREACHABLE as error:
                logger.warning(
                    "rate limit %s not counted: the counters are unreachable (%s)",
                    group or fn.__qualname__,
                    type(error).__name__,
                )
                usage = None
            limited = usage is not None and usage["should_limit"]
            request.limited = limited or getattr(request, "limited", False)
            if limited and block:
                raise RateLimited(retry_after(usage))
            return fn(request, *args, **kw)

        return _wrapped

    return decorator
