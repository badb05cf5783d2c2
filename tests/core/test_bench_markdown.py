"""`make bench-markdown`: scripts/bench_markdown.py, run as make runs it, on small inputs."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.markdown_inputs import CASES

ROOT = Path(__file__).resolve().parents[2]


def bench(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "scripts" / "bench_markdown.py"), "--size", "1000", "--repeat", "1", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT, check=False)


def test_it_prints_every_input_and_the_worst_case():
    done = bench("--no-old")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:2] == ["input", "chars"] and "old" not in lines[0]
    assert {line[:40].rstrip() for line in lines[1 : len(CASES) + 1]} == set(CASES)
    assert "worst case, new renderer:" in done.stdout


def test_it_fails_when_the_worst_case_is_over_the_budget():
    done = bench("--no-old", "--budget", "0")
    assert done.returncode == 1
    assert "(budget 0 s)" in done.stdout


@pytest.mark.slow
def test_it_times_the_old_renderer_beside_the_new():
    done = bench("--old-timeout", "20")
    assert done.returncode == 0, done.stderr
    assert "old: Python-Markdown (s)" in done.stdout.splitlines()[0]
    assert "worst case, old renderer:" in done.stdout
