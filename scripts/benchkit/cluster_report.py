"""The tables `make bench-cluster` prints (markdown), the bottleneck in words, and the goals it missed."""

from __future__ import annotations

from .cluster_cpu import LOAD_GENERATOR

CPU_COLUMNS = ["nginx", "web", "primary", "replica", "redis", "task worker", LOAD_GENERATOR, "other"]


def _num(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def scaling_table(rows: list[dict]) -> str:
    lines = [
        "| hosts | load | req/s | p50 ms | p95 ms | requests | failed | 429 |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['hosts']} | {r['load']} | {_num(r['rps'])} | {_num(r['p50_ms'])} | {_num(r['p95_ms'])} "
            f"| {r['requests']} | {r['failed']} | {r['rate_limited']} |"
        )
    return "\n".join(lines)


def cpu_table(rows: list[dict], cores: int) -> str:
    head = " | ".join(["hosts", "load", "busy", *CPU_COLUMNS, "idle"])
    lines = [
        f"CPU time per process group, in % of the machine ({cores} cores × the run's wall time):",
        "",
        f"| {head} |",
        "|---:|---|" + "---:|" * (len(CPU_COLUMNS) + 2),
    ]
    for r in rows:
        share = r["cpu_share"]
        cells = [str(r["hosts"]), r["load"], _num(share["busy"]), *(_num(share[c]) for c in CPU_COLUMNS)]
        lines.append("| " + " | ".join([*cells, _num(share["idle"])]) + " |")
    return "\n".join(lines)


def bottleneck(rows: list[dict], cores: int) -> list[str]:
    """Where the CPU went over all the scaling runs, and what limited them, in words."""
    capacity = sum(r["cpu"]["capacity_cpu_seconds"] for r in rows) or 1.0
    busy = sum(r["cpu"]["busy_cpu_seconds"] for r in rows)
    groups: dict[str, float] = {}
    for r in rows:
        for column in CPU_COLUMNS:
            groups[column] = groups.get(column, 0.0) + r["cpu_share"][column] * r["cpu"]["capacity_cpu_seconds"] / 100
    ranked = sorted(groups.items(), key=lambda kv: -kv[1])
    spent = ", ".join(f"{name} {100 * seconds / capacity:.0f}%" for name, seconds in ranked if seconds > 0)
    busy_share = 100 * busy / capacity
    lines = [f"Where the CPU went (all scaling runs): {spent}; busy {busy_share:.0f}% of {cores} cores."]
    by_load: dict[str, dict[int, float]] = {}
    for r in rows:
        by_load.setdefault(r["load"], {})[r["hosts"]] = r["rps"]
    growth = "; ".join(
        f"{load} {_num(v.get(min(v)))} → {_num(v.get(max(v)))} req/s ({min(v)} → {max(v)} hosts)"
        for load, v in by_load.items()
    )
    top, top_seconds = ranked[0]
    saturated = [r for r in rows if r["cpu_share"]["busy"] >= 85]
    if len(saturated) >= len(rows) / 2:
        lines.append(
            f"Bottleneck: the CPU. The {cores} cores were {busy_share:.0f}% busy during the runs "
            f"({len(saturated)} of {len(rows)} runs at 85% or more), the largest share to {top} "
            f"({100 * top_seconds / capacity:.0f}%). Another web host on this machine adds workers, not cores: "
            f"{growth}."
        )
    else:
        lines.append(
            f"Bottleneck: not the CPU alone ({busy_share:.0f}% busy; {len(saturated)} of {len(rows)} runs at 85% "
            f"or more): the requests wait elsewhere (workers per host, locks, the load generator's own threads). "
            f"{growth}."
        )
    return lines


def fault_table(faults: list[dict]) -> str:
    lines = [
        "| fault | requests | failed reads | 429 | failed writes | half-done writes | recovery s | notes |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for f in faults:
        lines.append(
            f"| {f['fault']} | {f['requests']} | {f['failed_reads']} | {f['rate_limited']} | {f['failed_writes']} "
            f"| {f['half_done_writes']} | {_num(f.get('recovery_s'), 2)} | {fault_notes(f)} |"
        )
    return "\n".join(lines)


def fault_notes(f: dict) -> str:
    notes = []
    pages = f.get("error_pages_502", {})
    if pages.get("site") or pages.get("other"):
        notes.append(f"502 pages: {pages['site']} the site's own, {pages['other']} other")
    own = f.get("own_vote", {})
    if own.get("failed_then_applied") or own.get("failed_not_applied"):
        notes.append(
            f"failed votes found applied whole {own['failed_then_applied']}, not at all {own['failed_not_applied']}"
        )
    check = f.get("error_page_check")
    if check:
        notes.append("no host left: the site's 502 page, per language" if check["ok"] else "502 page check FAILED")
    p95 = f.get("read_p95_ms")
    if isinstance(p95, dict):
        phases = "/".join(_num(p95[phase]) for phase in ("before", "during", "after"))
        notes.append(f"read p95 ms before/during/after {phases}")
    limit = f.get("rate_limit")
    if limit:
        shown = ",".join(str(s) for s in limit["statuses"])
        notes.append(f"key_link_email after restart: {shown} ({'still counts' if limit['ok'] else 'NOT counting'})")
    if "uncached_pages" in f:
        queued = f["invalidations"]
        notes.append(
            f"visitors' pages rendered uncached {f['uncached_pages']}; invalidations queued {queued['queued']}, "
            f"still waiting {queued['still_waiting']}"
        )
    lag = f.get("lag")
    if lag:
        notes.append(
            f"own vote missing on {own.get('missing_own_vote', 0)} of {own.get('views_after_vote', 0)} pages after a "
            f"vote; replica behind the vote on {lag['replica_behind_the_vote']} of {lag['views_checked']} "
            f"(up to {lag['behind_bytes_max']} bytes of WAL)"
        )
    elif own.get("missing_own_vote"):
        notes.append(f"own vote missing on {own['missing_own_vote']} of {own['views_after_vote']} pages")
    if f.get("lost_writes"):
        notes.append(f"{f['lost_writes']} confirmed votes lost")
    return "; ".join(notes)


def failures_table(faults: list[dict], limit: int = 12) -> str:
    rows = [(f["fault"], failure) for f in faults for failure in f.get("failures", [])]
    if not rows:
        return "No request failed during the faults."
    lines = [
        f"Failed requests during the faults ({len(rows)}{', the first ' + str(limit) if len(rows) > limit else ''}; "
        "time from the window's start; causes from the hosts' logs):",
        "",
        "| fault | at s | request | status | host | cause |",
        "|---|---:|---|---:|---|---|",
    ]
    for fault, failure in rows[:limit]:
        cause = failure.get("cause", "").replace("|", "\\|")
        lines.append(
            f"| {fault} | {failure['at']:.2f} | {failure['role']} {failure['method']} {failure['path']} "
            f"| {failure['status']} | {failure.get('host', '')} | {cause} |"
        )
    return "\n".join(lines)


def misses(result: dict) -> list[str]:
    """The goals this run missed (a MISS line each); the harness still succeeded."""
    out = []
    for r in result.get("scaling", []):
        if r["failed"]:
            out.append(f"MISS scaling: {r['failed']} failed requests, {r['hosts']} host(s), {r['load']}")
    if result.get("scaling_invariants") and any(result["scaling_invariants"].values()):
        out.append(f"MISS scaling: the write mix left counts wrong: {result['scaling_invariants']}")
    for f in result.get("faults", []):
        name = f["fault"]
        if f["failed_reads"]:
            out.append(f"MISS {name}: {f['failed_reads']} failed reads (goal 0)")
        if f["half_done_writes"]:
            out.append(f"MISS {name}: {f['half_done_writes']} rows with counts that disagree (half-done writes)")
        if f["lost_writes"]:
            out.append(f"MISS {name}: {f['lost_writes']} votes the member saw succeed are not on the primary")
        if f.get("recovery_s") is None:
            out.append(f"MISS {name}: no recovery seen ({f.get('recovery_what')})")
        if f["error_pages_502"]["other"]:
            out.append(f"MISS {name}: {f['error_pages_502']['other']} 502 answers were not the site's own page")
        if f.get("error_page_check") and not f["error_page_check"]["ok"]:
            out.append(f"MISS {name}: nginx's 502 page is not the site's own: {f['error_page_check']['checks']}")
        if f.get("rate_limit") and not f["rate_limit"]["ok"]:
            out.append(f"MISS {name}: the key_link_email limit did not count after the restart: {f['rate_limit']}")
        if f["own_vote"]["missing_own_vote"]:
            out.append(f"MISS {name}: {f['own_vote']['missing_own_vote']} pages after a vote did not show it")
        if f.get("lag") is not None and not f["lag"]["replica_behind_the_vote"]:
            out.append(f"MISS {name}: the replica was never seen behind a vote (was the lag real?)")
        if f.get("invalidations", {}).get("still_waiting"):
            out.append(f"MISS {name}: {f['invalidations']['still_waiting']} page invalidations never landed")
        if name.startswith(("stop the replica", "restart Redis", "stop Redis")) and f["failed_writes"]:
            out.append(f"MISS {name}: {f['failed_writes']} failed writes (goal: 0 failed requests)")
    return out


def render(result: dict) -> str:
    cores = result["machine"]["cores"]
    parts = [
        f"## make bench-cluster: {result['hosts']} web hosts × {result['workers']} workers, nginx, "
        f"PostgreSQL primary + replica, Redis, on {cores} cores",
        "",
        f"### Scaling: through nginx, balancing across 1 to {result['hosts']} web hosts "
        f"({result['options']['duration']:g} s a run)",
        "",
        scaling_table(result["scaling"]),
        "",
        cpu_table(result["scaling"], cores),
        "",
        *bottleneck(result["scaling"], cores),
        "",
        "### Faults, each under a steady mixed load "
        f"({result['options']['fault_visitors']} visitors, {result['options']['fault_members']} members reading, "
        f"{result['options']['fault_voters']} voting then reloading)",
        "",
        fault_table(result["faults"]),
        "",
        "Recovery: " + "; ".join(f"{f['fault']}: {f.get('recovery_what')}" for f in result["faults"]) + ".",
        "",
        failures_table(result["faults"]),
    ]
    return "\n".join(parts)
