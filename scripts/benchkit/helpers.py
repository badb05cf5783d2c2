"""The steps that need Django, run as `.venv/bin/python scripts/bench.py _helper NAME` subprocesses.

The orchestrator runs on the system's Python with the standard library only; a helper reads
JSON on stdin and prints MARK + JSON as its last word (benchkit/steps.py holds the steps).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from .common import BENCH_SCRIPT, MARK, PROCS, PROJECT, VENV_PYTHON, BenchError, Clock


def run_helper(name: str, env: dict, clock: Clock, payload: dict | None = None, echo: bool = True) -> dict:
    """Run `bench.py _helper NAME` with the venv's Python; return the JSON it prints last."""
    cmd = [str(VENV_PYTHON), str(BENCH_SCRIPT), "_helper", name]
    proc = subprocess.Popen(
        cmd, cwd=PROJECT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    PROCS.child = proc
    result = None
    tail: list[str] = []
    timer = threading.Timer(max(clock.left(), 1), lambda: proc.poll() is None and proc.kill())
    timer.start()
    try:
        proc.stdin.write(json.dumps(payload or {}))
        proc.stdin.close()
        for line in proc.stdout:
            if line.startswith(MARK):
                result = json.loads(line[len(MARK) :])
                continue
            tail = [*tail[-40:], line]
            if echo:
                print(f"  {line.rstrip()}", file=sys.stderr, flush=True)
        proc.wait()
    finally:
        timer.cancel()
        PROCS.child = None
    if proc.returncode != 0 or result is None:
        if not echo:
            sys.stderr.write("".join(tail))
        if clock.left() <= 1:
            raise BenchError(f"the 10-minute limit ran out during '{name}'")
        raise BenchError(f"the '{name}' step failed (exit {proc.returncode}); its output is above")
    return result


def helper_main(name: str) -> int:
    """Inside the venv, with Django: the steps that need the ORM. Reads JSON on stdin, prints MARK + JSON."""
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    import django

    django.setup()
    # Imported here, not at the top: the orchestrator that imports this module has no Django,
    # and the steps import models, which need django.setup() first.
    from . import steps

    payload = json.loads(sys.stdin.read() or "{}")
    result = {"setup": steps.setup, "prepare": steps.prepare, "verify": steps.verify}[name](payload)
    print(MARK + json.dumps(result), flush=True)
    return 0
