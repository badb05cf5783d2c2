#!/usr/bin/env python3
"""The speed benchmark: `make bench` (options through BENCH_ARGS="--questions 10000 --duration 3").

    python3 scripts/bench.py [--questions N] [--duration S] [--connections C] [--workers W] [--smoke]

1. A database: DATABASE_URL if set, else a persistent cluster of its own in `.localdb-bench/`
   (started here and stopped at the end). Migrated, cache table created, seeded with
   `manage.py seed_bulk` up to N questions (an existing data set of N or more is reused).
2. gunicorn with production settings (DEBUG off, a random SECRET_KEY, collectstatic into a
   temporary STATIC_ROOT), FORUM_BENCH=1 for the no-op ceiling route.
3. Reads under wrk at a fixed concurrency, each endpoint after a warm-up, in two passes:
   - cached (--connections, 8): the no-op ceiling and the visitors' pages (home, list, two
     threads, topic) as served, from the whole-page cache (forum/core/pagecache.py): throughput;
   - uncached (--uncached-connections, 1): gunicorn restarted with FORUM_PAGE_CACHE_SECONDS=0
     (otherwise the same), the ceiling again (each pass has its own, so drift on a shared
     machine shows), the same pages, and the searches, which are never cached and so are
     measured in this pass only: latency, one request at a time, so p50 is a page's own cost
     rather than time queued or spent waiting for a core that wrk and PostgreSQL also use.
   Then a write mix (members who logged in through the real login form vote and answer) from
   Python threads. Then reads under writes: the cached pass's pages and twenty threads the
   writes land on, in turn under wrk (--connections), with no writes, then while other members
   vote and answer over many threads at 1 and at 10 writes a second (an open-loop schedule,
   bounded, stopped when the reads are measured; write errors counted): three throughputs and
   the ratio at 10 writes/s to none, which must be 80% or more. Then the database is checked:
   scores equal the sum of votes, answer counts match, every vote the load generators saw
   succeed is there.
4. SQL queries per request (Django's test client in a subprocess: a visitor with the page
   cache off and on, a member), gunicorn worker RSS.
5. A table on stdout, the issue's budgets with PASS/MISS, and JSON in
   bench-results/bench-<timestamp>.json.

Bounded to 10 minutes: 19 load runs (6 cached, 9 uncached, the write mix, 3 reads under
writes) of --duration (default 5 s) after --warmup (default 2 s). gunicorn and the cluster
are stopped on exit, Ctrl-C included. `--smoke` is a quick run anywhere (200 questions, 2 s
per endpoint, no wrk needed: it falls back to a small Python load generator).

The parts live in scripts/benchkit/: `common` (paths, limits, the clock, stopping processes),
`server` (the cluster and gunicorn), `load` (wrk and the Python fallback), `writes` (members who
log in and write), `paced` (the same at a fixed rate), `passes` (the load runs), `report`
(budgets, verdicts, the table), `run` (this run from start to end). The orchestrator needs
only the standard library; the steps that need Django (`steps`) run as
`.venv/bin/python scripts/bench.py _helper NAME` subprocesses.
"""

import sys

from benchkit.run import entry

if __name__ == "__main__":
    sys.exit(entry(sys.argv[1:]))
