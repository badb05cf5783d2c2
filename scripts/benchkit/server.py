"""The benchmark's own PostgreSQL cluster and gunicorn: starting, warming, draining, measuring memory."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

from .common import GUNICORN, PROCS, PROJECT, BenchError, say
from .load import http_get

BENCH_SETTINGS = """\
# Written by scripts/bench.py for one run: production settings with a temporary STATIC_ROOT.
import os

from forum.settings import *  # noqa: F403

STATIC_ROOT = {static_root!r}
# Off only for the read load, which all comes from one address (see scripts/bench.py).
RATELIMIT_ENABLE = os.environ.get("BENCH_RATELIMIT", "1") == "1"
"""


def load_localdb():
    spec = importlib.util.spec_from_file_location("localdb", PROJECT / "scripts" / "localdb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_cluster(localdb, name: str = "bench"):
    """A persistent cluster for benchmarks only (or `name`: the relevance set's), next to (not
    inside) the development one."""
    root = PROJECT / f".localdb-{name}"
    if localdb.IS_ROOT:
        probe = PROJECT
        while probe != probe.parent:
            if not localdb.reachable_by_pg_dir(probe):
                digest = hashlib.sha256(str(PROJECT).encode()).hexdigest()[:12]
                root = Path("/var/tmp") / f"forum-localdb-{name}-{digest}"
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
    cluster.create_extensions()  # before migrate: the search index (questions/0018) needs rum
    say(f"benchmark database in {cluster.data}")
    return cluster.url


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
