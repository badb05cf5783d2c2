"""Load through the loopback cluster's nginx for `make bench-cluster`: visitors, members who read,
members who vote then reload. Every request is recorded: when, what, its status and which web host
answered (nginx's X-Upstream header), so that a fault's window can be read afterwards.

Standard library only, like the rest of the orchestrator (scripts/benchkit/common.py).
"""

from __future__ import annotations

import http.client
import http.cookies
import re
import threading
import time
from dataclasses import dataclass, field

from .common import BenchError
from .load import form_request, percentile, summarize

PASSWORD = "demo-password-123"  # noqa: S105 - the demo accounts' (forum/devtools/demo.py), and the bench members'
TIMEOUT = 30
RUNNING: set[Load] = set()  # the loads not yet stopped: stop_all() on the way out (an error, Ctrl-C)


@dataclass
class Record:
    role: str  # visitor, member, voter
    method: str
    path: str
    started: float  # time.monotonic()
    ended: float
    status: int  # 0: the connection failed
    upstream: str = ""  # X-Upstream: the host(s) nginx tried
    cache: str = ""  # X-Page-Cache: hit / miss on visitors' pages
    error: str = ""
    error_page: str = ""  # for a 502: "site" (the site's own page) or "other"

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def rate_limited(self) -> bool:
        return self.status == 429

    @property
    def failed(self) -> bool:
        """A read fails with no answer or a 4xx/5xx (429 counted apart); a write unless 200 or its redirect."""
        if self.status == 0:
            return True
        if self.method == "POST":
            return self.status not in (200, 302, 429)
        return self.status >= 400 and self.status != 429


class Browser:
    """A member's (or a visitor's) browser without JavaScript: cookies, CSRF token, one connection a request."""

    def __init__(self, port: int, email: str | None = None, user_id: int | None = None):
        self.port = port
        self.email = email
        self.user_id = user_id
        self.cookies: dict[str, str] = {}
        # A member's own address (TEST-NET-2), as a proxy in front of nginx would pass it on: nginx
        # appends 127.0.0.1, a trusted proxy, so the forum takes this one (forum.core.privacy.client_address).
        # Per-address limits (allauth's 30 sign-ins a minute) then count per member, not for all of them.
        self.source = f"198.51.100.{1 + user_id % 254}" if user_id is not None else None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"Connection": "close"}
        if self.source:
            headers["X-Forwarded-For"] = self.source
        response, content = form_request(self.port, method, path, self.cookies, form, headers, TIMEOUT)
        return response.status, dict(response.headers.items()), content

    def sign_in(self) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise BenchError(f"the sign-in page did not load (HTTP {status})")
        form = {"csrfmiddlewaretoken": token.group(1).decode(), "login": self.email, "password": PASSWORD}
        status, headers, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise BenchError(f"{self.email} could not sign in (HTTP {status}, to {headers.get('Location')})")

    def wrote_at(self) -> int | None:
        """The WAL position of this browser's last write, from the read-your-writes cookie (value:time:signature)."""
        value = self.cookies.get("read_own_writes", "").strip('"')
        head = value.split(":", 1)[0]
        return int(head) if head.isdigit() else None


def sign_in_all(browsers: list[Browser]) -> float:
    """Every browser signs in, a few at a time; the seconds it took."""
    started = time.monotonic()
    errors: list[Exception] = []

    def one(browser: Browser):
        try:
            browser.sign_in()
        except (BenchError, OSError) as error:
            errors.append(error)

    for i in range(0, len(browsers), 4):
        threads = [threading.Thread(target=one, args=(b,)) for b in browsers[i : i + 4]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if errors:
        raise BenchError(f"{len(errors)} of {len(browsers)} bench members could not sign in: {errors[0]}")
    return time.monotonic() - started


def pressed_up(page: bytes, pk: int) -> bool | None:
    """Whether the question's up-vote button shows pressed (the member's own vote); None: no vote box."""
    found = re.search(rb'action="/questions/%d/vote/".*?vote-up" aria-pressed="(true|false)"' % pk, page, re.S)
    return None if found is None else found.group(1) == b"true"


@dataclass
class VoteChecks:
    """What the voters saw: their own vote on every page after it (read your writes), writes confirmed."""

    views: int = 0  # pages read after one of the member's own votes succeeded
    missing_own_vote: int = 0  # of which did not show it
    replica_checked: int = 0  # views after which the replica's replay position was compared
    replica_behind: int = 0  # of which the replica had not yet replayed the vote
    behind_bytes_max: int = 0
    failed_then_applied: int = 0  # a vote whose POST failed, found applied on the next page
    failed_not_applied: int = 0
    confirmed: dict = field(default_factory=dict)  # (user_id, question_id) -> value the member last saw succeed
    missing_examples: list = field(default_factory=list)


class Load:
    """Threads that request through nginx until stop(): visitors, members reading, members voting."""

    def __init__(self, port: int, error_pages: dict[str, bytes], replica_position=None):
        self.port = port
        self.error_pages = error_pages  # language -> nginx's 502 page, as written by proxy_error_pages
        self.replica_position = replica_position  # callable -> replay position: the voters compare (lag window)
        self.records: list[Record] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.votes = VoteChecks()
        RUNNING.add(self)

    # --- one request ---------------------------------------------------------------------------

    def fetch(self, browser: Browser, role: str, method: str, path: str, form: dict | None = None):
        started = time.monotonic()
        error, headers, body = "", {}, b""
        try:
            status, headers, body = browser.request(method, path, form)
        except (OSError, http.client.HTTPException) as exc:
            status, error = 0, f"{type(exc).__name__}: {exc}"
        record = Record(
            role, method, path, started, time.monotonic(), status,
            upstream=headers.get("X-Upstream", ""), cache=headers.get("X-Page-Cache", ""), error=error,
        )  # fmt: skip
        if status == 502:
            record.error_page = "site" if body in self.error_pages.values() else "other"
        with self.lock:
            self.records.append(record)
        return record, headers, body

    # --- the actors ----------------------------------------------------------------------------

    def _reader(self, browser: Browser, role: str, paths: list[str], first: int) -> None:
        turn = first
        while not self.stopping.is_set():
            self.fetch(browser, role, "GET", paths[turn % len(paths)])
            turn += 1

    def visitors(self, count: int, paths: list[str]) -> None:
        for i in range(count):
            self._spawn(self._reader, Browser(self.port), "visitor", paths, i * 3)

    def members(self, browsers: list[Browser], paths: list[str]) -> None:
        for i, browser in enumerate(browsers):
            self._spawn(self._reader, browser, "member", paths, i * 2)

    def voters(self, browsers: list[Browser], questions: list[tuple[int, str]]) -> None:
        for i, browser in enumerate(browsers):
            self._spawn(self._voter, browser, questions, i)

    def _voter(self, browser: Browser, questions: list[tuple[int, str]], first: int) -> None:
        """Vote up on a question, or take the vote back, then see the thread (the redirect) and reload it:
        both pages must show the member's own vote as it now is."""
        known: dict[int, bool | None] = {pk: None for pk, _ in questions}
        attempted: dict[int, bool] = {}  # a vote whose POST failed: what it tried to make the state
        turn = first
        while not self.stopping.is_set():
            pk, slug = questions[turn % len(questions)]
            turn += 1
            thread = f"/questions/{pk}/{slug}/"
            if known[pk] is None:
                record, _, page = self.fetch(browser, "voter", "GET", thread)
                shown = pressed_up(page, pk) if record.status == 200 else None
                if shown is not None and pk in attempted:
                    with self.lock:
                        if shown == attempted.pop(pk):
                            self.votes.failed_then_applied += 1
                        else:
                            self.votes.failed_not_applied += 1
                known[pk] = shown
                continue
            up = not known[pk]
            record, _, _ = self.fetch(browser, "voter", "POST", f"/questions/{pk}/vote/", {"value": int(up)})
            if record.status == 429:
                return  # this member's hourly vote budget is spent
            if record.status != 302:
                known[pk] = None  # applied whole or not at all: the next page of the thread tells which
                attempted[pk] = up
                with self.lock:
                    self.votes.confirmed.pop((browser.user_id, pk), None)  # not known until a vote succeeds
                continue
            known[pk] = up
            wrote_at = browser.wrote_at()
            with self.lock:
                self.votes.confirmed[(browser.user_id, pk)] = int(up)
            for _ in ("the redirect", "a reload"):
                if self.stopping.is_set():
                    break
                record, _, page = self.fetch(browser, "voter", "GET", thread)
                if record.status != 200:
                    continue
                shown = pressed_up(page, pk)
                behind = None
                if self.replica_position is not None and wrote_at is not None:
                    try:
                        behind = wrote_at - self.replica_position()
                    except RuntimeError:
                        behind = None
                with self.lock:
                    self.votes.views += 1
                    if shown != up:
                        self.votes.missing_own_vote += 1
                        if len(self.votes.missing_examples) < 5:
                            self.votes.missing_examples.append(
                                {"path": thread, "voted_up": up, "page_shows_up": shown, "upstream": record.upstream}
                            )
                    if behind is not None:
                        self.votes.replica_checked += 1
                        if behind > 0:
                            self.votes.replica_behind += 1
                            self.votes.behind_bytes_max = max(self.votes.behind_bytes_max, behind)

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self.threads.append(thread)
        thread.start()

    def stop(self) -> list[Record]:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT + 5)
        RUNNING.discard(self)
        return self.records


def stop_all() -> None:
    """Tell every load still running to stop (their threads end after the request in flight)."""
    for load in list(RUNNING):
        load.stopping.set()


# --- reading the records -------------------------------------------------------------------------


def tally(records: list[Record], since: float | None = None, until: float | None = None) -> dict:
    """Requests, failures and latency of the records that started in [since, until)."""
    chosen = [
        r for r in records if (since is None or r.started >= since) and (until is None or r.started < until)
    ]  # fmt: skip
    reads = [r for r in chosen if r.method == "GET"]
    writes = [r for r in chosen if r.method == "POST"]
    failed_reads = [r for r in reads if r.failed]
    failed_writes = [r for r in writes if r.failed]
    statuses: dict[int, int] = {}
    for r in chosen:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    seconds = sorted(r.seconds for r in reads)
    return {
        "requests": len(chosen),
        "reads": len(reads),
        "writes": len(writes),
        "failed_reads": len(failed_reads),
        "failed_writes": len(failed_writes),
        "rate_limited": sum(1 for r in chosen if r.rate_limited),
        "read_p95_ms": round(percentile(seconds, 95) * 1000, 1) if seconds else None,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "failures": [describe(r) for r in [*failed_reads, *failed_writes][:20]],
    }


def describe(record: Record) -> dict:
    return {
        "role": record.role,
        "method": record.method,
        "path": record.path,
        "status": record.status,
        "upstream": record.upstream,
        "error": record.error,
        "error_page": record.error_page,
        "at": round(record.started, 3),
        "ms": round(record.seconds * 1000, 1),
    }


def summarize_records(records: list[Record], elapsed: float) -> dict:
    """benchkit.load.summarize's numbers (requests/s, p50/p95/p99, statuses) for recorded requests."""
    statuses: dict[int, int] = {}
    for r in records:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    result = summarize([r.seconds for r in records], statuses, elapsed)
    result["failed"] = sum(1 for r in records if r.failed)
    result["rate_limited"] = sum(1 for r in records if r.rate_limited)
    return result
