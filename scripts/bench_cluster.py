#!/usr/bin/env python3
"""The forum on several hosts, under load and under faults: `make bench-cluster`
(options through BENCH_CLUSTER_ARGS="--duration 3").

    python3 scripts/bench_cluster.py [--duration S] [--fault-seconds S] [--smoke] [--json PATH]

Starts a throwaway LoopbackCluster (scripts/cluster.py: a PostgreSQL primary and a streaming
replica, Redis, 3 gunicorn web hosts of 2 workers, the task worker and nginx, on loopback, in a
temporary directory under /tmp, with the demo data), makes bench members on the primary
(bench-NNN@cluster.invalid, the demo password), and measures, always through nginx:

1. Scaling: nginx balancing across 1, then 2, then 3 web hosts (its conf rewritten and reloaded,
   LoopbackCluster.balance_across), each for --duration seconds: visitors' pages (home, the
   list, the threads, topics: the page cache serves most from Redis), members' pages (threads,
   the list, a search: never cached, read from the replica) and the write mix of `make bench`
   (benchkit.writes: members signed in through the real form vote and answer). Requests/s,
   p50/p95 and failures per run, and the CPU time of each process group (nginx, each host,
   the primary's and the replica's processes, Redis, the task worker, this load generator;
   /proc/<pid>/stat) to name the bottleneck on this machine.
2. Faults, each in a window of its own under a steady mixed load (visitors, members reading,
   members voting then reloading), with requests, failed reads (429s apart), failed writes,
   half-done writes (stored scores and answer counts against the rows they count, on the primary;
   and every vote a member saw succeed) and the time to recover:
   - a web host killed (SIGKILL) and restarted: nginx retries reads on the others; a write caught
     in flight gets nginx's 502, which must be the site's own page (checked again with no host
     left, per language); recovery: until the host answers through nginx again;
   - Redis restarted: read p95 before/during/after; the rate limits count again afterwards
     (key_link_email: 5 an hour per source, the 6th is 429); recovery: until pages come from
     the page cache again;
   - Redis stopped for --fault-seconds, longer than its clients retry, then started: pages
     rendered uncached meanwhile, the page invalidations queued for the task worker and whether
     they all landed;
   - the replica stopped, then started: reads move to the primary and back; recovery: until the
     hosts read from the replica again (pg_stat_activity on the replica);
   - the replica made to lag 2 s (recovery_min_apply_delay): members who vote must see their
     vote on every page after it, while the replica is shown to be behind the vote's WAL position.
3. Markdown tables on stdout, MISS lines for the goals missed, and JSON in
   bench-results/cluster-<UTC timestamp>.json (or --json PATH).

Bounded: under 10 minutes (about 2 by default; a watchdog ends a run that hangs). `--smoke`:
1 s runs and short faults, few connections (tests/cluster/test_bench_cluster.py). The cluster
is stopped at the end, on Ctrl-C and on error. Exit status 1 only when the harness itself broke
(a missed goal is a MISS line). The environment's DATABASE_URL and the like are ignored: the
cluster makes its own databases.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

import cluster as loopback
from benchkit import cluster_runs as runs
from benchkit.cluster_cpu import CORES
from benchkit.cluster_load import stop_all
from benchkit.cluster_report import misses, render
from benchkit.common import RESULTS, TIME_LIMIT, BenchError, Clock, say

HOSTS = 3
WORKERS = 2


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per scaling run (default 5)")
    parser.add_argument("--fault-seconds", type=float, default=3.0, help="how long each fault lasts (default 3)")
    parser.add_argument("--visitors", type=int, default=8, help="visitor connections, scaling (default 8)")
    parser.add_argument("--members", type=int, default=4, help="members reading, scaling (default 4)")
    parser.add_argument("--writers", type=int, default=4, help="members writing, scaling (default 4)")
    parser.add_argument("--seed", type=int, default=None, help="the write mix's random seed")
    parser.add_argument("--smoke", action="store_true", help="a quick run: 1 s runs, short faults, few connections")
    parser.add_argument("--json", type=Path, default=None, help="where to save the results (default bench-results/)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.duration, args.fault_seconds = min(args.duration, 1.0), min(args.fault_seconds, 1.0)
        args.visitors, args.members, args.writers = 2, 1, 1
    if args.duration <= 0 or args.fault_seconds <= 0 or min(args.visitors, args.members, args.writers) < 1:
        parser.error("durations and connection counts must be positive")
    if args.writers > 8:  # the write mix signs in from 127.0.0.1: allauth allows 30 sign-ins a minute per address
        parser.error("--writers: at most 8 (3 runs of them sign in within a minute, from one address)")
    return args


def options(args: argparse.Namespace) -> runs.Options:
    return runs.Options(
        duration=args.duration,
        fault_seconds=args.fault_seconds,
        visitors=args.visitors,
        members=args.members,
        writers=args.writers,
        fault_visitors=2 if args.smoke else 3,
        fault_members=1 if args.smoke else 2,
        fault_voters=1 if args.smoke else 2,
        seed=args.seed,
    )


def members_needed(opts: runs.Options) -> int:
    return HOSTS * (opts.members + opts.writers) + len(runs.FAULTS) * (opts.fault_members + opts.fault_voters) + 2


def estimate(opts: runs.Options) -> float:
    """Seconds the run should take: starting, signing in, 3×3 load runs, 4 fault windows, stopping."""
    scaling = HOSTS * (3 * (opts.duration + 1.5) + 2)
    faults = len(runs.FAULTS) * (opts.fault_seconds + 9) + 15
    return 40 + 0.25 * members_needed(opts) + scaling + faults + 10


def keep_logs(cluster, target: Path) -> None:
    """The hosts', Redis's, nginx's and both PostgreSQL servers' logs, kept beside the results
    (the throwaway cluster's directory goes when it stops)."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        for log in [*cluster.logs.glob("*.log"), cluster.root / "nginx" / "error.log"]:
            if log.exists():
                shutil.copy(log, target / ("nginx-error.log" if log.parent.name == "nginx" else log.name))
        for name, db in (("primary", cluster.primary), ("replica", cluster.replica)):
            if (db.root / "server.log").exists():
                shutil.copy(db.root / "server.log", target / f"postgres-{name}.log")
    except OSError as error:
        say(f"could not keep the cluster's logs: {error}")


def main(argv: list[str]) -> int:
    args = parse(argv)
    opts = options(args)
    planned = estimate(opts)
    if planned > TIME_LIMIT - 60:
        say(f"this would take about {planned:.0f} s, over the 10-minute limit: try a shorter --duration")
        return 2
    clock = Clock(TIME_LIMIT)
    started = time.monotonic()

    def interrupted(_signum, _frame):
        raise KeyboardInterrupt

    def out_of_time(_signum, _frame):
        raise BenchError("the 10-minute limit ran out")

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)  # even when started with SIGINT ignored (a background job)
    # Whatever hangs, the run ends within the limit and stops its cluster (the main thread gets the signal).
    signal.signal(signal.SIGUSR1, out_of_time)
    watchdog = threading.Timer(TIME_LIMIT - 20, lambda: os.kill(os.getpid(), signal.SIGUSR1))
    watchdog.daemon = True
    watchdog.start()
    root = Path(tempfile.mkdtemp(prefix="forum-bench-cluster-", dir="/tmp"))
    cluster = loopback.LoopbackCluster(root, hosts=HOSTS, workers=WORKERS, throwaway=True, quiet=True)
    result: dict = {
        "started_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "hosts": HOSTS,
        "workers": WORKERS,
        "machine": {"cores": CORES},
        "options": vars(opts),
        "smoke": args.smoke,
        "estimate_seconds": round(planned),
    }
    path = args.json or RESULTS / f"cluster-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    logs = path.with_name(path.stem + "-logs")
    say(f"a throwaway cluster in {root} (about {planned:.0f} s in all)")
    try:
        cluster.start()
        result["cluster_start_seconds"] = round(time.monotonic() - started, 1)
        site = runs.Site(cluster)
        members = runs.Members(cluster, members_needed(opts))
        runs.warm(cluster, site)
        say(f"scaling: {len(site.visitor_paths)} visitors' pages, {len(site.member_paths)} members' pages")
        result["scaling"] = runs.scaling(cluster, site, members, opts, clock)
        cluster.balance_across(HOSTS)
        runs.caught_up(cluster)
        result["scaling_invariants"] = runs.invariants(cluster)
        result["faults"] = []
        for key, fault in runs.FAULTS:
            runs.in_time(clock, f"the fault '{key}'", need=opts.fault_seconds + 25)
            say(f"fault: {key}")
            outcome = fault(cluster, site, members, opts)
            say(
                f"  {outcome['requests']} requests, {outcome['failed_reads']} failed reads, "
                f"{outcome['failed_writes']} failed writes, recovery {outcome.get('recovery_s')} s"
            )
            result["faults"].append(outcome)
    except KeyboardInterrupt:
        say("interrupted: stopping the cluster")
        return 130
    except Exception as error:  # any error here means the harness broke
        if not isinstance(error, BenchError):
            traceback.print_exc()
        say(f"the benchmark itself broke: {error} (the cluster's logs: {logs}/)")
        return 1
    finally:
        watchdog.cancel()
        stop_all()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave parts running
        keep_logs(cluster, logs)
        say("stopping the cluster")
        cluster.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    result["total_seconds"] = round(time.monotonic() - started, 1)
    result["misses"] = misses(result)
    print(render(result))
    print()
    for line in result["misses"]:
        print(line)
    if not result["misses"]:
        print("All goals met.")
    result["logs"] = str(logs)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nTotal run time {result['total_seconds']:.0f} s. Results in {path}, the logs in {logs}/.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
