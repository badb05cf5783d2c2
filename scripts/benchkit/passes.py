"""The load runs: the two read passes (page cache on, then off) and the write mix, each on its own gunicorn."""

from __future__ import annotations

from pathlib import Path

from .common import LOAD_RUNS, NEVER_CACHED, PROCS, RESTART_ALLOWANCE, Clock, say, stop_process
from .load import http_get, python_load, wrk_load
from .server import drain, report_5xx, start_gunicorn, worker_rss
from .writes import WriteMix


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
    return measured, rss, ceiling


def write_mix_pass(env_server: dict, prepared: dict, password: str, args, tmp: Path,
                   clock: Clock) -> tuple[WriteMix, dict, dict]:  # fmt: skip
    """Members vote and answer for --duration on gunicorn with rate limits on. Returns the mix (for
    the database check), its numbers and gunicorn's RSS after it."""
    clock.check("the write mix", need=args.duration + 30)
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
