"""The issue's budgets with PASS, MISS or n/a, and the table printed at the end of a run."""

from __future__ import annotations

from .common import NEVER_CACHED

READS_UNDER_WRITES = "reads under 10 writes/s ≥ 80% of no-write throughput"


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

    for name in ("thread_5", "thread_200", "thread_comments"):
        queries(name, 8)
    latency("thread_200", "p50", 15)
    latency("thread_comments", "p50", 20)
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
    for name in NEVER_CACHED:  # every search: a common word, a rare one, a phrase, a question, a typo
        latency(name, "p95", 50)

    writes = report["writes"]
    problems = {k: v for k, v in writes["verification"]["problems"].items() if v}
    add("writes: 0 errors, every count exact", f"{writes['errors']} errors, database check "
        + ("OK" if not problems else f"FAILED {problems}"), writes["errors"] == 0 and not problems)  # fmt: skip

    problem, ratio = reads_under_writes_problem(report["reads_under_writes"])
    if problem:
        add(READS_UNDER_WRITES, problem, False)
    else:
        rw = report["reads_under_writes"]
        measured = f"{ratio:.0%} ({rw['reads_rps_10_writes_per_s']:.0f} of {rw['reads_rps_no_writes']:.0f} req/s)"
        add(READS_UNDER_WRITES, measured, ratio >= 0.8)

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


def reads_under_writes_problem(rw: dict) -> tuple[str | None, float]:
    """Why the reads-under-writes figures cannot back a verdict (or None), and the ratio at 10 writes/s."""
    runs = {run["writes_per_second"]: run for run in rw["runs"]}
    for rate in (0, 10):
        problem = usable({"available": True, **runs[rate]["reads"]})
        if problem:
            return f"reads under {rate} writes/s: {problem}", 0.0
    if rw["write_errors"]:
        return f"{rw['write_errors']} writes failed", 0.0
    reached = runs[10]["writes"].get("per_second_in_window") or 0.0
    if reached < 0.9 * 10:
        return f"the writes reached {reached:.1f}/s, not 10", 0.0
    return None, rw["ratio_10_to_no_writes"]


def reads_under_writes_lines(rw: dict) -> list[str]:
    """The three figures: cached reads with no writes, at 1 and at 10 writes a second."""
    lines = [
        f"reads under writes: {len(rw['paths'])} visitors' pages in turn (lists and threads, page cache on), "
        f"{rw['connections']} connections; {rw['writers']} other members vote and answer over many threads "
        "at a fixed rate, rate limits on",
        f"  {'writes/s':>8} | {'req/s':>8} {'x none':>6} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7} | "
        f"{'writes':>6} {'w/s seen':>8} {'errors':>6} {'p95 ms':>7} {'late p95':>8}",
    ]
    base = rw["reads_rps_no_writes"]
    for run in rw["runs"]:
        reads, writes = run["reads"], run["writes"]
        ratio = f"{reads['rps'] / base:.2f}" if base else "-"
        left = (f"{run['writes_per_second']:>8} | {reads['rps']:>8.1f} {ratio:>6} {reads['p50_ms']:>7.1f} "
                f"{reads['p99_ms']:>7.1f} {reads['non2xx'] + reads.get('socket_errors', 0):>7d}")  # fmt: skip
        if writes is None:
            right = f"{'-':>6} {'-':>8} {'-':>6} {'-':>7} {'-':>8}"
        else:
            right = (f"{writes['sent']:>6d} {writes.get('per_second_in_window', 0.0):>8.1f} {writes['errors']:>6d} "
                     f"{writes['p95_ms']:>7.1f} {writes['late_p95_ms']:>8.1f}")  # fmt: skip
        lines.append(f"  {left} | {right}")
        if writes and writes["unexpected"]:
            lines.append(f"  {'':>8}   unexpected at {run['writes_per_second']} writes/s: {writes['unexpected']}")
    lines.append(rw["verdict_line"])
    return lines


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
        f"{mb(gunicorn['after_writes'])} after the writes, "
        f"{mb(gunicorn['after_reads_under_writes'])} after the reads under writes"
    )
    lines.append(
        f"writes: {w['requests']} requests by {w['writers']} members ({w['answers_posted']} answers posted, "
        f"{w['votes_cast']} votes kept), login {w['login_seconds']:.1f} s"
        + (f", unexpected: {w['unexpected']}" if w["unexpected"] else "")
    )
    problems = {k: v for k, v in w["verification"]["problems"].items() if v}
    lines.append("database check after the writes: " + ("OK" if not problems else f"FAILED {problems}"))
    lines.extend(reads_under_writes_lines(report["reads_under_writes"]))
    lines.append(
        "queries = SQL queries per request for a visitor with the page cache off (the page rendered), rate "
        "limiting included (cache hits and member counts: JSON); searches are never cached, so they are measured "
        "in the uncached pass only; the reads run with rate limits off (one source address), the writes with them on"
    )
    lines.append("")
    lines.append("budgets:")
    width = max(50, *(len(b["budget"]) for b in report["budgets"]))
    for b in report["budgets"]:
        lines.append(f"  {b['verdict']:<5} {b['budget']:<{width}} {b['measured']}")
    counts = {v: sum(1 for b in report["budgets"] if b["verdict"] == v) for v in ("PASS", "MISS", "n/a")}
    lines.append(f"budgets: {counts['PASS']} PASS, {counts['MISS']} MISS, {counts['n/a']} n/a; "
                 f"whole run {report['total_seconds']:.0f} s")  # fmt: skip
    print("\n".join(lines), flush=True)
