"""The forum on several hosts (scripts/cluster.py): a primary and a streaming replica, Redis,
two gunicorn hosts and nginx, all on loopback, started once for this module.

What it shows: reads go to the replica and writes to the primary; a member who votes sees their
vote at once while the replica lags; a stopped replica costs no reader an error; a page one host
rendered is served from Redis by the other; a rate limit counts requests on every host.
"""

import http.cookiejar
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.live_site import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import cluster as loopback

pytestmark = pytest.mark.cluster

PASSWORD = "demo-password-123"  # the demo accounts' (forum/devtools/demo.py)


class _LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure; on loopback there is no TLS proxy, so send them anyway."""

    def return_ok_secure(self, cookie, request):
        return True


class Client:
    """A browser without JavaScript: keeps cookies (from redirects too) and follows redirects."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar(_LoopbackCookies())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.last_headers: dict[str, str] = {}

    def request(self, path: str, data: dict | None = None, base: str | None = None) -> tuple[int, str]:
        """`base`: one web host's own address, asked directly, with the site's Host as nginx sends it."""
        url = (base or self.base) + path
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        site_host = urllib.parse.urlsplit(self.base).netloc
        req = urllib.request.Request(url, data=body, headers={"Referer": self.base + path, "Host": site_host})  # noqa: S310
        try:
            response = self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            self.last_headers = dict(response.headers.items())
            return response.status, response.read().decode()

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def sign_in(self, email: str) -> None:
        status, page = self.request("/accounts/login/")
        assert status == 200
        status, page = self.request(
            "/accounts/login/", {"csrfmiddlewaretoken": _csrf(page), "login": email, "password": PASSWORD}
        )
        assert status == 200 and "Sign out" in page, page[:2000]


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.fixture(scope="module")
def site():
    root = Path(tempfile.mkdtemp(prefix="forum-cluster-", dir="/tmp"))
    cluster = loopback.LoopbackCluster(root, hosts=2, workers=2, throwaway=True, quiet=True)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def _position(text: str) -> int:
    high, low = text.split("/")
    return (int(high, 16) << 32) | int(low, 16)


def _caught_up(site) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    target = _position(site.primary_sql("SELECT pg_current_wal_insert_lsn()"))
    loopback.wait_for(
        lambda: _position(site.replica_sql("SELECT pg_last_wal_replay_lsn()")) >= target, "the replica", timeout=30
    )


def _questions_to_vote_on(site, email: str, count: int) -> list[tuple[int, str]]:
    rows = site.primary_sql(
        "SELECT q.id || ' ' || q.slug FROM questions_question q WHERE q.status = 'published' "
        f"AND q.author_id IS DISTINCT FROM (SELECT id FROM accounts_user WHERE email = '{email}') "
        "AND NOT EXISTS (SELECT FROM answers_vote v WHERE v.question_id = q.id) ORDER BY q.id LIMIT " + str(count)
    ).split("\n")
    assert len(rows) == count, rows
    return [(int(pk), slug) for pk, slug in (row.split(" ", 1) for row in rows)]


def _votes(site, where, question_id: int) -> str:
    return where(f"SELECT count(*) FROM answers_vote WHERE question_id = {question_id}")


def _score_shown(page: str) -> int:
    """The question's score: the thread's first vote box is the question's."""
    return int(re.search(r'class="vote-score"[^>]*><span class="visually-hidden">[^<]*</span>(-?\d+)', page).group(1))


def _pressed_up(page: str, pk: int) -> bool:
    """Whether the question's own up-vote button shows as pressed (the member's vote)."""
    found = re.search(rf'action="/questions/{pk}/vote/".*?vote-up" aria-pressed="(true|false)"', page, re.S)
    assert found, "no vote box for the question"
    return found.group(1) == "true"


def test_reads_go_to_the_replica_and_writes_to_the_primary(site):
    voter, reader = Client(site.url), Client(site.url)
    voter.sign_in("sam@demo.invalid")
    reader.sign_in("riley@demo.invalid")
    [(pk, slug)] = _questions_to_vote_on(site, "sam@demo.invalid", 1)
    thread = f"/questions/{pk}/{slug}/"
    status, page = voter.request(thread)
    assert status == 200 and not _pressed_up(page, pk)
    score_before = _score_shown(page)
    _caught_up(site)  # the sign-ins are on the replica: both members may read from it now

    site.replica_sql("SELECT pg_wal_replay_pause()")
    try:
        status, page = voter.request(f"/questions/{pk}/vote/", {"csrfmiddlewaretoken": _csrf(page), "value": "1"})
        # The write is on the primary only: the replica, paused, has not seen it.
        assert _votes(site, site.primary_sql, pk) == "1"
        assert _votes(site, site.replica_sql, pk) == "0"
        # The voter, redirected back to the thread, reads their own write (from the primary).
        assert status == 200 and _pressed_up(page, pk) and _score_shown(page) == score_before + 1
        assert voter.cookie("read_own_writes")
        # Another member reads the thread from the replica: the vote isn't there yet.
        status, page = reader.request(thread)
        assert status == 200 and _score_shown(page) == score_before
    finally:
        site.replica_sql("SELECT pg_wal_replay_resume()")
    _caught_up(site)
    status, page = reader.request(thread)
    assert status == 200 and _score_shown(page) == score_before + 1


def test_a_member_sees_their_vote_at_once_while_the_replica_lags_two_seconds(site):
    voter = Client(site.url)
    voter.sign_in("noor@demo.invalid")
    _caught_up(site)
    site.replica_delay(2)
    try:
        for pk, slug in _questions_to_vote_on(site, "noor@demo.invalid", 2):
            thread = f"/questions/{pk}/{slug}/"
            status, page = voter.request(thread)
            assert status == 200 and not _pressed_up(page, pk)
            started = time.monotonic()
            status, page = voter.request(f"/questions/{pk}/vote/", {"csrfmiddlewaretoken": _csrf(page), "value": "1"})
            assert status == 200 and _pressed_up(page, pk)
            status, page = voter.request(thread)  # and reloads
            assert status == 200 and _pressed_up(page, pk)
            if time.monotonic() - started < 1.5:  # the replica really was behind all that time
                assert _votes(site, site.replica_sql, pk) == "0"
    finally:
        site.replica_delay(0)


def test_a_stopped_replica_costs_readers_no_error_and_they_come_back_to_it(site):
    reader = Client(site.url)
    reader.sign_in("riley@demo.invalid")
    _caught_up(site)
    pages = ["/", "/questions/", "/search/?q=sex", "/tags/"]
    for path in pages:
        assert reader.request(path)[0] == 200
    site.stop_replica()
    try:
        for _ in range(3):
            for path in pages:
                status, page = reader.request(path)
                assert status == 200, (path, page[:500])
        assert Client(site.url).request("/questions/")[0] == 200  # a visitor too
    finally:
        site.start_replica_again()
    _caught_up(site)
    # Back on the replica: the hosts reconnect to it once its next check is due.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for path in pages:
            assert reader.request(path)[0] == 200
        used = site.replica_sql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'forum_app'")
        if int(used) > 0:
            break
        time.sleep(0.5)
    assert int(used) > 0


def test_a_page_one_host_rendered_is_served_from_redis_by_the_other(site):
    visitor = Client(site.url)
    # A thread the other tests never open (they take the lowest ids); kept for visitors.
    pk, slug = site.primary_sql(
        "SELECT id || ' ' || slug FROM questions_question WHERE status = 'published' ORDER BY id DESC LIMIT 1"
    ).split(" ", 1)
    path = f"/questions/{pk}/{slug}/"
    status, first = visitor.request(path, base=site.host_url(0))
    assert status == 200 and visitor.last_headers.get("X-Page-Cache") == "miss"
    status, second = visitor.request(path, base=site.host_url(1))  # never asked of this host before
    assert status == 200 and visitor.last_headers.get("X-Page-Cache") == "hit"
    assert second == first


def _forget_all_pages(site) -> None:
    script = "from forum.core.pagecache import forget_all_pages; forget_all_pages()"
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "shell", "-c", script], cwd=ROOT, env=site.env(), check=True, timeout=60)


def test_a_rate_limit_counts_the_requests_made_on_every_host(site):
    visitor = Client(site.url)
    status, page = visitor.request("/questions/ask/")
    assert status == 200
    csrf = _csrf(page)
    [(pk, _slug)] = _questions_to_vote_on(site, "nobody@demo.invalid", 1)
    statuses = []
    for attempt in range(6):  # key_link_email: 5 an hour from one source, whichever host answers
        if attempt == 3:  # an asker deletes their question: every page is dropped, no count is
            _forget_all_pages(site)
        status, _ = visitor.request(
            f"/questions/{pk}/email-link/",
            {"csrfmiddlewaretoken": csrf, "key": "not-the-key", "link_email": "me@example.com"},
            base=site.host_url(attempt % 2),
        )
        statuses.append(status)
    assert 429 not in statuses[:5], statuses
    assert statuses[5] == 429, statuses
