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

    assert "req/s" in result.stdout and "x noop" in result.stdout and "p99 ms" in result.stdout
    assert "database check after the writes: OK" in result.stdout

    report = json.loads(out.read_text())
    names = [e["name"] for e in report["endpoints"]]
    assert names == [
        "noop", "home", "list_active", "thread_5", "thread_200", "topic",
        "search_common", "search_rare", "search_phrase",
    ]  # fmt: skip
    for endpoint in report["endpoints"]:
        if endpoint["name"].startswith("search") and not endpoint["available"]:
            assert endpoint["status"] == 404  # search not built yet: reported, not failed
            continue
        assert endpoint["available"], endpoint
        assert endpoint["rps"] > 0, endpoint
        assert endpoint["non2xx"] == 0, endpoint
        assert endpoint["queries"] > 0 or endpoint["name"] == "noop", endpoint
    writes = report["writes"]
    assert writes["rps"] > 0 and writes["requests"] > 0
    assert writes["verification"]["ok"], writes["verification"]
    for phase in ("after_reads", "after_writes"):
        assert all(w["rss_kb"] for w in report["gunicorn"][phase]["worker_rss"]), report["gunicorn"]
    assert report["data"]["questions"] >= 200
