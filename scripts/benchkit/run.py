"""`make bench` from start to end: arguments, the database, the passes, the report (see scripts/bench.py)."""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from .common import (
    GUNICORN,
    GUNICORN_STARTS,
    LOAD_RUNS,
    PROCS,
    PROJECT,
    RESTART_ALLOWANCE,
    RESULTS,
    SETUP_ALLOWANCE,
    TIME_LIMIT,
    VENV_PYTHON,
    BenchError,
    Clock,
    say,
)
from .helpers import helper_main, run_helper
from .load import WRK_ROTATE, WRK_SCRIPT, find_wrk
from .passes import endpoint_row, read_passes, reads_under_writes_pass, write_mix_pass
from .report import READS_UNDER_WRITES, budget_verdicts, print_table
from .server import BENCH_SETTINGS, database_url
from .writes import expectations


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.py", description="The forum's speed benchmark.")
    parser.add_argument("--questions", type=int, help="data set size (default 100000; 200 with --smoke)")
    parser.add_argument("--duration", type=int, help="seconds of load per endpoint and pass (default 5; 2 smoke)")
    parser.add_argument(
        "--connections",
        type=int,
        default=8,
        help="concurrent connections, cached pass and reads under writes (default 8)",
    )
    parser.add_argument(
        "--uncached-connections",
        type=int,
        help="concurrent connections in the uncached pass (default 1: the latency is a page's own cost, "
        "not time queued behind other requests or spent waiting for a core the load tool and "
        "PostgreSQL share with the workers)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2, one per core)")
    parser.add_argument(
        "--writers",
        type=int,
        help="members in the write mix, and as many others writing in the reads-under-writes pass "
        "(default: --connections; 2 smoke)",
    )
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
        f"(6 cached, 9 uncached, the write mix, 3 reads under writes) of {args.duration} s after a "
        f"{args.warmup} s warm-up, "
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
            ASKER_EMAIL_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            FORUM_BENCH="1",
            FORUM_PAGE_CACHE_SECONDS=str(cache_seconds),
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            BENCH_WRITER_PASSWORD=writer_password,
        )
        env.pop("CSRF_TRUSTED_ORIGINS", None)

        say(f"migrate, seed up to {args.questions:,} questions, collectstatic")
        clock.check("seeding", need=planned + GUNICORN_STARTS * RESTART_ALLOWANCE + 30)
        setup = run_helper("setup", env, clock, {"questions": args.questions, "seed": args.seed})
        clock.check("the load", need=planned + GUNICORN_STARTS * RESTART_ALLOWANCE + 20)
        say("choosing endpoints and writers, counting SQL queries per page")
        writers = {"writers": args.writers, "paced_writers": args.writers}
        prepared = run_helper("prepare", env, clock, writers, echo=False)
        (tmp / "bench-rotate.lua").write_text(WRK_SCRIPT + WRK_ROTATE)

        env_server = {k: v for k, v in env.items() if k != "BENCH_WRITER_PASSWORD"}
        measured, rss, ceiling = read_passes(env_server, cache_seconds, prepared, args, wrk, tmp, clock)
        results = [endpoint_row(e, prepared["queries"], measured, ceiling) for e in prepared["endpoints"]]
        mix, writes, rss_writes = write_mix_pass(env_server, prepared, writer_password, args, tmp, clock)
        paced, under_writes, rss_under_writes = reads_under_writes_pass(
            env_server, prepared, writer_password, args, wrk, tmp, clock
        )
        say("checking the database after the writes")
        verification = run_helper("verify", env, clock, expectations(mix, paced), echo=False)
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
                "after_reads_under_writes": rss_under_writes,
            },
            "endpoints": results,
            "writes": writes,
            "reads_under_writes": under_writes,
        }
        report["budgets"] = budget_verdicts(report)
        verdict = next(b["verdict"] for b in report["budgets"] if b["budget"] == READS_UNDER_WRITES)
        under_writes.update(verdict=verdict, verdict_line=f"{READS_UNDER_WRITES}: {verdict}")
        report["total_seconds"] = round(time.monotonic() - clock.start, 1)
        print_table(report)
        out = args.json or RESULTS / f"bench-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n")
        say(f"results written to {out}")
        if not verification["ok"]:
            bad = {k: v for k, v in verification["problems"].items() if v}
            say(f"the database is inconsistent after the writes: {bad}")
            return 1
        return 0
    finally:
        PROCS.stop()
        shutil.rmtree(tmp, ignore_errors=True)


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
