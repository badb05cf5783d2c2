#!/usr/bin/env python3
"""The speed benchmark: `make bench` (options through BENCH_ARGS="--questions 10000 --duration 3").

    python3 scripts/bench.py [--questions N] [--duration S] [--connections C] [--workers W] [--smoke]

1. A database: DATABASE_URL if set, else a persistent cluster of its own in `.localdb-bench/`
   (started here and stopped at the end). Migrated, cache table created, seeded with
   `manage.py seed_bulk` up to N questions (an existing data set of N or more is reused).
2. gunicorn with production settings (DEBUG off, a random SECRET_KEY, collectstatic into a
   temporary STATIC_ROOT), FORUM_BENCH=1 for the no-op ceiling route.
3. Reads under wrk at a fixed concurrency, each endpoint after a warm-up, in two passes:
   - cached (--connections, 8): the no-op ceiling and the visitors' pages (home, list, two
     threads, topic) as served, from the whole-page cache (forum/core/pagecache.py): throughput;
   - uncached (--uncached-connections, 1): gunicorn restarted with FORUM_PAGE_CACHE_SECONDS=0
     (otherwise the same), the ceiling again (each pass has its own, so drift on a shared
     machine shows), the same pages, and the searches, which are never cached and so are
     measured in this pass only: latency, one request at a time, so p50 is a page's own cost
     rather than time queued or spent waiting for a core that wrk and PostgreSQL also use.
   Then a write mix (members who logged in through the real login form vote and answer) from
   Python threads, after which the database is checked: scores equal the sum of votes, answer
   counts match, every vote the load generator saw succeed is there.
4. SQL queries per request (Django's test client in a subprocess: a visitor with the page
   cache off and on, a member), gunicorn worker RSS.
5. A table on stdout, the issue's budgets with PASS/MISS, and JSON in
   bench-results/bench-<timestamp>.json.

Bounded to 10 minutes: 16 load runs (6 cached, 9 uncached, the write mix) of --duration
(default 5 s) after --warmup (default 2 s). gunicorn and the cluster are stopped on exit,
Ctrl-C included. `--smoke` is a quick run anywhere (200 questions, 2 s per endpoint, no wrk
needed: it falls back to a small Python load generator).

Only the standard library is imported at the top: this script orchestrates processes. The
parts that need Django run as `.venv/bin/python scripts/bench.py _helper NAME` subprocesses.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import http.cookies
import importlib.util
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
VENV_PYTHON = PROJECT / ".venv" / "bin" / "python"
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"
RESULTS = PROJECT / "bench-results"
TIME_LIMIT = 600  # seconds, the whole run
SETUP_ALLOWANCE = 150  # seconds kept for everything that is not load (seeding excluded)
MARK = "BENCH_JSON "
# Measured once, in the uncached pass: never served from the page cache.
NEVER_CACHED = ("search_common", "search_rare", "search_phrase")
# Load runs of --warmup + --duration: noop and 5 pages cached; noop, 5 pages and 3 searches uncached; writes.
LOAD_RUNS = 6 + 9 + 1
RESTART_ALLOWANCE = 15  # seconds per gunicorn start (3 of them) and its warm-up requests

# Per writer and run, under the app's hourly rate limits (answers 20/h, votes 120/h per view).
WRITER_BUDGET = {"answer": 15, "answer_vote": 100, "question_vote": 100}
WRITE_MIX = [("answer_vote", 0.70), ("question_vote", 0.15), ("answer", 0.15)]

WRK_SCRIPT = r"""
-- Counts non-2xx responses per thread; done() prints one JSON line for scripts/bench.py.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  s3xx = 0
  s4xx = 0
  s5xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if status >= 500 then s5xx = s5xx + 1 elseif status >= 400 then s4xx = s4xx + 1 else s3xx = s3xx + 1 end
  end
end

function done(summary, latency, requests)
  local n, n3, n4, n5 = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    n = n + thread:get("non2xx")
    n3 = n3 + thread:get("s3xx")
    n4 = n4 + thread:get("s4xx")
    n5 = n5 + thread:get("s5xx")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "non2xx": %d, "s3xx": %d, "s4xx": %d, "s5xx": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, n, n3, n4, n5,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean,
    e.connect, e.read, e.write, e.timeout))
end
"""

BENCH_SETTINGS = """\
# Written by scripts/bench.py for one run: production settings with a temporary STATIC_ROOT.
import os

from forum.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
# Off only for the read load, which all comes from one address (see scripts/bench.py).
RATELIMIT_ENABLE = os.environ.get("BENCH_RATELIMIT", "1") == "1"
"""


class BenchError(Exception):
    """A clear, one-sentence reason to stop."""


STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[bench {time.monotonic() - STARTED:5.1f}s] {message}", file=sys.stderr, flush=True)


# --- processes we start, and stopping them ------------------------------------------------


class Processes:
    """Everything this run started, stopped in reverse order on exit (Ctrl-C and SIGTERM too)."""

    def __init__(self):
        self.gunicorn: subprocess.Popen | None = None
        self.child: subprocess.Popen | None = None  # the helper running right now
        self.cluster = None

    def stop(self) -> None:
        for proc in (self.child, self.gunicorn):
            if proc is not None and proc.poll() is None:
                stop_process(proc)
        self.child = self.gunicorn = None
        if self.cluster is not None:
            say("stopping the benchmark cluster")
            self.cluster.stop()
            self.cluster = None


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM (to its own process group when it has one), then SIGKILL."""
    try:
        if os.getpgid(proc.pid) == proc.pid:
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.terminate()
        proc.wait(timeout=timeout)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        if os.getpgid(proc.pid) == proc.pid:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.wait(timeout=5)


PROCS = Processes()


class Clock:
    def __init__(self, limit: float):
        self.start = time.monotonic()
        self.limit = limit

    def left(self) -> float:
        return self.limit - (time.monotonic() - self.start)

    def check(self, what: str, need: float = 0) -> float:
        left = self.left()
        if left < need:
            raise BenchError(f"the 10-minute limit would be exceeded before {what}; try fewer --questions or a "
                             "shorter --duration")  # fmt: skip
        return left


# --- the database --------------------------------------------------------------------------


def load_localdb():
    spec = importlib.util.spec_from_file_location("localdb", PROJECT / "scripts" / "localdb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_cluster(localdb):
    """A persistent cluster for benchmarks only, next to (not inside) the development one."""
    root = PROJECT / ".localdb-bench"
    if localdb.IS_ROOT:
        probe = PROJECT
        while probe != probe.parent:
            if not localdb.reachable_by_pg_dir(probe):
                digest = hashlib.sha256(str(PROJECT).encode()).hexdigest()[:12]
                root = Path("/var/tmp") / f"forum-localdb-bench-{digest}"
                break
            probe = probe.parent
    return localdb.Cluster(root, throwaway=False)


def database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        say("using DATABASE_URL")
        return os.environ["DATABASE_URL"]
    localdb = load_localdb()
    localdb.ensure_system()
    cluster = bench_cluster(localdb)
    cluster.prepare()
    cluster.start()
    if cluster.started_here:
        PROCS.cluster = cluster
    say(f"benchmark database in {cluster.data}")
    return cluster.url


# --- Django, in subprocesses ----------------------------------------------------------------


def run_helper(name: str, env: dict, clock: Clock, payload: dict | None = None, echo: bool = True) -> dict:
    """Run `bench.py _helper NAME` with the venv's Python; return the JSON it prints last."""
    cmd = [str(VENV_PYTHON), str(Path(__file__).resolve()), "_helper", name]
    proc = subprocess.Popen(
        cmd, cwd=PROJECT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    PROCS.child = proc
    result = None
    tail: list[str] = []
    timer = threading.Timer(max(clock.left(), 1), lambda: proc.poll() is None and proc.kill())
    timer.start()
    try:
        proc.stdin.write(json.dumps(payload or {}))
        proc.stdin.close()
        for line in proc.stdout:
            if line.startswith(MARK):
                result = json.loads(line[len(MARK) :])
                continue
            tail = [*tail[-40:], line]
            if echo:
                print(f"  {line.rstrip()}", file=sys.stderr, flush=True)
        proc.wait()
    finally:
        timer.cancel()
        PROCS.child = None
    if proc.returncode != 0 or result is None:
        if not echo:
            sys.stderr.write("".join(tail))
        if clock.left() <= 1:
            raise BenchError(f"the 10-minute limit ran out during '{name}'")
        raise BenchError(f"the '{name}' step failed (exit {proc.returncode}); its output is above")
    return result


def helper_main(name: str) -> int:
    """Inside the venv, with Django: the steps that need the ORM. Reads JSON on stdin, prints MARK + JSON."""
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    import django

    django.setup()
    payload = json.loads(sys.stdin.read() or "{}")
    result = {"setup": _helper_setup, "prepare": _helper_prepare, "verify": _helper_verify}[name](payload)
    print(MARK + json.dumps(result), flush=True)
    return 0


def _helper_setup(payload: dict) -> dict:
    from django.core.management import call_command

    from forum.questions.models import Question

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    migrated = time.monotonic() - started
    wanted = payload["questions"]
    have = Question.objects.published().count()
    seeded = None
    if have < wanted:
        print(f"seeding {wanted - have:,} questions (the database has {have:,}) …", flush=True)
        started = time.monotonic()
        call_command("seed_bulk", questions=wanted - have, append=have > 0, force=True, seed=payload.get("seed"))
        seeded = time.monotonic() - started
    else:
        print(f"reusing the database: {have:,} published questions", flush=True)
    started = time.monotonic()
    call_command("collectstatic", interactive=False, verbosity=0)
    return {
        "migrate_seconds": round(migrated, 2),
        "seed_seconds": None if seeded is None else round(seeded, 2),
        "seeded_questions": wanted - have if seeded is not None else 0,
        "collectstatic_seconds": round(time.monotonic() - started, 2),
    }


def _helper_prepare(payload: dict) -> dict:
    """Endpoints, writers (fresh password, verified email), write targets, and SQL queries per page."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.db.models import F
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.models import User
    from forum.answers.models import Answer, Vote
    from forum.devtools.bulk import planning, seeder, texts
    from forum.questions.models import Question, Tag

    published = Question.objects.published()

    def thread(size: int):
        exact = published.filter(answer_count=size).order_by("-pk").first()
        if exact is not None:
            return exact
        below = published.filter(answer_count__lte=size).order_by("-answer_count", "-pk").first()
        return below or published.order_by("-answer_count").first()

    long_thread = thread(planning.LONG_THREAD_ANSWERS)
    short_thread = thread(planning.SHORT_THREAD_ANSWERS)
    tag = Tag.objects.filter(is_sensitive=False).order_by("-question_count").first()
    quote = urllib.parse.quote_plus
    endpoints = [
        ("noop", "/bench/noop", "ceiling: middleware only"),
        ("home", "/", "home page"),
        ("list_active", "/questions/?sort=active", "questions, most active"),
        ("thread_5", short_thread.get_absolute_url(), f"thread, {short_thread.answer_count} answers"),
        ("thread_200", long_thread.get_absolute_url(), f"thread, {long_thread.answer_count} answers"),
        ("topic", f"/tags/{tag.slug}/", f"topic ({tag.question_count:,} questions)"),
        ("search_common", f"/search/?q={quote(texts.SEARCH_COMMON_WORD)}", "search, common word"),
        ("search_rare", f"/search/?q={quote(texts.SEARCH_RARE_WORD)}", "search, rare word"),
        ("search_phrase", f"/search/?q={quote(chr(34) + texts.SEARCH_PHRASE + chr(34))}", "search, phrase"),
    ]

    # Writers: members who have not been used lately (rate limits are per member and hour).
    k = payload["writers"]
    candidates = list(
        User.objects.filter(is_active=True, email__endswith=f"@{seeder.EMAIL_DOMAIN}")
        .exclude(username__startswith="dr-")
        .order_by(F("last_login").asc(nulls_first=True), "?")
        .values_list("pk", "email")[: k * 3]
    )
    if len(candidates) < k:
        raise SystemExit("not enough seeded members to write with")
    writers = random.sample(candidates[: max(k, len(candidates) // 2)], k)
    password = os.environ["BENCH_WRITER_PASSWORD"]
    User.objects.filter(pk__in=[pk for pk, _ in writers]).update(password=make_password(password))
    for pk, email in writers:
        EmailAddress.objects.update_or_create(user_id=pk, email=email, defaults={"verified": True, "primary": True})

    # Targets: answers on the long thread (contended), answers and questions spread over the forum.
    fixtures = [long_thread.pk, short_thread.pk]
    sample_q = list(
        published.exclude(pk__in=fixtures).order_by("?").values_list("pk", "author_id")[:300]
    )  # fmt: skip
    spread = list(
        Answer.objects.published()
        .filter(question_id__in=[pk for pk, _ in sample_q])
        .values_list("pk", "author_id")[:600]
    )
    hot = list(Answer.objects.published().filter(question=long_thread).values_list("pk", "author_id"))

    # SQL queries per page (second request of each: warm): a visitor with the page cache off (the
    # page is rendered: what the budgets are about) and on (a hit), and a signed-in member (never cached).
    def count(client: Client, path: str) -> dict:
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        return {"status": response.status_code, "queries": len(ctx.captured_queries)}

    visitor = Client(HTTP_HOST="127.0.0.1")
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(User.objects.exclude(pk__in=[pk for pk, _ in writers]).filter(is_active=True).first())
    queries = {}
    for name, path, _ in endpoints:
        with override_settings(FORUM_PAGE_CACHE_SECONDS=0):
            uncached = count(visitor, path)
        queries[name] = {"visitor": uncached, "visitor_cached": count(visitor, path), "member": count(member, path)}

    totals = {
        "questions": published.count(),
        "answers": Answer.objects.published().count(),
        "votes": Vote.objects.count(),
        "accounts": User.objects.count(),
    }
    return {
        "endpoints": [{"name": n, "path": p, "label": lbl} for n, p, lbl in endpoints],
        "queries": queries,
        "writers": [{"id": pk, "email": email} for pk, email in writers],
        "targets": {"questions": sample_q, "answers": spread, "hot_answers": hot},
        "totals": totals,
    }


def _helper_verify(payload: dict) -> dict:
    """After the write mix: the invariants the services promise, and the writes the load generator saw."""
    from django.db import connection

    from forum.answers.models import Answer, Vote
    from forum.questions.models import Question

    q, a, v = Question._meta.db_table, Answer._meta.db_table, Vote._meta.db_table
    checks = {
        "question_score_not_sum_of_votes": f"""
            SELECT count(*) FROM "{q}" q LEFT JOIN (SELECT question_id, SUM(value) s FROM "{v}"
            WHERE question_id IS NOT NULL GROUP BY question_id) x ON x.question_id = q.id
            WHERE q.score <> COALESCE(x.s, 0)""",
        "answer_score_not_sum_of_votes": f"""
            SELECT count(*) FROM "{a}" a LEFT JOIN (SELECT answer_id, SUM(value) s FROM "{v}"
            WHERE answer_id IS NOT NULL GROUP BY answer_id) x ON x.answer_id = a.id
            WHERE a.score <> COALESCE(x.s, 0)""",
        "answer_count_wrong": f"""
            SELECT count(*) FROM "{q}" q LEFT JOIN (SELECT question_id, count(*) c FROM "{a}"
            WHERE status = 'published' GROUP BY question_id) x ON x.question_id = q.id
            WHERE q.answer_count <> COALESCE(x.c, 0)""",
        "questions_with_two_accepted": f"""
            SELECT count(*) FROM (SELECT question_id FROM "{a}" WHERE is_accepted
            GROUP BY question_id HAVING count(*) > 1) x""",
        "has_accepted_answer_wrong": f"""
            SELECT count(*) FROM "{q}" q WHERE q.has_accepted_answer <> EXISTS
            (SELECT 1 FROM "{a}" a WHERE a.question_id = q.id AND a.is_accepted)""",
    }
    problems = {}
    with connection.cursor() as cursor:
        for name, sql in checks.items():
            cursor.execute(sql)
            problems[name] = cursor.fetchone()[0]

    # Every vote the generator saw succeed is in the database with the value it last cast.
    expected = payload["votes"]  # [user_id, "a"|"q", post_id, value]
    found = {}
    for row in Vote.objects.filter(user_id__in={e[0] for e in expected}).values_list(
        "user_id", "question_id", "answer_id", "value"
    ):
        user, question_id, answer_id, value = row
        found[(user, "q", question_id) if question_id else (user, "a", answer_id)] = value
    problems["votes_missing_or_wrong"] = sum(
        1 for user, kind, post, value in expected if found.get((user, kind, post), 0) != value
    )
    posted = payload["answers_posted"]  # {user_id: n}
    since = datetime.fromisoformat(payload["since"])
    problems["answers_missing"] = sum(
        max(0, n - Answer.objects.filter(author_id=int(user), created_at__gte=since).count())
        for user, n in posted.items()
    )
    return {"problems": problems, "ok": not any(problems.values())}


# --- gunicorn -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    cmd = [str(GUNICORN), "forum.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
           "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"]  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    PROCS.gunicorn = proc
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited at start (exit {proc.returncode}); see {log}")
        try:
            if http_get(port, "/healthz")[0] == 200:
                warm_workers(port, workers)
                return proc, port
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer /healthz within 30 s; see {log}")


def warm_workers(port: int, workers: int) -> None:
    """Concurrent requests so that every worker has imported the URLconf, views and templates."""

    def fetch():
        for path in ("/bench/noop", "/", "/questions/", "/bench/noop"):
            with contextlib.suppress(OSError):
                http_get(port, path)

    threads = [threading.Thread(target=fetch) for _ in range(3 * workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def drain(port: int, workers: int) -> None:
    """Wait until the workers are through what a load run left queued (wrk stops sending, but
    gunicorn still serves the connections it had accepted), so that the next measurement starts idle."""

    def fetch():
        with contextlib.suppress(OSError):
            http_get(port, "/bench/noop")

    threads = [threading.Thread(target=fetch) for _ in range(2 * workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def report_5xx(results: list[dict], log: Path, limit: int = 40) -> None:
    """Show the end of gunicorn's log when some responses were 5xx."""
    fives = sum(n for r in results for status, n in r.get("statuses", {}).items() if status.startswith("5"))
    if not fives:
        return
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        lines = []
    say(f"{fives} responses were 5xx; the end of gunicorn's log:\n" + "\n".join(lines[-limit:]))


def worker_rss(master_pid: int) -> dict:
    """VmRSS (kB) of the gunicorn master and each worker (children of the master)."""

    def rss(pid: int) -> int | None:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    workers = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == master_pid:
            workers.append({"pid": int(entry.name), "rss_kb": rss(int(entry.name))})
    return {"master_rss_kb": rss(master_pid), "worker_rss": sorted(workers, key=lambda w: w["pid"])}


# --- HTTP -----------------------------------------------------------------------------------


def http_get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response, response.read()
    finally:
        conn.close()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))]


def summarize(latencies: list[float], statuses: dict[int, int], elapsed: float) -> dict:
    latencies.sort()
    requests = len(latencies)
    non2xx = sum(n for status, n in statuses.items() if not 200 <= status <= 299)
    return {
        "requests": requests,
        "rps": round(requests / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "non2xx": non2xx,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def python_load(port: int, path: str, connections: int, duration: float) -> dict:
    """A tiny closed-loop load generator (when wrk is not there): one thread per connection."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def worker():
        mine, codes = [], {}
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status = http_get(port, path)[0]
            except OSError:
                status = 0
            mine.append(time.perf_counter() - started)
            codes[status] = codes.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summarize(latencies, statuses, time.monotonic() - started)


def wrk_load(wrk: str, script: Path, port: int, path: str, connections: int, duration: int) -> dict:
    threads = max(1, min(2, connections))
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", str(script),
           f"http://127.0.0.1:{port}{path}"]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith(MARK)), None)
    if result.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {path}: {result.stderr.strip() or result.stdout.strip()}")
    raw = json.loads(line[len(MARK) :])
    seconds = raw["duration_us"] / 1e6
    socket_errors = sum(raw["socket_errors"].values())
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "non2xx": raw["non2xx"],
        "statuses": {"3xx": raw["s3xx"], "4xx": raw["s4xx"], "5xx": raw["s5xx"]},
        "socket_errors": socket_errors,
    }


def find_wrk(smoke: bool, loader: str) -> str | None:
    if loader == "python":
        return None
    wrk = shutil.which("wrk")
    if wrk or (smoke and loader == "auto"):
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing wrk with apt-get (running as root)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        installed = subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True)
        if installed.returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True)
        wrk = shutil.which("wrk")
        if wrk:
            return wrk
    raise BenchError("wrk is not installed: run `sudo apt-get install -y wrk` (or use --smoke, which needs no wrk)")


# --- the write mix ----------------------------------------------------------------------------


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
        headers = {}
        if writer.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in writer.cookies.items())
        if "csrftoken" in writer.cookies:
            headers["X-CSRFToken"] = writer.cookies["csrftoken"]
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if accept_json:
            headers["Accept"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                writer.cookies[key] = morsel.value
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
            pool = self.targets["hot_answers"] if self.rng.random() < 0.5 else self.targets["answers"]
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
        started = time.monotonic()
        threads = [threading.Thread(target=self.login_quietly, args=(w,)) for w in self.writers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        failed = [w for w in self.writers if "sessionid" not in w.cookies]
        if failed:
            raise BenchError(f"{len(failed)} of {len(self.writers)} bench members could not log in")
        login_seconds = time.monotonic() - started
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


# --- the run --------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.py", description="The forum's speed benchmark.")
    parser.add_argument("--questions", type=int, help="data set size (default 100000; 200 with --smoke)")
    parser.add_argument("--duration", type=int, help="seconds of load per endpoint and pass (default 5; 2 smoke)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections, cached pass (default 8)")
    parser.add_argument(
        "--uncached-connections",
        type=int,
        help="concurrent connections in the uncached pass (default 1: the latency is a page's own cost, "
        "not time queued behind other requests or spent waiting for a core the load tool and "
        "PostgreSQL share with the workers)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2, one per core)")
    parser.add_argument("--writers", type=int, help="members in the write mix (default: --connections; 2 smoke)")
    parser.add_argument("--warmup", type=int, help="seconds of warm-up per endpoint (default 2; smoke: a few requests)")
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto", help="load generator")
    parser.add_argument("--seed", type=int, default=1, help="seed for seed_bulk and the write mix")
    parser.add_argument("--json", type=Path, help="where to write the JSON (default bench-results/bench-<time>.json)")
    parser.add_argument("--smoke", action="store_true", help="a quick run that works anywhere")
    args = parser.parse_args(argv)
    args.questions = args.questions or (200 if args.smoke else 100_000)
    args.duration = args.duration or (2 if args.smoke else 5)
    args.warmup = args.warmup if args.warmup is not None else (0 if args.smoke else 2)
    args.writers = args.writers or (2 if args.smoke else args.connections)
    args.uncached_connections = args.uncached_connections or 1
    if min(args.questions, args.duration, args.connections, args.workers, args.writers) < 1:
        parser.error("sizes and durations must be positive")
    return args


def page_cache_seconds() -> int:
    """The page cache's lifetime for the cached pass: the environment's when positive, else the default."""
    raw = os.environ.get("FORUM_PAGE_CACHE_SECONDS", "").strip()
    try:
        seconds = int(raw)
    except ValueError:
        seconds = 0
    if seconds > 0:
        return seconds
    if raw:
        say(f"FORUM_PAGE_CACHE_SECONDS={raw} is ignored for the cached pass (300 s); the uncached pass uses 0")
    return 300


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    clock = Clock(TIME_LIMIT)
    per_run = args.duration + args.warmup
    planned = LOAD_RUNS * per_run
    if planned > TIME_LIMIT - SETUP_ALLOWANCE:
        raise BenchError(f"{planned} s of load does not fit in the 10-minute limit; use a shorter --duration")
    if not VENV_PYTHON.exists() or not GUNICORN.exists():
        raise BenchError("the virtualenv is missing: run `make setup` (or `make bench`, which does it)")
    wrk = find_wrk(args.smoke, args.loader)
    say(f"load generator: {'wrk' if wrk else 'Python threads (wrk not found)'}; {LOAD_RUNS} load runs "
        f"(6 cached, 9 uncached, the write mix) of {args.duration} s after a {args.warmup} s warm-up, "
        f"{args.connections} connections cached, {args.uncached_connections} uncached: "
        f"about {planned} s of load")  # fmt: skip
    load_before = os.getloadavg()
    if load_before[0] > 0.5 * (os.cpu_count() or 1):
        say(f"warning: the machine is busy (load average {load_before[0]:.1f}); numbers will be noisy")

    tmp = Path(tempfile.mkdtemp(prefix="forum-bench-"))
    try:
        (tmp / "bench_settings.py").write_text(BENCH_SETTINGS.format(static_root=str(tmp / "static")))
        (tmp / "bench.lua").write_text(WRK_SCRIPT)
        writer_password = secrets.token_urlsafe(24)
        cache_seconds = page_cache_seconds()
        env = dict(os.environ)
        env.update(
            DATABASE_URL=database_url(),
            DJANGO_SETTINGS_MODULE="bench_settings",
            PYTHONPATH=os.pathsep.join([str(tmp), str(PROJECT)]),
            PYTHONUNBUFFERED="1",
            DEBUG="0",
            SECRET_KEY="bench-" + secrets.token_urlsafe(48),
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            FORUM_BENCH="1",
            FORUM_PAGE_CACHE_SECONDS=str(cache_seconds),
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            BENCH_WRITER_PASSWORD=writer_password,
        )
        env.pop("CSRF_TRUSTED_ORIGINS", None)

        say(f"migrate, seed up to {args.questions:,} questions, collectstatic")
        clock.check("seeding", need=planned + 3 * RESTART_ALLOWANCE + 30)
        setup = run_helper("setup", env, clock, {"questions": args.questions, "seed": args.seed})
        clock.check("the load", need=planned + 3 * RESTART_ALLOWANCE + 20)
        say("choosing endpoints and writers, counting SQL queries per page")
        prepared = run_helper("prepare", env, clock, {"writers": args.writers}, echo=False)

        # Reads: every request comes from 127.0.0.1, so per-address rate limits (search: 60/min)
        # would turn the measurement into one of 429 pages; they are off for the read load only.
        # Their cost per request is still in the query counts, and they are on for the write mix.
        # Two passes, gunicorn restarted in between: visitors' pages from the page cache, then
        # rendered (FORUM_PAGE_CACHE_SECONDS=0), each pass with its own no-op ceiling.
        env_server = {k: v for k, v in env.items() if k != "BENCH_WRITER_PASSWORD"}
        endpoints = prepared["endpoints"]
        passes = (
            ("cached", str(cache_seconds), [e for e in endpoints if e["name"] not in NEVER_CACHED]),
            ("uncached", "0", endpoints),
        )
        measured: dict[str, dict[str, dict]] = {}
        rss: dict[str, dict] = {}
        runs_left = LOAD_RUNS
        for key, seconds, chosen in passes:
            restarts_left = 3 - len(measured)
            clock.check(f"the {key} pass", need=runs_left * per_run + restarts_left * RESTART_ALLOWANCE)
            log = tmp / f"reads-{key}.log"
            pass_env = {**env_server, "BENCH_RATELIMIT": "0", "FORUM_PAGE_CACHE_SECONDS": seconds}
            gunicorn, port = start_gunicorn(pass_env, args.workers, log)
            say(f"{key} pass: gunicorn (pid {gunicorn.pid}, {args.workers} workers, rate limits off, "
                f"FORUM_PAGE_CACHE_SECONDS={seconds}) on 127.0.0.1:{port}")  # fmt: skip
            measured[key] = {}
            for endpoint in chosen:
                clock.check(f"loading {endpoint['path']} ({key})", need=per_run + 15)
                connections = args.connections if key == "cached" else args.uncached_connections
                measured[key][endpoint["name"]] = measure(endpoint, port, wrk, tmp / "bench.lua", args, connections)
                runs_left -= 1
            rss[key] = worker_rss(gunicorn.pid)
            stop_process(gunicorn)
            PROCS.gunicorn = None
            report_5xx(list(measured[key].values()), log)
        ceiling = {key: (measured[key].get("noop") or {}).get("rps") or 0 for key in measured}
        results = [endpoint_row(e, prepared["queries"], measured, ceiling) for e in endpoints]

        clock.check("the write mix", need=args.duration + 30)
        gunicorn, port = start_gunicorn({**env_server, "BENCH_RATELIMIT": "1"}, args.workers, tmp / "writes.log")
        say(f"gunicorn again (pid {gunicorn.pid}, rate limits on); write mix: {args.writers} members log in, "
            f"then vote and answer for {args.duration} s")  # fmt: skip
        mix = WriteMix(port, prepared["writers"], prepared["targets"], writer_password, args.seed)
        writes = mix.run(args.duration)
        rss_writes = worker_rss(gunicorn.pid)
        stop_process(gunicorn)
        PROCS.gunicorn = None
        report_5xx([writes], tmp / "writes.log")
        say("checking the database after the writes")
        verification = run_helper("verify", env, clock, mix.expectations(), echo=False)
        writes["verification"] = verification
        writes["errors"] = sum(n for status, n in writes["statuses"].items() if not 200 <= int(status) <= 299)

        report = {
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "machine": {
                "cpus": os.cpu_count(),
                "python": sys.version.split()[0],
                "load_average_before": [round(x, 2) for x in load_before],
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
            },
            "loader": "wrk" if wrk else "python",
            "page_cache_seconds": {"cached": cache_seconds, "uncached": 0},
            "ceiling": ceiling,
            "setup": setup,
            "data": prepared["totals"],
            "gunicorn": {
                "workers": args.workers,
                "after_reads": rss["cached"],
                "after_uncached_reads": rss["uncached"],
                "after_writes": rss_writes,
            },
            "endpoints": results,
            "writes": writes,
        }
        report["budgets"] = budget_verdicts(report)
        report["total_seconds"] = round(time.monotonic() - clock.start, 1)
        print_table(report)
        out = args.json or RESULTS / f"bench-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n")
        say(f"results written to {out}")
        if not verification["ok"]:
            bad = {k: v for k, v in verification["problems"].items() if v}
            say(f"the database is inconsistent after the write mix: {bad}")
            return 1
        return 0
    finally:
        PROCS.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def measure(endpoint: dict, port: int, wrk: str | None, script: Path, args, connections: int) -> dict:
    """One endpoint in one pass: the load's numbers, with the status and X-Page-Cache of a probe after warm-up."""
    path = endpoint["path"]
    status = http_get(port, path)[0]
    if endpoint["name"].startswith("search") and status == 404:
        say(f"{path}: 404, search is not available")
        return {"status": status, "available": False}
    say(f"{endpoint['label']}: {path}")
    if args.warmup and wrk:
        wrk_load(wrk, script, port, path, connections, args.warmup)
    else:
        for _ in range(5):
            http_get(port, path)
    drain(port, args.workers)
    status, response, _ = http_get(port, path)
    row = {"status": status, "available": True, "page_cache": response.getheader("X-Page-Cache")}
    if wrk:
        stats = wrk_load(wrk, script, port, path, connections, args.duration)
    else:
        stats = python_load(port, path, connections, args.duration)
    return {**row, **stats}


def endpoint_row(endpoint: dict, queries: dict, measured: dict, ceiling: dict) -> dict:
    """An endpoint's entry in the report: SQL query counts, then one measurement per pass (None: not in it)."""
    counted = queries[endpoint["name"]]
    row = {
        **endpoint,
        "queries": counted["visitor"]["queries"],  # a visitor, page cache off: the page rendered
        "queries_cached": counted["visitor_cached"]["queries"],
        "queries_member": counted["member"]["queries"],
    }
    runs = {key: measured[key].get(endpoint["name"]) for key in ("cached", "uncached")}
    for key, run in runs.items():
        if run and run.get("available") and ceiling.get(key):
            run["ratio"] = round(run["rps"] / ceiling[key], 3)
    done = [run for run in runs.values() if run]
    row["status"] = done[0]["status"]
    row["available"] = all(run["available"] for run in done)
    return {**row, **runs}


def usable(run: dict | None) -> str | None:
    """Why a measurement cannot back a verdict, or None when it can."""
    if not run:
        return "not measured"
    if not run.get("available"):
        return f"not available (HTTP {run['status']})"
    if not run["requests"]:
        return "no response"
    if run["non2xx"]:
        return f"{run['non2xx']} non-2xx responses"
    if run.get("socket_errors"):
        return f"{run['socket_errors']} socket errors"
    return None


def budget_verdicts(report: dict) -> list[dict]:
    """The issue's budgets, each with the figure measured in this run and PASS, MISS or n/a."""
    rows = {r["name"]: r for r in report["endpoints"]}
    verdicts = []

    def add(budget: str, measured: str, ok: bool | None) -> None:
        verdict = "n/a" if ok is None else "PASS" if ok else "MISS"
        verdicts.append({"budget": budget, "measured": measured, "verdict": verdict})

    def queries(name: str, limit: int) -> None:
        row = rows[name]
        worst = max(row["queries"], row["queries_member"])
        # Judged on the higher of a visitor's (page cache off: rendered) and a member's (never cached).
        measured = f"{worst} (visitor {row['queries']}, member {row['queries_member']})"
        add(f"{name}: SQL queries per request <= {limit}", measured, worst <= limit)

    def latency(name: str, stat: str, limit: float) -> None:
        run = rows[name].get("uncached")
        problem = usable(run)
        budget = f"{name}: {stat} uncached <= {limit:g} ms"
        if problem:
            add(budget, problem, False)
        else:
            add(budget, f"{run[stat + '_ms']:.1f} ms", run[stat + "_ms"] <= limit)

    for name in ("thread_5", "thread_200"):
        queries(name, 8)
    latency("thread_200", "p50", 15)
    for name in ("home", "list_active", "topic"):
        queries(name, 5)
    for name in ("home", "list_active", "topic"):
        latency(name, "p50", 10)
    ceiling = report["ceiling"].get("cached") or 0
    for name in ("list_active", "thread_5", "thread_200"):
        run = rows[name].get("cached")
        budget = f"{name}: cached req/s >= 50% of the ceiling"
        problem = usable(run) or (None if ceiling else "no ceiling measured")
        if problem:
            add(budget, problem, False)
        else:
            add(budget, f"{run['ratio']:.0%} ({run['rps']:.0f} of {ceiling:.0f} req/s)", run["ratio"] >= 0.5)
    latency("search_common", "p95", 50)

    writes = report["writes"]
    problems = {k: v for k, v in writes["verification"]["problems"].items() if v}
    add("writes: 0 errors, every count exact", f"{writes['errors']} errors, database check "
        + ("OK" if not problems else f"FAILED {problems}"), writes["errors"] == 0 and not problems)  # fmt: skip

    phases = [(phase, w) for phase, rss in report["gunicorn"].items() if isinstance(rss, dict)
              for w in rss["worker_rss"]]  # fmt: skip
    if phases:
        phase, top = max(phases, key=lambda p: p[1]["rss_kb"] or 0)
        mb = (top["rss_kb"] or 0) / 1024
        add("gunicorn worker RSS < 150 MB", f"max {mb:.0f} MB ({phase.replace('_', ' ')})", mb < 150)
    else:
        add("gunicorn worker RSS < 150 MB", "no worker found", False)

    setup = report["setup"]
    seconds, seeded = setup["seed_seconds"], setup["seeded_questions"]
    if seconds is None:
        add("seeding 100,000 questions < 300 s", "no seeding in this run (database reused)", None)
    elif seeded < 100_000:
        add("seeding 100,000 questions < 300 s", f"{seconds:.1f} s for {seeded:,} questions only", None)
    else:
        add("seeding 100,000 questions < 300 s", f"{seconds:.1f} s for {seeded:,} questions", seconds < 300)
    return verdicts


def print_table(report: dict) -> None:
    def number(value, width: int, spec: str = ".1f") -> str:
        return f"{'-' if value is None else format(value, spec):>{width}}"

    def cells(run: dict | None, fields: list[tuple[str, int, str]]) -> str:
        width = sum(w for _, w, _ in fields) + len(fields) - 1
        if run is None:
            return f"{'-':>{width}}"
        if not run.get("available"):
            return f"{'not available (HTTP ' + str(run['status']) + ')':>{width}}"
        if not run["requests"]:
            return f"{'no response in ' + str(report['args']['duration']) + ' s':>{width}}"
        return " ".join(number(run.get(key), w, spec) for key, w, spec in fields)

    cached = [("rps", 8, ".1f"), ("ratio", 6, ".2f"), ("p50_ms", 7, ".1f"), ("p99_ms", 7, ".1f"), ("non2xx", 7, "d")]
    uncached = [("rps", 8, ".1f"), ("p50_ms", 7, ".1f"), ("p95_ms", 7, ".1f"), ("p99_ms", 7, ".1f"),
                ("non2xx", 7, "d")]  # fmt: skip
    cw = sum(w for _, w, _ in cached) + len(cached) - 1
    uw = sum(w for _, w, _ in uncached) + len(uncached) - 1
    seconds = report["page_cache_seconds"]["cached"]
    top = f"{'':<30} | {f' page cache on ({seconds} s) ':-^{cw}} | {' page cache off ':-^{uw}} |"
    head = (f"{'endpoint':<30} | {'req/s':>8} {'x noop':>6} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7} | "
            f"{'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'non-2xx':>7} | {'queries':>7}")  # fmt: skip
    lines = ["", top, head, "-" * len(head)]
    for r in report["endpoints"]:
        lines.append(
            f"{r['label'][:30]:<30} | {cells(r.get('cached'), cached)} | {cells(r.get('uncached'), uncached)} | "
            f"{r['queries']:>7}"
        )
    w = report["writes"]
    w_run = {**w, "available": True, "non2xx": w["errors"]}
    lines.append(f"{'writes: vote/answer mix':<30} | {cells(None, cached)} | {cells(w_run, uncached)} | {'-':>7}")
    lines.append("")
    data = report["data"]
    args = report["args"]
    lines.append(
        f"data: {data['questions']:,} questions, {data['answers']:,} answers, {data['votes']:,} votes; "
        f"loader {report['loader']}, {args['connections']} connections cached and "
        f"{args['uncached_connections']} uncached, {args['duration']} s per endpoint and "
        f"pass after {args['warmup']} s warm-up, {report['gunicorn']['workers']} gunicorn workers; "
        f"ceiling {report['ceiling'].get('cached', 0):.0f} req/s cached pass, "
        f"{report['ceiling'].get('uncached', 0):.0f} uncached pass"
    )
    seed = report["setup"]["seed_seconds"]
    if seed is not None:
        lines.append(f"seeded {report['setup']['seeded_questions']:,} questions in {seed:.1f} s")
    missed = [r["name"] for r in report["endpoints"] if (r.get("cached") or {}).get("page_cache") not in (None, "hit")
              and r["name"] != "noop"]  # fmt: skip
    if missed:
        lines.append(f"warning: not served from the page cache in the cached pass: {', '.join(missed)}")

    def mb(rss: dict) -> str:
        return ", ".join(f"{(x['rss_kb'] or 0) / 1024:.0f} MB" for x in rss["worker_rss"])

    gunicorn = report["gunicorn"]
    lines.append(
        f"gunicorn worker RSS: {mb(gunicorn['after_reads'])} after the cached reads, "
        f"{mb(gunicorn['after_uncached_reads'])} after the uncached reads, "
        f"{mb(gunicorn['after_writes'])} after the writes"
    )
    lines.append(
        f"writes: {w['requests']} requests by {w['writers']} members ({w['answers_posted']} answers posted, "
        f"{w['votes_cast']} votes kept), login {w['login_seconds']:.1f} s"
        + (f", unexpected: {w['unexpected']}" if w["unexpected"] else "")
    )
    problems = {k: v for k, v in w["verification"]["problems"].items() if v}
    lines.append("database check after the writes: " + ("OK" if not problems else f"FAILED {problems}"))
    lines.append(
        "queries = SQL queries per request for a visitor with the page cache off (the page rendered), rate "
        "limiting included (cache hits and member counts: JSON); searches are never cached, so they are measured "
        "in the uncached pass only; the reads run with rate limits off (one source address), the writes with them on"
    )
    lines.append("")
    lines.append("budgets:")
    for b in report["budgets"]:
        lines.append(f"  {b['verdict']:<5} {b['budget']:<50} {b['measured']}")
    counts = {v: sum(1 for b in report["budgets"] if b["verdict"] == v) for v in ("PASS", "MISS", "n/a")}
    lines.append(f"budgets: {counts['PASS']} PASS, {counts['MISS']} MISS, {counts['n/a']} n/a; "
                 f"whole run {report['total_seconds']:.0f} s")  # fmt: skip
    print("\n".join(lines), flush=True)


def entry(argv: list[str]) -> int:
    if argv[:1] == ["_helper"]:
        return helper_main(argv[1])

    def on_term(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        return main(argv)
    except BenchError as error:
        say(str(error))
        return 2
    except KeyboardInterrupt:
        say("interrupted; stopped what this run started")
        return 130
    finally:
        PROCS.stop()


if __name__ == "__main__":
    sys.exit(entry(sys.argv[1:]))
