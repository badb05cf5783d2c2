"""The replica router's decisions, in one process (forum/core/replicas.py).

The "replica" here is a second connection to the test database (a server not in recovery
counts as fully caught up), so every decision can be watched without a second server. The real
streaming replica, lagging and stopped, is in tests/cluster/test_cluster.py.
"""

import contextlib

import pytest
from django.db import OperationalError, connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import ResolverMatch

from accounts.models import User
from forum.core import replicas
from forum.questions.models import Question, Tag
from tests.factories import UserFactory, log_in, make_question

# Committed, as in production: inside a test's transaction every read belongs to the primary.
pytestmark = pytest.mark.django_db(transaction=True)


def _add_alias(alias: str, **changes) -> None:
    connections.settings[alias] = {**connections["default"].settings_dict, **changes}


def _question():
    tag, _ = Tag.objects.get_or_create(slug="replicas", defaults={"name": "Replicas"})
    return make_question(tags=[tag])


def _drop_alias(alias: str) -> None:
    with contextlib.suppress(Exception):  # an unreachable test alias has nothing to close
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


@pytest.fixture
def unblocked(django_db_blocker):
    """Django's test case refuses connections to aliases it was not told of when the test began
    (ours is added during the test); pytest-django's unblock lets them connect."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def replica(unblocked):
    _add_alias("replica1")
    replicas.reset_statuses()
    with override_settings(DATABASE_REPLICAS=["replica1"], DATABASE_ROUTERS=["forum.core.replicas.ReplicaRouter"]):
        router.routers = [replicas.ReplicaRouter()]
        try:
            yield "replica1"
        finally:
            router.routers = []
            replicas.reset_statuses()
            _drop_alias("replica1")


def _routed(request_factory_call, cookies=None, atomic=True) -> dict:
    """Run a request through ReplicaMiddleware; the view says where each kind of read went."""
    seen = {}

    def view(request):
        seen["question"] = router.db_for_read(Question)
        seen["user"] = router.db_for_read(User)
        if atomic:
            with transaction.atomic():
                seen["in_transaction"] = router.db_for_read(Question)
        seen["write"] = router.db_for_write(Question)
        return HttpResponse("ok")

    request = request_factory_call
    if cookies:
        request.COOKIES.update(cookies)
    response = replicas.ReplicaMiddleware(view)(request)
    seen["response"] = response
    return seen


def test_a_visitors_reads_go_to_the_replica_and_everything_that_decides_who_may_do_what_to_the_primary(replica):
    seen = _routed(RequestFactory().get("/questions/"))
    assert seen["question"] == replica
    assert seen["user"] == "default"  # accounts, sessions, permissions, MFA, the moderation log
    assert seen["in_transaction"] == "default"  # a transaction reads what it writes
    assert seen["write"] == "default"


@pytest.mark.parametrize("path", ["/moderation/", "/admin/forum/", "/accounts/login/"])
def test_the_desk_the_admin_and_account_pages_read_from_the_primary(replica, path):
    assert _routed(RequestFactory().get(path))["question"] == "default"


def test_a_request_that_writes_reads_from_the_primary(replica):
    assert _routed(RequestFactory().post("/questions/1/vote/"))["question"] == "default"


def test_without_a_request_the_task_worker_and_commands_read_from_the_primary(replica):
    assert router.db_for_read(Question) == "default"


def test_a_write_sends_back_where_the_primary_was(replica, client):
    """The cookie is the primary's WAL position after the write; a replica behind it is skipped."""
    member = UserFactory()
    log_in(client, member)
    question = _question()
    with override_settings(DATABASE_REPLICAS=["replica1"]):
        response = client.post(f"/questions/{question.pk}/vote/", {"value": "1"})
    assert response.status_code == 302
    cookie = response.cookies[replicas.READ_OWN_WRITES_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 10
    written = int(
        RequestFactory()
        .get("/", HTTP_COOKIE=f"{replicas.READ_OWN_WRITES_COOKIE}={cookie.value}")
        .get_signed_cookie(replicas.READ_OWN_WRITES_COOKIE, salt="forum.core.replicas")
    )
    assert written <= replicas.primary_position()
    # (A replica behind that position is skipped: tests/cluster pauses a real one to show it.)


def test_a_forged_or_altered_position_is_ignored(replica):
    """Only the site signs the position: a made-up one can't pin anyone's reads to the primary."""
    replicas._statuses["replica1"] = replicas._Status(checked=float("inf"), reachable=True, replayed=100)
    for forged in ("99999999999", "99999999999:abc:def", ""):
        seen = _routed(RequestFactory().get("/questions/"), cookies={replicas.READ_OWN_WRITES_COOKIE: forged})
        assert seen["question"] == replica


def test_a_read_only_request_sets_no_cookie_and_costs_no_query_on_the_primary(replica, django_assert_num_queries):
    with django_assert_num_queries(0):  # on "default": the status check runs on the replica's connection
        seen = _routed(RequestFactory().get("/questions/"), atomic=False)
    assert seen["question"] == replica
    assert replicas.READ_OWN_WRITES_COOKIE not in seen["response"].cookies


def test_an_unreachable_replica_is_skipped_without_an_error(unblocked):
    _add_alias("replica1", HOST="/nonexistent-socket-dir", OPTIONS={"connect_timeout": 1})
    replicas.reset_statuses()
    try:
        with override_settings(DATABASE_REPLICAS=["replica1"]):
            router.routers = [replicas.ReplicaRouter()]
            seen = _routed(RequestFactory().get("/questions/"))
            assert seen["question"] == "default"
            assert replicas._statuses["replica1"].reachable is False
    finally:
        router.routers = []
        replicas.reset_statuses()
        _drop_alias("replica1")


def test_a_replica_far_behind_is_skipped(replica, settings):
    replicas._statuses["replica1"] = replicas._Status(
        checked=float("inf"), reachable=True, replayed=1 << 64, lag=settings.REPLICA_MAX_LAG_SECONDS + 1
    )
    assert _routed(RequestFactory().get("/questions/"))["question"] == "default"


def test_a_get_whose_replica_fails_mid_request_is_run_again_on_the_primary(replica):
    """The replica stops while a page is read from it: the reader gets the page, from the primary."""
    question = _question()
    calls = []

    def view(request, pk):
        calls.append(router.db_for_read(Question))
        if calls[-1] == replica:
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse(Question.objects.get(pk=pk).title)

    request = RequestFactory().get(f"/questions/{question.pk}/")
    request.resolver_match = ResolverMatch(view, (), {"pk": question.pk})
    middleware = replicas.ReplicaMiddleware(lambda request: HttpResponse())

    def get_response(request):
        try:
            return view(request, pk=question.pk)
        except OperationalError as error:
            return middleware.process_exception(request, error)

    middleware.get_response = get_response
    response = middleware(request)
    assert calls == [replica, "default"]
    assert response.content.decode() == question.title
    assert replicas._statuses["replica1"].reachable is False  # skipped until its next check


def test_a_post_is_never_run_twice(replica):
    request = RequestFactory().post("/questions/1/vote/")
    request.resolver_match = ResolverMatch(lambda request: HttpResponse(), (), {})
    assert replicas.ReplicaMiddleware(lambda r: HttpResponse()).process_exception(request, OperationalError()) is None


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ("SELECT 1", False),
        ("  select * from x", False),
        ("SAVEPOINT s1", False),
        ("RELEASE SAVEPOINT s1", False),
        ('INSERT INTO "answers_vote"', True),
        ('UPDATE "questions_question"', True),
        ('DELETE FROM "x"', True),
        ("WITH moved AS (UPDATE x SET y = 1 RETURNING id) SELECT 1", True),
    ],
)
def test_what_counts_as_a_write(sql, writes):
    assert replicas._is_write(sql) is writes


def test_wal_positions_compare_as_numbers():
    assert replicas.lsn_to_int("0/16B3748") == 0x16B3748
    assert replicas.lsn_to_int("1/0") > replicas.lsn_to_int("0/FFFFFFFF")
    assert replicas.lsn_to_int(None) is None
