"""The "counters" cache on PostgreSQL: Django's cache contract, and increments that lose nothing in a crowd."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory
from django_ratelimit.core import get_usage

from forum.core.counter_cache import CounterCache
from forum.core.pagecache import EVERYTHING, bump_content_generation, generations
from forum.core.privacy import ratelimit_key

# Threads released together, each with its own database connection (the test cluster allows 300).
THREADS = 200


@pytest.fixture
def counters(db):
    cache = caches["counters"]
    assert isinstance(cache, CounterCache)
    return cache


def test_it_keeps_integers_and_any_other_value(counters):
    counters.set("n", 41)
    counters.set("pair", (1_700_000_000_000_000_000, 12))
    counters.set("big", 2**70)
    counters.set("flag", True)
    assert counters.get("n") == 41
    assert counters.get("pair") == (1_700_000_000_000_000_000, 12)
    assert counters.get("big") == 2**70
    assert counters.get("flag") is True
    assert counters.get("missing", "default") == "default"
    assert counters.get_many(["n", "pair", "missing"]) == {"n": 41, "pair": (1_700_000_000_000_000_000, 12)}
    assert counters.incr("n", 2) == 43 and counters.decr("n") == 42 and counters.get("n") == 42


def test_it_sets_many_values_in_one_statement(counters, django_assert_num_queries, monkeypatch):
    from forum.core import counter_cache

    monkeypatch.setitem(counter_cache._next_cull, "at", time.monotonic() + 3600)  # no cull in between
    counters.set("gen:b", 1)
    with django_assert_num_queries(1):
        assert counters.set_many({"gen:b": 2, "gen:a": 3, "pair": (4, 5)}, timeout=None) == []
    assert counters.get_many(["gen:a", "gen:b", "pair"]) == {"gen:a": 3, "gen:b": 2, "pair": (4, 5)}
    counters.set_many({"gone": 1}, timeout=-1)
    assert counters.get("gone") is None


def test_it_adds_only_when_there_is_no_live_value(counters):
    assert counters.add("k", 1, 60) is True
    assert counters.add("k", 5, 60) is False
    assert counters.get("k") == 1
    counters.set("gone", 7, 0.01)
    time.sleep(0.05)
    assert counters.get("gone") is None and not counters.has_key("gone")
    assert counters.add("gone", 9, 60) is True  # an expired value is replaced in the same statement
    assert counters.get("gone") == 9


def test_it_refuses_to_increment_a_missing_or_expired_key(counters):
    with pytest.raises(ValueError):
        counters.incr("never-set")
    counters.set("short", 1, 0.01)
    time.sleep(0.05)
    with pytest.raises(ValueError):
        counters.incr("short")


def test_it_touches_deletes_clears_and_forgets_expired_rows(counters):
    counters.set("t", 1, 30)
    assert counters.touch("t", 3600) is True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires > now() + interval '3000 seconds' FROM forum_counter_cache WHERE cache_key LIKE '%%:t'"
        )
        assert cursor.fetchone() == (True,)
    assert counters.touch("never-set", 60) is False
    assert counters.delete("t") is True and counters.delete("t") is False
    counters.set("forever", 3, None)
    counters.set("brief", 3, 0.01)
    time.sleep(0.05)
    assert counters.delete_expired() == 1
    assert counters.get("forever") == 3
    counters.clear()
    assert counters.get("forever") is None


def test_it_holds_the_content_generations(counters):
    (first,) = generations(())
    bump_content_generation()
    (now,) = generations(())
    assert now != first
    with connection.cursor() as cursor:
        sql = "SELECT number, expires = 'infinity' FROM forum_counter_cache WHERE cache_key LIKE %s"
        cursor.execute(sql, [f"%forum:gen:{EVERYTHING}"])
        number, never_expires = cursor.fetchone()
    assert number == now and never_expires


def _in_threads(call, times: int) -> list:
    """Run `call` `times` times on THREADS threads released together; each thread has its own connection."""
    barrier = threading.Barrier(THREADS)
    share = [times // THREADS + (n < times % THREADS) for n in range(THREADS)]

    def run(count):
        try:
            barrier.wait(timeout=30)
            return [call() for _ in range(count)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return [result for results in pool.map(run, share) for result in results]


@pytest.mark.django_db(transaction=True)
def test_it_loses_no_increment_when_many_connections_add_at_once():
    cache = caches["counters"]

    def hit():
        return 1 if caches["counters"].add("crowd", 1, 60) else caches["counters"].incr("crowd")

    results = _in_threads(hit, 1000)
    assert cache.get("crowd") == 1000
    assert sorted(results) == list(range(1, 1001))  # every caller saw its own count


def _search_window_left(address: str) -> int:
    request = RequestFactory().get("/search/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    usage = get_usage(request, group="forum.questions.views.search", key=ratelimit_key, rate="60/m")
    return usage["time_left"]


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_sixty_of_two_hundred_parallel_searches_through():
    # A source whose minute (each key's window starts at its own offset) has room for the burst.
    address = next(a for a in (f"203.0.113.{n}" for n in range(100, 200)) if _search_window_left(a) >= 20)

    def search():
        return Client(REMOTE_ADDR=address).get("/search/", {"q": "first time"}).status_code

    statuses = Counter(_in_threads(search, 200))
    print(f"200 parallel searches from one source on {THREADS} connections: {dict(statuses)}")
    assert statuses == {200: 60, 429: 140}
