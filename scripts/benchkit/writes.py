"""The write mix: members log in through the real login form (CSRF and all), then vote and answer."""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .common import BenchError, say
from .load import form_request, summarize

# Per writer and run, under the app's hourly rate limits (answers 20/h, votes 120/h per view).
WRITER_BUDGET = {"answer": 15, "answer_vote": 100, "question_vote": 100}
WRITE_MIX = [("answer_vote", 0.70), ("question_vote", 0.15), ("answer", 0.15)]


@dataclass
class Writer:
    user_id: int
    email: str
    cookies: dict = field(default_factory=dict)
    budget: dict = field(default_factory=lambda: dict(WRITER_BUDGET))
    votes: dict = field(default_factory=dict)  # (kind, post) -> last value that succeeded
    answers_posted: int = 0


class WriteMix:
    """Members log in through /accounts/login/ (CSRF and all), then vote and answer until time is up."""

    hot_share = 0.5  # of the answer votes, on the long thread's answers (contended rows)

    def __init__(self, port: int, writers: list[dict], targets: dict, password: str, seed: int | None):
        self.port = port
        self.password = password
        self.writers = [Writer(w["id"], w["email"]) for w in writers]
        self.targets = targets
        self.rng = random.Random(seed)  # noqa: S311 - load shape, not secrets
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.unexpected: dict[str, int] = {}

    def request(self, writer: Writer, method: str, path: str, body: dict | None = None, accept_json: bool = False):
        headers = {"Accept": "application/json"} if accept_json else {}
        response, content = form_request(self.port, method, path, writer.cookies, body, headers)
        return response.status, response, content

    def login(self, writer: Writer) -> None:
        status, _, html = self.request(writer, "GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not match:
            raise BenchError(f"the login page did not load (HTTP {status})")
        form = {"login": writer.email, "password": self.password, "csrfmiddlewaretoken": match.group(1).decode()}
        status, response, _ = self.request(writer, "POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in writer.cookies:
            raise BenchError(f"a bench member could not log in (HTTP {status}, to {response.getheader('Location')})")

    def pick(self, writer: Writer):
        choices = [(kind, w) for kind, w in WRITE_MIX if writer.budget[kind] > 0]
        if not choices:
            return None
        kind = self.rng.choices([k for k, _ in choices], weights=[w for _, w in choices])[0]
        if kind == "answer_vote":
            pool = self.targets["hot_answers"] if self.rng.random() < self.hot_share else self.targets["answers"]
        else:
            pool = self.targets["questions"]
        pool = [pk for pk, author in pool if author != writer.user_id]
        if not pool:
            writer.budget[kind] = 0
            return self.pick(writer)
        return kind, self.rng.choice(pool)

    def act(self, writer: Writer, kind: str, post: int) -> int:
        if kind == "answer":
            body = {"body": ANSWER_TEXTS[post % len(ANSWER_TEXTS)]}
            status, response, _ = self.request(writer, "POST", f"/questions/{post}/answer/", body)
            if status == 302 and "#answer-" in (response.getheader("Location") or ""):
                writer.answers_posted += 1
                return 200  # the redirect to the new answer is the success
            return status
        value = self.rng.choices([1, -1, 0], weights=[75, 15, 10])[0]
        path = f"/answers/{post}/vote/" if kind == "answer_vote" else f"/questions/{post}/vote/"
        status, _, content = self.request(writer, "POST", path, {"value": value}, accept_json=True)
        if status == 200 and b'"score"' in content:
            writer.votes[("a" if kind == "answer_vote" else "q", post)] = value
        return status

    def run(self, duration: float) -> dict:
        login_seconds = self.login_all()
        self.since = datetime.now(UTC)
        stop_at = time.monotonic() + duration
        started = time.monotonic()

        def loop(writer: Writer):
            mine, codes = [], {}
            while time.monotonic() < stop_at:
                with self.lock:
                    choice = self.pick(writer)
                if choice is None:
                    break
                kind, post = choice
                writer.budget[kind] -= 1
                t0 = time.perf_counter()
                try:
                    status = self.act(writer, kind, post)
                except OSError:
                    status = 0
                mine.append(time.perf_counter() - t0)
                codes[status] = codes.get(status, 0) + 1
                if not 200 <= status <= 299:
                    with self.lock:
                        key = f"{kind} HTTP {status}"
                        self.unexpected[key] = self.unexpected.get(key, 0) + 1
            with self.lock:
                self.latencies.extend(mine)
                for code, n in codes.items():
                    self.statuses[code] = self.statuses.get(code, 0) + n

        threads = [threading.Thread(target=loop, args=(w,)) for w in self.writers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        result = summarize(self.latencies, self.statuses, time.monotonic() - started)
        result["login_seconds"] = round(login_seconds, 2)
        result["writers"] = len(self.writers)
        result["unexpected"] = self.unexpected
        result["answers_posted"] = sum(w.answers_posted for w in self.writers)
        result["votes_cast"] = sum(len(w.votes) for w in self.writers)
        return result

    def login_all(self) -> float:
        """Every member logs in, concurrently; the seconds it took."""
        started = time.monotonic()
        threads = [threading.Thread(target=self.login_quietly, args=(w,)) for w in self.writers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        failed = [w for w in self.writers if "sessionid" not in w.cookies]
        if failed:
            raise BenchError(f"{len(failed)} of {len(self.writers)} bench members could not log in")
        return time.monotonic() - started

    def login_quietly(self, writer: Writer) -> None:
        try:
            self.login(writer)
        except (BenchError, OSError) as error:
            say(f"login failed for a bench member: {error}")

    def expectations(self) -> dict:
        return {
            "votes": [[w.user_id, kind, post, value] for w in self.writers for (kind, post), value in w.votes.items()],
            "answers_posted": {str(w.user_id): w.answers_posted for w in self.writers},
            "since": self.since.isoformat(),
        }


ANSWER_TEXTS = [
    "Thank you for asking this so openly. Talking to your partner when you're both calm really helps.",
    "Please don't push through pain; a GP or a sexual-health clinic can help, and it's very treatable.",
    "What worked for us was agreeing that either of us can pause at any time, no explanation needed.",
]


def expectations(*clients: WriteMix) -> dict:
    """What the database must hold after these clients' writes (their members are distinct)."""
    parts = [client.expectations() for client in clients]
    return {
        "votes": [vote for part in parts for vote in part["votes"]],
        "answers_posted": {user: n for part in parts for user, n in part["answers_posted"].items()},
        "since": min(part["since"] for part in parts),
    }
