"""What the forum does when the shared cache (Redis) cannot be reached: nothing fails.

With CACHE_URL=redis://… two Redis databases hold what the hosts share (forum/settings.py):

- "default": the pages kept for visitors, and allauth's sign-in counts. Unreachable, it is a
  cache that keeps nothing (django-redis IGNORE_EXCEPTIONS): a read misses, a write is dropped,
  and the library logs each one. allauth then cannot take its counting lock and refuses a
  sign-in for that moment ("too many attempts"), failing closed.
- "counters": the pages' generations, list counts and rate-limit counters. These raise
  UNREACHABLE, and each caller decides: the page cache renders the page without it, a list
  count is counted, a rate limit lets the request through (forum.core.ratelimit), and a write's
  invalidation is tried again by a task until it lands (forum.core.pagecache.invalidate_soon).

A refused connection is tried again a few times first (about a third of a second in all:
forum.settings.redis_cache), which rides out a restart; a Redis that stopped answering is waited
for half a second per call at most. After that, the process does not ask the counters again
for AWAY_SECONDS (`asking_redis`): while Redis is down, a request costs one failed call a
second per process, not the retries at every call.

This module imports no app of ours.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# What a cache call raises when Redis is away: refused, reset or timed out (socket errors are
# OSError; django-redis's client, called directly, wraps them all in ConnectionInterrupted).
UNREACHABLE: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError, OSError, ConnectionInterrupted)

logger = logging.getLogger("forum.cache")

AWAY_SECONDS = 1.0
_away_until = 0.0  # time.monotonic() before which this process doesn't ask the counters


class RedisAway(RedisConnectionError):
    """Redis failed this process less than AWAY_SECONDS ago: not asked again yet (one of UNREACHABLE)."""


@contextmanager
def asking_redis() -> Iterator[None]:
    """Around calls to the counters: raises RedisAway at once within AWAY_SECONDS of a failure,
    and notes a failure (UNREACHABLE, raised on) so that the next calls don't wait for it too."""
    global _away_until
    if time.monotonic() < _away_until:
        raise RedisAway("Redis failed less than AWAY_SECONDS ago")
    try:
        yield
    except UNREACHABLE as error:
        _away_until = time.monotonic() + AWAY_SECONDS
        logger.warning("Redis is unreachable (%s): not asked again for %g s", type(error).__name__, AWAY_SECONDS)
        raise


def clear_strictly(cache: Any) -> None:
    """Empty `cache`, raising UNREACHABLE if it cannot be reached, even where its errors are
    otherwise ignored: django-redis ignores them in the cache's own methods, not in its client's."""
    getattr(cache, "client", cache).clear()
