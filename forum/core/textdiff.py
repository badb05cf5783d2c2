"""A readable difference between two versions of a text, as escaped HTML (difflib).

Lines that stayed are shown (long runs shortened to their ends), removed ones in `<del>`,
added ones in `<ins>`; a line that changed a little shows the words that changed inside it.
Every piece of text goes through format_html, so a version holding markup shows it as text.
The cost is bounded whatever the texts (a post's 30 versions render in well under a second):
lines are matched only between the common start and end and only up to MATCH_MAX pairs,
word-level matching runs only on short blocks of short lines, and a diff of more than
OPCODES_MAX changes shows the changed part as one removal and one addition.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

CONTEXT = 2  # unchanged lines shown on each side of a change
WORD_DIFF_MAX_LINES = 20  # a changed block longer than this shows whole lines
WORD_DIFF_MAX_CHARS = 1_000  # and so does a longer line
MATCH_MAX = 250_000  # lines × lines beyond the common start and end: more shows the part as replaced
OPCODES_MAX = 200  # more changes than this show the changed part as replaced, in two blocks
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_SKIPPED = mark_safe('<div class="diff-line diff-skip">…</div>')


def _lines(kind: str, lines: list[str]) -> SafeString:
    """A run of lines: unchanged, removed (`<del>`) or added (`<ins>`), in one element."""
    text = "\n".join(lines) or "\u00a0"
    if kind == "same":
        return format_html('<div class="diff-line">{}</div>', text)
    tag = mark_safe("del" if kind == "del" else "ins")  # noqa: S308 - a constant
    label = gettext("Removed: ") if kind == "del" else gettext("Added: ")
    return format_html(
        '<div class="diff-line diff-{}"><span class="visually-hidden">{}</span><{}>{}</{}></div>',
        kind, label, tag, text, tag,
    )  # fmt: skip


def _words(old: str, new: str) -> SafeString:
    """One changed line, with the removed words in <del> and the added ones in <ins>."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b).get_opcodes():
        if tag == "equal":
            parts.append(format_html("{}", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return format_html('<div class="diff-line diff-changed">{}</div>', mark_safe("".join(parts)))  # noqa: S308


def _same(lines: list[str], *, first: bool, last: bool) -> list[SafeString]:
    """Unchanged lines: the few next to a change, the rest shortened to "…"."""
    after = 0 if first else CONTEXT  # lines just after the change before them
    before = 0 if last else CONTEXT  # lines just before the change after them
    if len(lines) <= after + before + 1:
        return [_lines("same", lines)]
    parts = [_lines("same", lines[:after])] if after else []
    parts.append(_SKIPPED)
    if before:
        parts.append(_lines("same", lines[len(lines) - before :]))
    return parts


def _common_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many lines the two texts share at their start, and then at their end."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def diff_html(old: str, new: str) -> SafeString:
    """The difference from `old` to `new`, line by line, escaped; empty when they are equal."""
    if old == new:
        return mark_safe("")
    a, b = old.splitlines(), new.splitlines()
    head, tail = _common_ends(a, b)
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    # Too costly to match, or too scattered to read: the changed part, removed then added.
    opcodes: list[tuple[str, int, int, int, int]] = [("replace", 0, len(middle_a), 0, len(middle_b))]
    if len(middle_a) * len(middle_b) <= MATCH_MAX:
        matched = SequenceMatcher(None, middle_a, middle_b).get_opcodes()
        if len(matched) <= OPCODES_MAX:
            opcodes = list(matched)
    out: list[SafeString] = []
    if head:
        out += _same(a[:head], first=True, last=False)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            out += _same(middle_a[i1:i2], first=False, last=False)
            continue
        removed, added = middle_a[i1:i2], middle_b[j1:j2]
        short = max(len(removed), len(added)) <= WORD_DIFF_MAX_LINES and all(
            len(line) <= WORD_DIFF_MAX_CHARS for line in (*removed, *added)
        )
        if tag == "replace" and short:
            pairs = min(len(removed), len(added))
            out += [_words(x, y) for x, y in zip(removed[:pairs], added[:pairs], strict=True)]
            removed, added = removed[pairs:], added[pairs:]
        if removed:
            out.append(_lines("del", removed))
        if added:
            out.append(_lines("ins", added))
    if tail:
        out += _same(a[len(a) - tail :], first=False, last=True)
    return format_html('<div class="diff">{}</div>', format_html_join("", "{}", ((part,) for part in out)))
