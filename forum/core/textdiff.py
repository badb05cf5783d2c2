"""A readable difference between two versions of a text, as escaped HTML (difflib).

Lines that stayed are shown (long runs shortened to their ends), removed ones in `<del>`,
added ones in `<ins>`; a line that changed a little shows the words that changed inside it.
Every piece of text goes through format_html, so a version holding markup shows it as text.
The cost is bounded: word-level matching runs only on short blocks of short lines.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

CONTEXT = 2  # unchanged lines shown on each side of a change
WORD_DIFF_MAX_LINES = 20  # a changed block longer than this shows whole lines
WORD_DIFF_MAX_CHARS = 2_000  # and so does a longer line
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)
_SKIPPED = mark_safe('<div class="diff-line diff-skip">…</div>')


def _line(kind: str, content) -> SafeString:
    if kind == "same":
        return format_html('<div class="diff-line">{}</div>', content or "\u00a0")
    tag = "del" if kind == "del" else "ins"
    label = "Removed: " if kind == "del" else "Added: "
    return format_html(
        '<div class="diff-line diff-{}"><span class="visually-hidden">{}</span><{}>{}</{}></div>',
        kind,
        label,
        mark_safe(tag),  # noqa: S308 - a constant
        content or "\u00a0",
        mark_safe(tag),  # noqa: S308 - a constant
    )


def _words(old: str, new: str) -> SafeString:
    """One changed line, with the removed words in <del> and the added ones in <ins>."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
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
        return [_line("same", line) for line in lines]
    kept = [_line("same", line) for line in lines[:after]]
    return [*kept, _SKIPPED, *(_line("same", line) for line in lines[len(lines) - before :])]


def diff_html(old: str, new: str) -> SafeString:
    """The difference from `old` to `new`, line by line, escaped; empty when they are equal."""
    if old == new:
        return mark_safe("")
    a, b = old.splitlines(), new.splitlines()
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out: list[SafeString] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            out += _same(a[i1:i2], first=index == 0, last=index == len(opcodes) - 1)
            continue
        removed, added = a[i1:i2], b[j1:j2]
        short = max(len(removed), len(added)) <= WORD_DIFF_MAX_LINES and all(
            len(line) <= WORD_DIFF_MAX_CHARS for line in (*removed, *added)
        )
        if tag == "replace" and short:
            pairs = min(len(removed), len(added))
            out += [_words(x, y) for x, y in zip(removed[:pairs], added[:pairs], strict=True)]
            removed, added = removed[pairs:], added[pairs:]
        out += [_line("del", line) for line in removed]
        out += [_line("ins", line) for line in added]
    return format_html('<div class="diff">{}</div>', format_html_join("", "{}", ((part,) for part in out)))
