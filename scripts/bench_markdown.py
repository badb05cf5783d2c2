#!/usr/bin/env python3
"""What markdown rendering costs on inputs crafted to be slow: `make bench-markdown`.

    .venv/bin/python scripts/bench_markdown.py [--size N] [--repeat R] [--old-timeout S] [--no-old] [--budget S]

Every case of tests/core/markdown_inputs.py (CommonMark's pathological inputs, markdown-it's and
Python-Markdown's trouble spots) at --size characters — 20,000 by default, the longest text any
endpoint takes (an answer, the preview, a moderator's edit) — goes through
forum.core.markdown.render_markdown (markdown-it-py, then nh3): the median of --repeat runs.

If Python-Markdown is installed (django-markdownx depends on it), the renderer used before
issue 12 (Python-Markdown, then the same nh3 clean) is timed too: once per case, in a
subprocess stopped after --old-timeout seconds.

Prints one row per case, costliest first, then the worst case. Exits 1 when the worst case
costs more than --budget seconds (2: DESIGN.md's "a couple of seconds" per request).
The project's modules are imported directly: rendering needs no settings and no database.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forum.core.markdown import _demote_headings, render_markdown, sanitize_html  # noqa: E402
from tests.core.markdown_inputs import pathological_inputs  # noqa: E402

DEFAULT_SIZE = 20_000
OLD_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "abbr", "def_list"]


def render_old(text: str) -> str:
    """The renderer before issue 12: Python-Markdown, then the same sanitizing."""
    import markdown

    return sanitize_html(_demote_headings(markdown.markdown(text, extensions=OLD_EXTENSIONS, output_format="html")))


def time_new(text: str, repeat: int) -> tuple[float, int]:
    times, html = [], ""
    for _ in range(repeat):
        started = time.perf_counter()
        html = render_markdown(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(html)


def time_old(case: str, size: int, timeout: float) -> float | str | None:
    """Seconds; the exception's name if it failed (a 500 for the person posting); None if stopped."""
    command = [sys.executable, __file__, "_old", case, str(size)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout) if done.returncode == 0 else done.stdout.strip() or "crashed"


def _old_child(case: str, size: int) -> int:
    text = pathological_inputs(size)[case]
    render_old("warm *up*")  # imports and first-call setup are not the input's cost
    started = time.perf_counter()
    try:
        render_old(text)
    except Exception as error:  # reported: under the old renderer this was a 500
        print(type(error).__name__)
        return 1
    print(time.perf_counter() - started)
    return 0


def seconds(value: float | str | None, timeout: float) -> str:
    if value is None:
        return f"> {timeout:g}"
    return value if isinstance(value, str) else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="characters per input (default 20,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the new renderer per case (median)")
    parser.add_argument("--old-timeout", type=float, default=10.0, help="seconds before the old renderer is stopped")
    parser.add_argument("--no-old", action="store_true", help="skip the old renderer (Python-Markdown)")
    parser.add_argument("--budget", type=float, default=2.0, help="exit 1 if the worst case costs more (seconds)")
    options = parser.parse_args()

    with_old = not options.no_old and importlib.util.find_spec("markdown") is not None
    rows = []
    for case, text in pathological_inputs(options.size).items():
        new, html_length = time_new(text, options.repeat)
        old = time_old(case, options.size, options.old_timeout) if with_old else None
        rows.append((new, case, len(text), html_length, old))
        print(".", end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)
    rows.sort(reverse=True)

    old_header = "  old: Python-Markdown (s)" if with_old else ""
    print(f"{'input':<40} {'chars':>7} {'new: markdown-it (s)':>21} {'html chars':>11}{old_header}")
    for new, case, length, html_length, old in rows:
        old_column = f"  {seconds(old, options.old_timeout):>25}" if with_old else ""
        print(f"{case:<40} {length:>7,} {new:>21.3f} {html_length:>11,}{old_column}")

    worst_new, worst_case = rows[0][0], rows[0][1]
    print(f"\nworst case, new renderer: {worst_case!r} {worst_new:.3f} s (budget {options.budget:g} s)")
    if with_old:
        stopped = [case for _, case, _, _, old in rows if old is None]
        failed = [f"{case} ({old})" for _, case, _, _, old in rows if isinstance(old, str)]
        timed = [(old, case) for _, case, _, _, old in rows if isinstance(old, float)]
        worst_old = max(timed, default=(0.0, ""))
        print(f"worst case, old renderer: {worst_old[1]!r} {worst_old[0]:.3f} s among those that finished")
        print(f"old renderer stopped after {options.old_timeout:g} s: {len(stopped)} of {len(rows)} cases {stopped}")
        print(f"old renderer failed: {len(failed)} of {len(rows)} cases {failed}")
    return 1 if worst_new > options.budget else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["_old"]:
        sys.exit(_old_child(sys.argv[2], int(sys.argv[3])))
    sys.exit(main())
