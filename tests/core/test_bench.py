"""`make bench`, end to end: the smoke run against its own database on the test server."""

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[2]
SMOKE_DB = "forum_bench_smoke"


def _admin_connection():
    """A connection to the test server's maintenance database (not pytest's test database)."""
    params = dj_database_url.parse(os.environ["DATABASE_URL"])
    conn = psycopg2.connect(
        dbname="postgres",
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def smoke_database_url():
    """DATABASE_URL with the database name swapped for a fresh one, dropped afterwards."""
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    smoke_url = urllib.parse.urlunsplit(url._replace(path=f"/{SMOKE_DB}"))
    conn = _admin_connection()
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SMOKE_DB))
    try:
        with conn.cursor() as cursor:
            cursor.execute(drop)
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SMOKE_DB)))
        yield smoke_url
    finally:
        with conn.cursor() as cursor:
            cursor.execute(drop)
        conn.close()


def test_the_smoke_benchmark_measures_every_endpoint(smoke_database_url, tmp_path):
    out = tmp_path / "bench.json"
    env = dict(os.environ, DATABASE_URL=smoke_database_url)
    python = shutil.which("python3") or sys.executable  # the script needs nothing but the standard library
    # About 30 s on an idle 2-core machine; the timeout only catches a hang (shared CI boxes are slower).
    result = subprocess.run(
        [python, "scripts/bench.py", "--smoke", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]

    assert "req/s" in result.stdout and "x noop" in result.stdout and "p95 ms" in result.stdout
    assert "page cache on" in result.stdout and "page cache off" in result.stdout
    assert "database check after the writes: OK" in result.stdout
    assert "budgets:" in result.stdout

    report = json.loads(out.read_text())
    names = [e["name"] for e in report["endpoints"]]
    assert names == [
        "noop", "home", "list_active", "thread_5", "thread_200", "thread_comments", "topic",
        "search_common", "search_rare", "search_phrase", "search_natural", "search_misspelled",
    ]  # fmt: skip
    talk = next(e for e in report["endpoints"] if e["name"] == "thread_comments")
    assert talk["label"].endswith("clarifications") and " 0 clarifications" not in talk["label"], talk
    assert report["page_cache_seconds"]["cached"] > 0 and report["page_cache_seconds"]["uncached"] == 0
    assert report["ceiling"]["cached"] > 0 and report["ceiling"]["uncached"] > 0
    stats = {"requests", "rps", "p50_ms", "p95_ms", "p99_ms", "non2xx"}
    for endpoint in report["endpoints"]:
        name = endpoint["name"]
        # Searches are never cached: measured once, in the uncached pass; every other endpoint in both.
        passes = ["uncached"] if name.startswith("search") else ["cached", "uncached"]
        assert [p for p in ("cached", "uncached") if endpoint[p] is not None] == passes, endpoint
        assert endpoint["queries"] > 0 or name == "noop", endpoint  # rendered, page cache off
        assert {"queries_cached", "queries_member"} <= endpoint.keys(), endpoint
        if name.startswith("search") and not endpoint["available"]:
            assert endpoint["status"] == 404  # search not built yet: reported, not failed
            continue
        assert endpoint["available"], endpoint
        for p in passes:
            run = endpoint[p]
            assert stats <= run.keys(), (p, endpoint)
            assert run["rps"] > 0 and run["non2xx"] == 0, (p, endpoint)
            assert run["ratio"] > 0, (p, endpoint)
        if name != "noop" and "cached" in passes:
            assert endpoint["cached"]["page_cache"] == "hit", endpoint  # the cached pass really is cached
            assert endpoint["uncached"]["page_cache"] is None, endpoint
    writes = report["writes"]
    assert writes["rps"] > 0 and writes["requests"] > 0 and "p95_ms" in writes
    assert writes["verification"]["ok"], writes["verification"]
    for phase in ("after_reads", "after_uncached_reads", "after_writes", "after_reads_under_writes"):
        assert all(w["rss_kb"] for w in report["gunicorn"][phase]["worker_rss"]), report["gunicorn"]
    assert report["data"]["questions"] >= 200

    # Reads under writes: cached reads with no writes, at 1 and at 10 writes a second, and a verdict.
    under_writes = report["reads_under_writes"]
    assert [run["writes_per_second"] for run in under_writes["runs"]] == [0, 1, 10]
    assert len(under_writes["paths"]) > 5 and under_writes["writers"] == 2
    for figure in ("reads_rps_no_writes", "reads_rps_1_write_per_s", "reads_rps_10_writes_per_s"):
        assert under_writes[figure] > 0, under_writes
    assert under_writes["ratio_10_to_no_writes"] > 0
    assert under_writes["runs"][0]["writes"] is None
    for run in under_writes["runs"]:
        assert stats <= run["reads"].keys() and run["reads"]["non2xx"] == 0, run
    for run in under_writes["runs"][1:]:
        writes_run = run["writes"]
        assert writes_run["sent"] > 0 and writes_run["errors"] == 0, writes_run
        assert {"per_second_in_window", "late_p95_ms", "p95_ms", "dropped"} <= writes_run.keys(), writes_run
    assert under_writes["write_errors"] == 0
    verdict_line = f"reads under 10 writes/s ≥ 80% of no-write throughput: {under_writes['verdict']}"
    assert under_writes["verdict"] in {"PASS", "MISS"} and under_writes["verdict_line"] == verdict_line
    assert verdict_line in result.stdout and "reads under writes:" in result.stdout

    # The budgets, each with its figure and a verdict (no timing is asserted: any machine runs this).
    budgets = report["budgets"]
    assert all(b["budget"] and b["measured"] and b["verdict"] in {"PASS", "MISS", "n/a"} for b in budgets), budgets
    text = " ".join(b["budget"] for b in budgets)
    for expected in ("thread_200: p50 uncached", "thread_5: SQL queries", "thread_comments: SQL queries",
                     "thread_comments: p50 uncached", "home: SQL queries", "topic: p50 uncached",
                     "list_active: cached req/s", "search_common: p95", "writes:", "RSS", "seeding",
                     "reads under 10 writes/s"):  # fmt: skip
        assert expected in text, (expected, budgets)
    writes_verdict = next(b for b in budgets if b["budget"].startswith("writes:"))
    assert writes_verdict["verdict"] == "PASS", writes_verdict
    assert next(b for b in budgets if b["budget"].startswith("seeding"))["verdict"] == "n/a"  # 200, not 100,000
