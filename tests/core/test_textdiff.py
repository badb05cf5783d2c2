"""forum.core.textdiff: a readable, escaped difference between two versions, at a bounded cost."""

import html
import itertools
import random
import re
import time

from forum.core.textdiff import diff_html


def test_it_shows_changed_words_inside_a_line():
    assert "one<ins> two</ins>" in diff_html("one", "one two")
    assert "<del>first</del><ins>second</ins>" in diff_html("the first try", "the second try")


def test_it_shows_removed_and_added_lines_labelled_for_screen_readers():
    out = diff_html("keep\ngone\n" + "x\n" * 30, "keep\n" + "x\n" * 30 + "new line")
    assert "Removed: </span><del>gone</del>" in out and "Added: </span><ins>new line</ins>" in out


def test_it_shortens_long_unchanged_runs():
    old = "\n".join(f"line {n}" for n in range(100))
    out = diff_html(old, old.replace("line 50", "line fifty"))
    assert "diff-skip" in out and "line 10" not in out and "line 48\nline 49" in out and "line 51\nline 52" in out


def test_it_escapes_every_piece_of_text():
    old, new = "<b>old</b>\n<i>x</i>", '<script>alert(1)</script>\n<img src=x onerror="y">'
    out = diff_html(old, new)
    assert "<script" not in out and "<img" not in out and "<b>" not in out and "<i>" not in out
    # What is left once the removed parts are taken out is the new text, every character as text.
    kept = re.sub(r"<del>.*?</del>|<span class=\"visually-hidden\">.*?</span>", "", out)
    assert html.unescape(re.sub(r"<[^>]*>", "", kept)) == new.replace("\n", "")


def test_it_is_empty_for_equal_texts():
    assert diff_html("same", "same") == ""


def test_it_stays_cheap_on_the_costliest_texts():
    """Thirty versions of the longest answers, built to defeat matching: well under a second."""
    rng = random.Random(7)
    texts = [
        "\n".join(rng.choice("ab") for _ in range(10_000)),  # 20,000 characters of two repeated lines
        "\n".join(str(rng.randrange(60)) for _ in range(499)),
        " ".join(rng.choice("abc") for _ in range(10_000)),  # one long line
        "\n".join(" ".join(rng.choice("ab") for _ in range(450)) for _ in range(20)),  # word-level at its limit
        "\n".join(str(n) if n % 2 else f"x{n}" for n in range(400)),
    ]
    versions = [rng.choice(texts) + rng.choice("xyz") for _ in range(31)]
    started = time.perf_counter()
    for old, new in itertools.pairwise(versions):
        diff_html(old, new)
    assert time.perf_counter() - started < 1.0
