"""Redis away (restarting, stopped, unreachable): visitors still get pages, writes still succeed,
and what a write changed is still invalidated once Redis answers again (forum.core.shared_cache).

Against a real redis-server on a loopback port (Debian's, installed like PostgreSQL), or a port
where nothing listens. Killed after SAVE and started again, it comes back with the pages it
held, as a Redis with persistence (or one that was only out of reach) does: the queued task,
not luck, is what makes them stale.
"""

import logging
import shutil
import subprocess
import time

import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django_tasks_db.models import DBTaskResult

from forum.core import pagecache, shared_cache
from forum.core.privacy import ratelimit_key
from forum.core.ratelimit import RateLimited, ratelimit
from forum.questions.models import Question
from forum.settings import redis_cache
from tests.factories import make_question
from tests.mailqueue import free_port, make_due, run_worker

pytestmark = pytest.mark.usefixtures("task_queue")


def redis_caches(settings, port: int) -> dict:
    """The settings' caches, pages and counters in this Redis's databases 0 and 1 as in production."""
    return {
        **settings.CACHES,
        "default": redis_cache("default", f"redis://127.0.0.1:{port}/0"),
        "counters": redis_cache("counters", f"redis://127.0.0.1:{port}/1"),
    }


@pytest.fixture
def page_cache_on(settings, monkeypatch):
    # Each call asks Redis (the pause after a failure has its own test below).
    monkeypatch.setattr(shared_cache, "AWAY_SECONDS", 0)
    monkeypatch.setattr(shared_cache, "_away_until", 0.0)
    settings.FORUM_PAGE_CACHE_SECONDS = 60
    settings.FORUM_CACHE_COUNTS = True
    pagecache.local_pages.clear()
    yield settings
    pagecache.local_pages.clear()


@pytest.fixture
def nobody_listening(page_cache_on):
    """Both caches on a loopback port where nothing listens: every connection is refused."""
    page_cache_on.CACHES = redis_caches(page_cache_on, free_port())
    return page_cache_on


class RedisServer:
    """A real redis-server on a loopback port, its data in `folder`: `save()` writes it to disk
    (SAVE), `kill()` stops it at once (SIGKILL: nothing more is saved, the port refuses), and
    `start()` starts it again on the same port with what was saved, as a Redis with persistence does."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.02)

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(port=self.port, db=db, socket_connect_timeout=0.5)

    def save(self) -> None:
        for db in (0, 1):
            self.client(db).save()

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(page_cache_on, tmp_path):
    """A real, empty redis-server for this test, the caches on it."""
    server = RedisServer(tmp_path)
    server.start()
    page_cache_on.CACHES = redis_caches(page_cache_on, server.port)
    yield server
    server.kill()


def queued(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status="READY", task_path=task.module_path))


def test_visitors_get_their_pages_uncached_and_members_vote_while_nothing_answers(nobody_listening, member, caplog):
    question = make_question(title="A question read while the cache is away")
    visitor = Client()
    for path in ("/", "/questions/", question.get_absolute_url()):
        page = visitor.get(path)
        assert page.status_code == 200, path
        assert page["X-Page-Cache"] == "off", path
    assert "A question read while the cache is away" in visitor.get("/questions/").content.decode()

    # A vote is counted (its rate limit lets it through, uncounted) and committed; the pages it
    # changed are invalidated by a task once Redis answers.
    DBTaskResult.objects.all().delete()  # the question's own (its creation's invalidation)
    with caplog.at_level(logging.WARNING):
        response = member.post(f"/questions/{question.pk}/vote/", {"value": "1"})
    assert response.status_code in (200, 302)
    assert Question.objects.get(pk=question.pk).score == 1
    [job] = queued(pagecache.invalidate_later)
    assert pagecache.thread(question.pk) in job.args_kwargs["kwargs"]["scopes"]
    messages = [r.getMessage() for r in caplog.records]
    assert any("not counted: the counters are unreachable" in m for m in messages), messages
    assert any("invalidation queued" in m for m in messages), messages


def test_the_invalidation_lands_once_redis_answers_again(redis_server, member):
    question = make_question(title="A thread whose page Redis keeps while it is away")
    visitor = Client()
    assert visitor.get(question.get_absolute_url())["X-Page-Cache"] == "miss"
    assert visitor.get(question.get_absolute_url())["X-Page-Cache"] == "hit"
    redis_server.save()
    redis_server.kill()

    assert member.post(f"/questions/{question.pk}/vote/", {"value": "1"}).status_code in (200, 302)
    pagecache.local_pages.clear()  # another worker: it has not kept this page
    during = visitor.get(question.get_absolute_url())
    assert during.status_code == 200 and during["X-Page-Cache"] == "off"
    assert len(queued(pagecache.invalidate_later)) == 1

    # Redis is back with its data, the page from before the vote among it: stale until the task runs.
    redis_server.start()
    assert visitor.get(question.get_absolute_url())["X-Page-Cache"] == "hit"
    make_due()
    run_worker()
    assert not queued(pagecache.invalidate_later)
    pagecache.local_pages.clear()
    after = visitor.get(question.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert Question.objects.get(pk=question.pk).score == 1


def test_a_deleted_questions_pages_are_emptied_from_redis_once_it_answers(redis_server):
    question = make_question(title="A question whose words must leave the cache")
    Client().get(question.get_absolute_url())
    redis_server.save()
    redis_server.kill()

    pagecache.forget_all_pages()  # what deleting a question runs once it commits
    assert len(queued(pagecache.forget_all_pages_later)) == 1

    redis_server.start()
    pages = redis_server.client(0)
    assert pages.dbsize() > 0  # the page, with the question's words, is back from disk
    make_due()
    run_worker()
    assert pages.dbsize() == 0
    assert not queued(pagecache.forget_all_pages_later)


def test_list_counts_are_counted_when_the_counters_are_away(nobody_listening):
    make_question(title="One question to count without the counters")
    assert pagecache.count_for_generation("test-count", Question.objects.all()) == Question.objects.count() > 0


def test_a_sign_in_while_redis_is_away_is_refused_for_that_moment_in_words(nobody_listening, member_user):
    """allauth counts sign-ins in the pages' cache under a lock it cannot take while Redis is away:
    it refuses (fails closed) with the site's 429 page, and nothing breaks."""
    response = Client().post("/accounts/login/", {"login": member_user.email, "password": "whatever it is"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many requests" in page and 'class="site-header"' in page


@ratelimit(key=ratelimit_key, rate="5/m", block=True)
def limited_view(request):
    return HttpResponse("ok")


def test_a_counter_that_vanishes_mid_count_lets_the_request_through(redis_server, monkeypatch):
    """django-ratelimit adds the counter, and if it was there, increments it: Redis restarting
    (empty) between the two used to refuse a vote with a 429. Now the request goes through."""
    from django.core.cache import caches

    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.77")
    request.user = AnonymousUser()
    assert limited_view(request).status_code == 200  # the counter exists now
    counters = caches["counters"]
    add = counters.add

    def add_then_restart(*args, **kwargs):
        added = add(*args, **kwargs)
        redis_server.client(1).flushdb()  # Redis restarted, empty, just after answering
        return added

    monkeypatch.setattr(counters, "add", add_then_restart)
    assert limited_view(request).status_code == 200
    monkeypatch.setattr(counters, "add", add)
    for _ in range(5):  # and it counts again from nothing: 5 a minute, the 6th refused
        assert limited_view(request).status_code == 200
    with pytest.raises(RateLimited):
        limited_view(request)


def test_after_a_failure_the_process_leaves_redis_alone_for_a_while(nobody_listening, monkeypatch):
    """While Redis is down each call would wait out the client's retries (about 0.35 s): after
    one failure the process doesn't ask again for AWAY_SECONDS, and pages are still served."""
    monkeypatch.setattr(shared_cache, "AWAY_SECONDS", 600)
    with pytest.raises(redis.exceptions.ConnectionError) as first, shared_cache.asking_redis():
        pagecache.generations((pagecache.LISTS,))
    assert type(first.value) is redis.exceptions.ConnectionError  # Redis was asked, and refused
    with pytest.raises(shared_cache.RedisAway), shared_cache.asking_redis():
        pagecache.generations((pagecache.LISTS,))
    page = Client().get("/questions/")
    assert page.status_code == 200 and page["X-Page-Cache"] == "off"

    monkeypatch.setattr(shared_cache, "_away_until", 0.0)  # the pause is over: Redis is asked again
    with pytest.raises(redis.exceptions.ConnectionError) as again, shared_cache.asking_redis():
        pagecache.generations((pagecache.LISTS,))
    assert type(again.value) is redis.exceptions.ConnectionError
