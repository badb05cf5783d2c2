"""The measurements of `make bench-cluster` (scripts/bench_cluster.py) on a LoopbackCluster:
scaling across 1, 2 and 3 web hosts, then faults under a steady mixed load, and the checks after them.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import threading
import time
from dataclasses import dataclass

from .cluster_cpu import CpuMeter, shares
from .cluster_load import PASSWORD, Browser, Load, describe, sign_in_all, summarize_records, tally
from .common import MARK, PROJECT, VENV_PYTHON, BenchError, say
from .load import http_get, python_load
from .writes import WriteMix

# The write mix's answers, per member and run: the demo's five threads stay of a similar length
# from the first run to the last (votes change no page's length).
ANSWERS_PER_WRITER = 2
# A search members make (1 request in 7: 60 a minute per member is the limit), and one to warm the hosts.
SEARCH_WORD, WARM_SEARCH_WORD = "partner", "consent"


def lsn(text: str) -> int:
    high, _, low = text.strip().partition("/")
    return (int(high, 16) << 32) | int(low, 16)


@dataclass
class Options:
    duration: float
    fault_seconds: float
    visitors: int
    members: int
    writers: int
    fault_visitors: int
    fault_members: int
    fault_voters: int
    seed: int | None = None


# --- what the demo data offers --------------------------------------------------------------------


class Site:
    """Paths and vote targets from the primary: the demo's threads, topics, answers."""

    def __init__(self, cluster):
        rows = cluster.primary_sql(
            "SELECT id || ' ' || slug || ' ' || COALESCE(author_id, 0) FROM questions_question "
            "WHERE status = 'published' ORDER BY id"
        ).split("\n")
        self.questions = [(int(pk), slug, int(author)) for pk, slug, author in (r.split(" ") for r in rows if r)]
        if not self.questions:
            raise BenchError("the cluster has no published questions (demo data missing?)")
        answers = cluster.primary_sql(
            "SELECT id || ' ' || COALESCE(author_id, 0) || ' ' || question_id FROM answers_answer "
            "WHERE status = 'published' ORDER BY id"
        ).split("\n")
        self.answers = [tuple(int(x) for x in r.split(" ")) for r in answers if r]
        tags = cluster.primary_sql(
            "SELECT slug FROM questions_tag WHERE question_count > 0 ORDER BY question_count DESC, slug LIMIT 3"
        ).split("\n")
        threads = [f"/questions/{pk}/{slug}/" for pk, slug, _ in self.questions]
        self.visitor_paths = ["/", "/questions/", *threads, *(f"/tags/{t}/" for t in tags if t), "/tags/"]
        self.member_paths = []
        for i, path in enumerate(threads):
            self.member_paths.append(path)
            if i == 0:
                self.member_paths.append("/questions/")
            if i == 2:
                self.member_paths.append("/search/?q=" + SEARCH_WORD)
        self.vote_questions = [(pk, slug) for pk, slug, _ in self.questions]
        longest = max(self.questions, key=lambda q: sum(1 for a in self.answers if a[2] == q[0]))[0]
        self.write_targets = {
            "questions": [(pk, author or None) for pk, _, author in self.questions],
            "answers": [(pk, author or None) for pk, author, _ in self.answers],
            "hot_answers": [(pk, author or None) for pk, author, q in self.answers if q == longest],
        }


class Members:
    """Bench members (bench-NNN@cluster.invalid, the demo password, a verified address), made once
    on the primary with `manage.py shell` in the cluster's environment. Each load run takes fresh
    ones: the hourly vote and answer limits and the per-minute search limit count per member."""

    def __init__(self, cluster, count: int):
        self.cluster = cluster
        code = f"""
import json
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from accounts.models import User
password = make_password({PASSWORD!r})
User.objects.bulk_create(
    [User(username=f"bench-{{i:03d}}", email=f"bench-{{i:03d}}@cluster.invalid", password=password)
     for i in range({count})],
    ignore_conflicts=True,
)
made = list(User.objects.filter(email__endswith="@cluster.invalid").order_by("pk").values_list("pk", "email"))
EmailAddress.objects.bulk_create(
    [EmailAddress(user_id=pk, email=email, verified=True, primary=True) for pk, email in made],
    ignore_conflicts=True,
)
print({MARK!r} + json.dumps(made))
"""
        result = subprocess.run(
            [str(VENV_PYTHON), "manage.py", "shell", "-c", code],
            cwd=PROJECT, env=cluster.env(), capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        line = next((ln for ln in result.stdout.splitlines() if ln.startswith(MARK)), None)
        if result.returncode != 0 or line is None:
            raise BenchError(f"making the bench members failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
        self.free = [{"id": pk, "email": email} for pk, email in json.loads(line[len(MARK) :])]

    def take(self, count: int) -> list[dict]:
        if count > len(self.free):
            raise BenchError("not enough bench members left")
        taken, self.free = self.free[:count], self.free[count:]
        return taken

    def browsers(self, count: int) -> list[Browser]:
        browsers = [Browser(self.cluster.port, m["email"], m["id"]) for m in self.take(count)]
        sign_in_all(browsers)
        return browsers


class ClusterWriteMix(WriteMix):
    """benchkit's write mix, its members signed in beforehand (outside the measured window)."""

    def login_all(self) -> float:
        if self.writers and all("sessionid" in w.cookies for w in self.writers):
            return 0.0
        return super().login_all()


def error_pages(cluster) -> dict[str, bytes]:
    """nginx's 502 page per language, as proxy_error_pages wrote it from templates/502.html."""
    folder = cluster.root / "pages" / "proxy-errors"
    pages = {path.stem.split(".", 1)[1]: path.read_bytes() for path in folder.glob("502.*.html")}
    if not pages:
        raise BenchError(f"no 502 pages in {folder}")
    return pages


def warm(cluster, site: Site) -> None:
    """Every worker of every host has imported and rendered the pages once; the page cache is filled."""

    def fetch(port: int, paths: list[str]):
        for path in paths:
            with contextlib.suppress(OSError):
                http_get(port, path)

    threads = []
    for port in cluster.host_ports:
        paths = [*site.visitor_paths[:4], "/search/?q=" + WARM_SEARCH_WORD]
        threads += [threading.Thread(target=fetch, args=(port, paths)) for _ in range(2 * cluster.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fetch(cluster.port, site.visitor_paths)


# --- 1. scaling ----------------------------------------------------------------------------------------


def _failed(statuses: dict) -> int:
    """Failures among statuses (keys as strings): none, or 4xx/5xx other than 429."""
    return sum(n for code, n in statuses.items() if code != "429" and (code == "0" or int(code) >= 400))


def in_time(clock, what: str, need: float) -> None:
    """Stop before `what` if it would not end within the 10 minutes."""
    if clock.left() < need:
        raise BenchError(f"the 10-minute limit would be exceeded before {what}; try a shorter --duration")


def scaling(cluster, site: Site, members: Members, opts: Options, clock) -> list[dict]:
    rows = []
    pages = error_pages(cluster)
    for hosts in range(1, cluster.host_count + 1):
        in_time(clock, f"the runs on {hosts} hosts", need=3 * opts.duration + 15)
        cluster.balance_across(hosts)
        say(f"nginx balances across {hosts} web host(s)")
        http_get(cluster.port, "/healthz")

        say(f"  visitors' pages, {opts.visitors} connections, {opts.duration:g} s")
        meter = CpuMeter(cluster.part_pids).start()
        result = python_load(cluster.port, site.visitor_paths, opts.visitors, opts.duration)
        rows.append(_row(hosts, "visitors' pages", result, meter.stop(), _failed(result["statuses"])))

        browsers = members.browsers(opts.members)
        say(f"  members' pages, {len(browsers)} members, {opts.duration:g} s")
        load = Load(cluster.port, pages)
        meter = CpuMeter(cluster.part_pids).start()
        started = time.monotonic()
        load.members(browsers, site.member_paths)
        time.sleep(opts.duration)
        records = load.stop()
        result = summarize_records(records, time.monotonic() - started)
        rows.append(_row(hosts, "members' pages", result, meter.stop(), result["failed"]))

        mix = ClusterWriteMix(cluster.port, members.take(opts.writers), site.write_targets, PASSWORD, opts.seed)
        for writer in mix.writers:
            writer.budget["answer"] = ANSWERS_PER_WRITER
        mix.login_all()
        say(f"  write mix, {len(mix.writers)} members voting and answering, {opts.duration:g} s")
        meter = CpuMeter(cluster.part_pids).start()
        result = mix.run(opts.duration)
        row = _row(hosts, "write mix", result, meter.stop(), _failed(result["statuses"]))
        row["unexpected"] = result.get("unexpected", {})
        row["votes_cast"], row["answers_posted"] = result.get("votes_cast"), result.get("answers_posted")
        rows.append(row)
        replica_stopped(cluster)
    return rows


def _row(hosts: int, load: str, result: dict, cpu: dict, failed: int) -> dict:
    return {
        "hosts": hosts,
        "load": load,
        "requests": result["requests"],
        "rps": result["rps"],
        "p50_ms": result["p50_ms"],
        "p95_ms": result["p95_ms"],
        "failed": failed,
        "rate_limited": result["statuses"].get("429", 0),
        "statuses": result["statuses"],
        "cpu": cpu,
        "cpu_share": shares(cpu),
    }


# --- checks on the primary ------------------------------------------------------------------------------

INVARIANTS = {
    "question_score_not_sum_of_votes": """
        SELECT count(*) FROM questions_question q LEFT JOIN (SELECT question_id, SUM(value) s FROM answers_vote
        WHERE question_id IS NOT NULL GROUP BY question_id) x ON x.question_id = q.id
        WHERE q.score <> COALESCE(x.s, 0)""",
    "answer_score_not_sum_of_votes": """
        SELECT count(*) FROM answers_answer a LEFT JOIN (SELECT answer_id, SUM(value) s FROM answers_vote
        WHERE answer_id IS NOT NULL GROUP BY answer_id) x ON x.answer_id = a.id WHERE a.score <> COALESCE(x.s, 0)""",
    "answer_count_wrong": """
        SELECT count(*) FROM questions_question q LEFT JOIN (SELECT question_id, count(*) c FROM answers_answer
        WHERE status = 'published' GROUP BY question_id) x ON x.question_id = q.id
        WHERE q.answer_count <> COALESCE(x.c, 0)""",
}


def invariants(cluster) -> dict[str, int]:
    """Rows whose stored counts disagree with what they count: a write applied in part."""
    return {name: int(cluster.primary_sql(" ".join(sql.split()))) for name, sql in INVARIANTS.items()}


def lost_votes(cluster, confirmed: dict) -> list[dict]:
    """Votes a member saw succeed (the last for each question) that the primary does not hold as seen."""
    if not confirmed:
        return []
    users = sorted({user for user, _ in confirmed})
    rows = cluster.primary_sql(
        "SELECT user_id || ' ' || question_id || ' ' || value FROM answers_vote "
        f"WHERE question_id IS NOT NULL AND user_id IN ({','.join(str(u) for u in users)})"
    ).split("\n")
    held = {}
    for row in filter(None, rows):
        user, question, value = (int(x) for x in row.split(" "))
        held[(user, question)] = value
    return [
        {"user": user, "question": question, "seen": value, "held": held.get((user, question), 0)}
        for (user, question), value in confirmed.items()
        if held.get((user, question), 0) != (1 if value else 0)
    ]


def caught_up(cluster, timeout: float = 30) -> float:
    """Wait until the replica has replayed all the primary has written; the seconds it took."""
    started = time.monotonic()
    target = lsn(cluster.primary_sql("SELECT pg_current_wal_insert_lsn()"))
    while time.monotonic() - started < timeout:
        with contextlib.suppress(RuntimeError):
            if lsn(cluster.replica_sql("SELECT pg_last_wal_replay_lsn()") or "0/0") >= target:
                return time.monotonic() - started
        time.sleep(0.05)
    replica_stopped(cluster)
    raise BenchError(f"the replica did not catch up within {timeout:.0f} s")


def replica_stopped(cluster) -> None:
    """Stop the run, saying why, if the replica is not running (outside a fault that stops it)."""
    if cluster.replica_running():
        return
    try:
        tail = (cluster.replica.root / "server.log").read_text(errors="replace").splitlines()[-6:]
    except OSError:
        tail = []
    raise BenchError("the replica has stopped; the end of its log:\n" + "\n".join(tail))


# --- 2. faults -----------------------------------------------------------------------------------------


class Window:
    """A fault's window: a steady mixed load (visitors, members reading, members voting then
    reloading) from start() to finish(), and the moments of the fault."""

    def __init__(self, name: str, cluster, site: Site, members: Members, opts: Options):
        self.name = name
        self.cluster = cluster
        self.site = site
        self.opts = opts
        self.readers = members.browsers(opts.fault_members)
        self.voting = members.browsers(opts.fault_voters)
        self.load = Load(cluster.port, error_pages(cluster))
        self.marks: dict[str, float] = {}
        self.result: dict = {"fault": name}

    def start(self) -> Window:
        self.log_offsets = {i: _size(self.cluster.logs / f"web{i + 1}.log") for i in range(self.cluster.host_count)}
        self.started = time.monotonic()
        self.load.visitors(self.opts.fault_visitors, self.site.visitor_paths)
        self.load.members(self.readers, self.site.member_paths)
        self.load.voters(self.voting, self.site.vote_questions)
        return self

    def mark(self, name: str) -> float:
        self.marks[name] = time.monotonic()
        return self.marks[name]

    def first(self, test, since: float, timeout: float) -> float | None:
        """When the first request that started after `since` and passes `test` ended; None on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.load.lock:
                found = [r.ended for r in self.load.records if r.started >= since and test(r)]
            if found:
                return min(found)
            time.sleep(0.05)
        return None

    def finish(self) -> dict:
        records = self.load.stop()
        ended = time.monotonic()
        result = self.result
        result.update(tally(records))
        result["seconds"] = round(ended - self.started, 2)
        result["marks_s"] = {k: round(v - self.started, 2) for k, v in self.marks.items()}
        votes = self.load.votes
        result["own_vote"] = {
            "views_after_vote": votes.views,
            "missing_own_vote": votes.missing_own_vote,
            "examples": votes.missing_examples,
            "failed_then_applied": votes.failed_then_applied,
            "failed_not_applied": votes.failed_not_applied,
        }
        with contextlib.suppress(BenchError):
            caught_up(self.cluster)
        problems = invariants(self.cluster)
        lost = lost_votes(self.cluster, votes.confirmed)
        result["invariants"] = problems
        result["half_done_writes"] = sum(problems.values())
        result["lost_writes"] = len(lost)
        result["lost_examples"] = lost[:5]
        result["votes_confirmed"] = len(votes.confirmed)
        for r in records:  # times relative to the window's start, for reading the failures
            r.started -= self.started
            r.ended -= self.started
        result["failures"] = [describe(r) for r in records if r.failed][:20]
        explain(self.cluster, result["failures"], self.log_offsets)
        result["error_pages_502"] = {
            "site": sum(1 for r in records if r.status == 502 and r.error_page == "site"),
            "other": sum(1 for r in records if r.status == 502 and r.error_page == "other"),
        }
        self.records = records
        return result


def _size(path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


FORUM_FRAME = re.compile(r'File "(?:[^"]*/)?((?:forum|accounts)/[^"]+)", line (\d+), in (\w+)')


def _cause(exception: str) -> str:
    """The exception's last line, after the innermost frame of the forum's own code."""
    lines = [line for line in exception.strip().splitlines() if line.strip()]
    frames = FORUM_FRAME.findall(exception)
    where = f"{frames[-1][0]}:{frames[-1][1]} {frames[-1][2]}(): " if frames else ""
    return where + (lines[-1].strip() if lines else "?")


def explain(cluster, failures: list[dict], offsets: dict[int, int]) -> None:
    """Each failed request's host (web1, …) and cause: for a 5xx from a host, the error it logged
    (the JSON lines of forum.core.logging) for that path since the window started."""
    errors: dict[tuple[int, str], list[str]] = {}
    for index in range(cluster.host_count):
        try:
            with open(cluster.logs / f"web{index + 1}.log", "rb") as log:
                log.seek(offsets.get(index, 0))
                text = log.read().decode(errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            if not line.startswith("{"):
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("level") in ("ERROR", "CRITICAL") and entry.get("exception"):
                errors.setdefault((index, entry.get("path", "")), []).append(_cause(entry["exception"]))
    ports = {f"127.0.0.1:{port}": i for i, port in enumerate(cluster.host_ports)}
    taken: dict[tuple[int, str], int] = {}
    for failure in failures:
        tried = [ports.get(addr.strip()) for addr in failure["upstream"].split(",") if addr.strip()]
        index = tried[-1] if tried else None
        failure["host"] = f"web{index + 1}" if index is not None else ""
        if failure["status"] == 0:
            failure["cause"] = failure["error"] or "no answer"
        elif failure["status"] in (502, 504):
            failure["cause"] = "nginx: the host went away mid-request; a write is not sent again"
        elif index is not None:
            key = (index, failure["path"])
            found, n = errors.get(key, []), taken.get(key, 0)
            taken[key] = n + 1
            failure["cause"] = found[n] if n < len(found) else "nothing in the host's log"
        else:
            failure["cause"] = ""


def _addr(cluster, index: int) -> str:
    return f"127.0.0.1:{cluster.host_ports[index]}"


def kill_host(cluster, site, members, opts, index: int = 1) -> dict:
    window = Window(f"kill web host {index + 1} (SIGKILL)", cluster, site, members, opts).start()
    time.sleep(1.0)
    window.mark("killed")
    cluster.kill_host(index)
    time.sleep(opts.fault_seconds)
    end = window.mark("restarting")
    cluster.restart_host(index)
    window.mark("healthz answered directly")
    addr = _addr(cluster, index)
    back = window.first(lambda r: r.upstream.split(", ")[-1] == addr and not r.failed, end, timeout=20)
    if back is not None:
        window.marks["answers through nginx"] = back
        time.sleep(1.0)
    result = window.finish()
    result["recovery_s"] = round(back - end, 2) if back is not None else None
    result["recovery_what"] = "restart to its first answer through nginx"
    result["error_page_check"] = error_page_check(cluster, index)
    return result


def error_page_check(cluster, index: int) -> dict:
    """With no host left to try (nginx balancing across one killed host), a read and a write get
    nginx's 502: is it the site's own page, in the reader's language?"""
    pages = error_pages(cluster)
    cluster.kill_host(index)
    checks = {}
    try:
        cluster.balance_across([index])
        for language in sorted(pages):
            browser = Browser(cluster.port)
            browser.cookies["language"] = language
            status, _, body = browser.request("GET", "/questions/")
            checks[f"GET {language}"] = status == 502 and body == pages[language]
        status, _, body = Browser(cluster.port).request("POST", "/questions/1/vote/", {"value": 1})
        checks["POST en"] = status == 502 and body == pages.get("en")
    finally:
        cluster.balance_across(cluster.host_count)
        cluster.restart_host(index)
    return {"ok": all(checks.values()), "checks": checks}


def restart_redis(cluster, site, members, opts) -> dict:
    window = Window("restart Redis", cluster, site, members, opts).start()
    time.sleep(1.0)
    fault = window.mark("stopping")
    cluster.restart_redis()
    end = window.mark("answering again")
    back = window.first(lambda r: r.role == "visitor" and r.cache == "hit", end, timeout=20)
    if back is not None:
        window.marks["page cache hit"] = back
    time.sleep(max(opts.fault_seconds, 1.0))
    result = window.finish()
    during_until = end + 1.0
    records = window.records  # times now relative to the window's start
    rel = window.started
    result["read_p95_ms"] = {
        "before": tally(records, until=fault - rel)["read_p95_ms"],
        "during": tally(records, since=fault - rel, until=during_until - rel)["read_p95_ms"],
        "after": tally(records, since=during_until - rel)["read_p95_ms"],
    }
    result["recovery_s"] = round(back - end, 2) if back is not None else None
    result["recovery_what"] = "Redis answering to the first page served from the page cache"
    result["restart_s"] = round(end - fault, 2)
    result["rate_limit"] = rate_limit_check(cluster, site)
    return result


INVALIDATIONS_SQL = (
    "SELECT count(*) || ' ' || count(*) FILTER (WHERE status IN ('READY', 'RUNNING')) "
    "FROM django_tasks_database_dbtaskresult WHERE task_path = 'forum.core.pagecache.invalidate_later'"
)


def stop_redis(cluster, site, members, opts) -> dict:
    """Redis away for longer than its clients' retries: pages rendered for each visitor and kept for
    nobody, votes let through their rate limit, their invalidations queued for the task worker."""
    window = Window(f"stop Redis for {opts.fault_seconds:g} s, then start it", cluster, site, members, opts).start()
    time.sleep(1.0)
    fault = window.mark("stopping")
    cluster.stop_redis()
    window.mark("stopped")
    time.sleep(opts.fault_seconds)
    end = window.mark("starting")
    cluster.start_redis()
    window.mark("answering again")
    back = window.first(lambda r: r.role == "visitor" and r.cache == "hit", end, timeout=20)
    if back is not None:
        window.marks["page cache hit"] = back
    time.sleep(1.0)
    result = window.finish()
    records, rel = window.records, window.started
    result["read_p95_ms"] = {
        "before": tally(records, until=fault - rel)["read_p95_ms"],
        "during": tally(records, since=fault - rel, until=end - rel)["read_p95_ms"],
        "after": tally(records, since=end - rel)["read_p95_ms"],
    }
    result["uncached_pages"] = sum(1 for r in records if r.role == "visitor" and r.cache == "off")
    deadline = time.monotonic() + 30  # the worker tries a queued invalidation again 2 s, then 5 s, after
    while True:
        queued, waiting = (int(n) for n in cluster.primary_sql(INVALIDATIONS_SQL).split())
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    result["invalidations"] = {"queued": queued, "still_waiting": waiting}
    result["recovery_s"] = round(back - end, 2) if back is not None else None
    result["recovery_what"] = "Redis answering to the first page served from the page cache"
    return result


def rate_limit_check(cluster, site) -> dict:
    """After the restart the counters start from nothing, and still count: key_link_email allows 5 POSTs
    an hour from one source; the 6th is refused (429), whichever host answers."""
    visitor = Browser(cluster.port)
    status, _, page = visitor.request("GET", "/questions/ask/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token:
        raise BenchError(f"the ask page did not load (HTTP {status})")
    pk = site.questions[-1][0]
    statuses, hosts = [], []
    for _ in range(6):
        form = {"csrfmiddlewaretoken": token.group(1).decode(), "key": "not-the-key", "link_email": "me@example.com"}
        status, headers, _ = visitor.request("POST", f"/questions/{pk}/email-link/", form)
        statuses.append(status)
        hosts.append(headers.get("X-Upstream", ""))
    return {
        "statuses": statuses,
        "hosts": len(set(hosts)),
        "ok": 429 not in statuses[:5] and statuses[5] == 429,
    }


SERVING_SQL = (
    "SELECT count(*) FROM pg_stat_activity WHERE usename = 'forum_app' "
    "AND (query LIKE '%\"questions\\_%' OR query LIKE '%\"answers\\_%')"
)


def stop_replica(cluster, site, members, opts) -> dict:
    window = Window("stop the replica, then start it", cluster, site, members, opts).start()
    time.sleep(1.0)
    window.mark("stopping")
    cluster.stop_replica()
    window.mark("stopped")
    time.sleep(opts.fault_seconds)
    end = window.mark("starting")
    cluster.start_replica_again()
    window.mark("accepting connections")
    back = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(RuntimeError, ValueError):
            if int(cluster.replica_sql(SERVING_SQL)) > 0:
                back = window.mark("serving the hosts' reads")
                break
        time.sleep(0.1)
    time.sleep(1.0)
    result = window.finish()
    result["recovery_s"] = round(back - end, 2) if back is not None else None
    result["recovery_what"] = "start to the first forum read on the replica (pg_stat_activity)"
    return result


def replica_lag(cluster, site, members, opts, delay: float = 2.0) -> dict:
    caught_up(cluster)
    window = Window(f"replica {delay:g} s behind", cluster, site, members, opts).start()
    time.sleep(1.0)
    window.mark("delayed")
    cluster.replica_delay(delay)
    window.load.replica_position = lambda: lsn(cluster.replica_sql("SELECT pg_last_wal_replay_lsn()"))
    time.sleep(max(opts.fault_seconds, delay + 2.0))
    window.load.replica_position = None
    end = window.mark("on time again")
    target = lsn(cluster.primary_sql("SELECT pg_current_wal_insert_lsn()"))
    cluster.replica_delay(0)
    back = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(RuntimeError, ValueError):
            if lsn(cluster.replica_sql("SELECT pg_last_wal_replay_lsn()")) >= target:
                back = window.mark("caught up")
                break
        time.sleep(0.05)
    time.sleep(0.5)
    result = window.finish()
    votes = window.load.votes
    result["lag"] = {
        "views_checked": votes.replica_checked,
        "replica_behind_the_vote": votes.replica_behind,
        "behind_bytes_max": votes.behind_bytes_max,
    }
    result["recovery_s"] = round(back - end, 2) if back is not None else None
    result["recovery_what"] = "delay off to the replica replaying all the primary had written"
    return result


FAULTS = [("kill_host", kill_host), ("restart_redis", restart_redis), ("stop_redis", stop_redis),
          ("stop_replica", stop_replica), ("replica_lag", replica_lag)]  # fmt: skip
