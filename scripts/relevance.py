#!/usr/bin/env python3
"""Search relevance on a database of its own: `make relevance` (options through RELEVANCE_ARGS).

    python3 scripts/relevance.py [--newer N] [--reuse] [--seed S]

A persistent cluster in `.localdb-relevance/` (like the benchmark's `.localdb-bench/`), started
here and stopped at the end. Without --reuse the database is made afresh (the relevance set's
threads must be the oldest), migrated, and `manage.py relevance` builds the set (the corpus, then
N newer bulk questions; 100,000 by default) and prints the table and the figure. With --reuse a
set built before is measured again at once: what to run after changing the ranking.
If DATABASE_URL is set it is used as it is (and must hold no questions, or the set with --reuse).
"""

from __future__ import annotations

import os
import subprocess
import sys

from benchkit.common import PROJECT, VENV_PYTHON
from benchkit.server import bench_cluster, load_localdb


def main(argv: list[str]) -> int:
    env = dict(os.environ, DEBUG="1", PYTHONUNBUFFERED="1")
    cluster = None
    if not env.get("DATABASE_URL"):
        localdb = load_localdb()
        localdb.ensure_system()
        cluster = bench_cluster(localdb, name="relevance")
        cluster.prepare()
        cluster.start()
        if "--reuse" not in argv:
            cluster.psql("postgres", f"DROP DATABASE IF EXISTS {localdb.DB_NAME};")
            cluster.psql("postgres", f"CREATE DATABASE {localdb.DB_NAME};")
        cluster.create_extensions()  # before migrate: the search index (questions/0018) needs rum
        env["DATABASE_URL"] = cluster.url  # the superuser: seed_bulk's fast path
        localdb.say(f"relevance database in {cluster.data}")
    manage = [str(VENV_PYTHON), str(PROJECT / "manage.py")]
    try:
        subprocess.run([*manage, "migrate", "--noinput", "--verbosity", "0"], env=env, cwd=PROJECT, check=True)
        return subprocess.run([*manage, "relevance", *argv], env=env, cwd=PROJECT).returncode
    except subprocess.CalledProcessError as error:
        return error.returncode
    except KeyboardInterrupt:
        return 130
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
