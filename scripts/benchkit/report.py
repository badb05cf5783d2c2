"""The issue's budgets with PASS, MISS or n/a, and the table printed at the end of a run."""

from __future__ import annotations


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
