"""The load runs, each pass on its own gunicorn: reads with the page cache on, then off; the write
mix; reads of cached pages while members write at a fixed rate."""

from __future__ import annotations

import time
from pathlib import Path

from .common import GUNICORN_STARTS, LOAD_RUNS, NEVER_CACHED, PROCS, RESTART_ALLOWANCE, Clock, say, stop_process
from .load import http_get, python_load, wrk_load
from .paced import PacedWrites
from .server import drain, report_5xx, start_gunicorn, worker_rss
from .writes import WriteMix

# Writes per second in the reads-under-writes pass, in order; 0 is the baseline.
WRITE_RATES = (0, 1, 10)
WRITE_BOUND = 10  # seconds a paced writer may run past --warmup + --duration if nobody stops it


def read_passes(env_server: dict, cache_seconds: int, prepared: dict, args, wrk: str | None, tmp: Path,
                clock: Clock) -> tuple[dict, dict, dict]:  # fmt: skip
    """Reads under wrk, in two passes with gunicorn restarted in between: visitors' pages from the
    page cache, then rendered (FORUM_PAGE_CACHE_SECONDS=0), each pass with its own no-op ceiling.

    Every request comes from 127.0.0.1, so per-address rate limits (search: 60/min) would turn
    the measurement into one of 429 pages; they are off for the read load only. Their cost per
    request is still in the query counts, and they are on for the write mix.
    Returns the measurements per pass and endpoint, gunicorn's RSS per pass, and the ceilings.
    """
    per_run = args.duration + args.warmup
    endpoints = prepared["endpoints"]
    passes = (
        ("cached", str(cache_seconds), [e for e in endpoints if e["name"] not in NEVER_CACHED]),
        ("uncached", "0", endpoints),
    )
    measured: dict[str, dict[str, dict]] = {}
    rss: dict[str, dict] = {}
    runs_left = LOAD_RUNS
    for key, seconds, chosen in passes:
        restarts_left = GUNICORN_STARTS - len(measured)
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
    return measured, rss, ceiling


def write_mix_pass(env_server: dict, prepared: dict, password: str, args, tmp: Path,
                   clock: Clock) -> tuple[WriteMix, dict, dict]:  # fmt: skip
    """Members vote and answer for --duration on gunicorn with rate limits on. Returns the mix (for
    the database check), its numbers and gunicorn's RSS after it."""
    per_run = args.duration + args.warmup
    clock.check("the write mix", need=args.duration + 30 + len(WRITE_RATES) * per_run + RESTART_ALLOWANCE)
    gunicorn, port = start_gunicorn({**env_server, "BENCH_RATELIMIT": "1"}, args.workers, tmp / "writes.log")
    say(f"gunicorn again (pid {gunicorn.pid}, rate limits on); write mix: {args.writers} members log in, "
        f"then vote and answer for {args.duration} s")  # fmt: skip
    mix = WriteMix(port, prepared["writers"], prepared["targets"], password, args.seed)
    writes = mix.run(args.duration)
    rss_writes = worker_rss(gunicorn.pid)
    stop_process(gunicorn)
    PROCS.gunicorn = None
    report_5xx([writes], tmp / "writes.log")
    return mix, writes, rss_writes


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


def reads_under_writes_pass(env_server: dict, prepared: dict, password: str, args, wrk: str | None, tmp: Path,
                            clock: Clock) -> tuple[PacedWrites, dict, dict]:  # fmt: skip
    """Visitors' cached pages (lists and threads, in turn) under wrk at --connections, as in the
    cached pass, while members other than the write mix's write at 0, 1, then 10 a second, with
    rate limits on (no page read here has one). Returns the writers (for the database check), the figures and
    gunicorn's RSS after the pass."""
    per_run = args.duration + args.warmup
    clock.check("the reads under writes", need=len(WRITE_RATES) * per_run + RESTART_ALLOWANCE)
    log = tmp / "reads-under-writes.log"
    gunicorn, port = start_gunicorn({**env_server, "BENCH_RATELIMIT": "1"}, args.workers, log)
    paths = prepared["read_paths"]
    writes = PacedWrites(port, prepared["paced_writers"], prepared["targets"], password, args.seed)
    say(f"reads under writes: gunicorn (pid {gunicorn.pid}, page cache on, rate limits on); {len(paths)} pages "
        f"in turn, {args.connections} connections; {len(writes.writers)} members write at "
        f"{', '.join(map(str, WRITE_RATES))} per second")  # fmt: skip
    login_seconds = writes.login_all()
    runs = []
    for rate in WRITE_RATES:
        clock.check(f"reads under {rate} writes/s", need=per_run + 15)
        runs.append(reads_at(rate, writes, paths, port, wrk, tmp / "bench-rotate.lua", args))
    rss = worker_rss(gunicorn.pid)
    stop_process(gunicorn)
    PROCS.gunicorn = None
    report_5xx([run["reads"] for run in runs] + [run["writes"] for run in runs if run["writes"]], log)
    rps = {run["writes_per_second"]: run["reads"]["rps"] for run in runs}
    figures = {
        "paths": paths,
        "connections": args.connections,
        "writers": len(writes.writers),
        "login_seconds": round(login_seconds, 2),
        "runs": runs,
        "reads_rps_no_writes": rps[0],
        "reads_rps_1_write_per_s": rps[1],
        "reads_rps_10_writes_per_s": rps[10],
        "ratio_10_to_no_writes": round(rps[10] / rps[0], 3) if rps[0] else None,
        "write_errors": sum(run["writes"]["errors"] for run in runs if run["writes"]),
    }
    return writes, figures, rss


def reads_at(rate: int, writes: PacedWrites, paths: list[str], port: int, wrk: str | None, script: Path,
             args) -> dict:  # fmt: skip
    """One run: the writer starts, the reads warm up and are measured, the writer stops."""
    say(f"reads under {rate} writes/s: {len(paths)} pages in turn")
    if rate:
        writes.start(rate, bound=args.warmup + args.duration + WRITE_BOUND)
    window = None
    try:
        if args.warmup and wrk:
            wrk_load(wrk, script, port, paths[0], args.connections, args.warmup, tuple(paths))
        else:
            for path in paths * 2:
                http_get(port, path)
        drain(port, args.workers)
        hits = sum(1 for path in paths if http_get(port, path)[1].getheader("X-Page-Cache") == "hit")
        started = time.monotonic()
        if wrk:
            reads = wrk_load(wrk, script, port, paths[0], args.connections, args.duration, tuple(paths))
        else:
            reads = python_load(port, paths, args.connections, args.duration)
        window = (started, time.monotonic())
    finally:
        written = writes.stop(window) if rate else None
    return {"writes_per_second": rate, "page_cache_hits_before": hits, "reads": reads, "writes": written}
