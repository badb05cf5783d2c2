"""What every part of the benchmark shares: paths, limits, saying what happens, the clock, stopping processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent.parent
BENCH_SCRIPT = PROJECT / "scripts" / "bench.py"
VENV_PYTHON = PROJECT / ".venv" / "bin" / "python"
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"
RESULTS = PROJECT / "bench-results"
TIME_LIMIT = 600  # seconds, the whole run
SETUP_ALLOWANCE = 150  # seconds kept for everything that is not load (seeding excluded)
MARK = "BENCH_JSON "
# Measured once, in the uncached pass: never served from the page cache.
NEVER_CACHED = ("search_common", "search_rare", "search_phrase", "search_natural", "search_misspelled")
# Load runs of --warmup + --duration: noop and 5 pages cached; noop, 5 pages and 3 searches uncached; writes;
# reads under 0, 1 and 10 writes a second.
LOAD_RUNS = 6 + 9 + 1 + 3
GUNICORN_STARTS = 4  # one per pass: cached, uncached, the write mix, reads under writes
RESTART_ALLOWANCE = 15  # seconds per gunicorn start and its warm-up requests


class BenchError(Exception):
    """A clear, one-sentence reason to stop."""


STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[bench {time.monotonic() - STARTED:5.1f}s] {message}", file=sys.stderr, flush=True)


# --- processes we start, and stopping them ------------------------------------------------


class Processes:
    """Everything this run started, stopped in reverse order on exit (Ctrl-C and SIGTERM too)."""

    def __init__(self):
        self.gunicorn: subprocess.Popen | None = None
        self.child: subprocess.Popen | None = None  # the helper running right now
        self.cluster = None

    def stop(self) -> None:
        for proc in (self.child, self.gunicorn):
            if proc is not None and proc.poll() is None:
                stop_process(proc)
        self.child = self.gunicorn = None
        if self.cluster is not None:
            say("stopping the benchmark cluster")
            self.cluster.stop()
            self.cluster = None


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM (to its own process group when it has one), then SIGKILL."""
    try:
        if os.getpgid(proc.pid) == proc.pid:
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.terminate()
        proc.wait(timeout=timeout)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        if os.getpgid(proc.pid) == proc.pid:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.wait(timeout=5)


PROCS = Processes()


class Clock:
    def __init__(self, limit: float):
        self.start = time.monotonic()
        self.limit = limit

    def left(self) -> float:
        return self.limit - (time.monotonic() - self.start)

    def check(self, what: str, need: float = 0) -> float:
        left = self.left()
        if left < need:
            raise BenchError(f"the 10-minute limit would be exceeded before {what}; try fewer --questions or a "
                             "shorter --duration")  # fmt: skip
        return left
