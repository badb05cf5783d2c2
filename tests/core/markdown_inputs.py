"""Markdown known to be costly for some parsers, at any size: for the cost tests and `make bench-markdown`.

Mostly the cases of CommonMark's own `test/pathological_tests.py` (cmark), plus markdown-it's
known trouble spots (link labels, tables, references, raw HTML, definition lists) and what
Python-Markdown choked on (runs of `[`). Each generator fills `size` characters exactly, so a
case can be sent at an endpoint's own maximum length.
"""

from collections.abc import Callable


def _repeat(unit: str, size: int, *, head: str = "", tail: str = "") -> str:
    body = size - len(head) - len(tail)
    return head + (unit * (body // len(unit) + 1))[:body] + tail


def _balanced(opener: str, middle: str, closer: str, size: int) -> str:
    half = (size - len(middle)) // 2
    return (opener * half)[:half] + middle + (closer * half)[:half]


def _ladder(step: Callable[[int], str], size: int) -> str:
    parts, length, i = [], 0, 1
    while length < size:
        parts.append(step(i))
        length += len(parts[-1])
        i += 1
    return "".join(parts)[:size]


def _references(size: int) -> str:
    # Many distinct definitions, then as many uses: the reference map grows with the input.
    definitions = _ladder(lambda i: f"[r{i}]: https://example.org/{i}\n", size // 2)
    return _ladder(lambda i: f"[x][r{i}] ", size - len(definitions) - 2) + "\n\n" + definitions


def _table(columns: int, size: int, *, rows: str = "|b\n") -> str:
    header = "|a" * columns + "|\n" + "|-" * columns + "|\n"
    return _repeat(rows, size, head=header)


def _tables(size: int) -> str:
    # A wide header over empty rows, again and again: each row is padded to the header's width.
    return _repeat(_table(100, 1700, rows="|\n") + "\n\n", size)


CASES: dict[str, Callable[[int], str]] = {
    # brackets and links
    "[ run": lambda n: "[" * n,
    "![ run": lambda n: _repeat("![", n),
    "] run": lambda n: "]" * n,
    "a] link closers without openers": lambda n: _repeat("a]", n),
    "[a link openers without closers": lambda n: _repeat("[a", n),
    "nested brackets [[[a]]]": lambda n: _balanced("[", "a", "]", n),
    "[ (]( pattern": lambda n: _repeat("[ (](", n),
    "![[]() pattern": lambda n: _repeat("![[]()", n),
    "[a](<b unclosed links": lambda n: _repeat("[a](<b", n),
    "[a](b unclosed links": lambda n: _repeat("[a](b", n),
    "[a]( then ( run": lambda n: _repeat("(", n, head="[a]("),
    "link title of escaped quotes": lambda n: _repeat("\\'", n, head="[a](b '"),
    "link reference definition flood": lambda n: _repeat("[a]: https://example.org/a\n", n),
    "distinct references and uses": _references,
    # emphasis
    "* run": lambda n: "*" * n,
    "_ run": lambda n: "_" * n,
    "~ run": lambda n: "~" * n,
    "a** pattern": lambda n: _repeat("a**", n),
    "**a pattern": lambda n: _repeat("**a", n),
    "*a unclosed emphasis": lambda n: _repeat("*a ", n),
    "_a unclosed emphasis": lambda n: _repeat("_a ", n),
    "a_ closers without openers": lambda n: _repeat("a_ ", n),
    "*a_ mismatched": lambda n: _repeat("*a_ ", n),
    "c* multiple of 3": lambda n: _repeat("c* ", n, head="a**b"),
    "[ a_ link openers and emphasis closers": lambda n: _repeat("[ a_", n),
    "nested strong and emphasis": lambda n: _balanced("*a **a ", "b", " a** a*", n),
    "~~a unclosed strikethrough": lambda n: _repeat("~~a", n),
    # code
    "` run": lambda n: "`" * n,
    "backtick ladder e` e`` e```": lambda n: _ladder(lambda i: "e" + "`" * i, n),
    "``` fence flood": lambda n: _repeat("```\n", n),
    # raw HTML and autolinks
    "< run": lambda n: "<" * n,
    "<a unclosed tags": lambda n: _repeat("<a ", n),
    '<a href=" unclosed attribute': lambda n: _repeat('<a href="', n),
    "<!-- unclosed comments": lambda n: _repeat("<!--", n),
    "<? processing instructions": lambda n: _repeat("<?", n),
    "<![CDATA[ unclosed": lambda n: _repeat("<![CDATA[", n),
    "<!A declarations": lambda n: _repeat("<!A ", n),
    "<div> block flood": lambda n: _repeat("<div>\n", n),
    "<http:// unclosed autolinks": lambda n: _repeat("<http://", n),
    "& entity starts": lambda n: _repeat("&#", n),
    "\\ run": lambda n: "\\" * n,
    # blocks
    "nested lists - - -": lambda n: "- " * (n // 2),
    "indented list ladder": lambda n: _ladder(lambda i: "  " * i + "* a\n", n),
    "nested block quotes > > >": lambda n: "> " * (n // 2),
    "> run": lambda n: ">" * n,
    "long list": lambda n: _repeat("- a\n", n),
    "# run": lambda n: "#" * n,
    "setext headings": lambda n: _repeat("a\n=\n", n),
    "hard breaks": lambda n: _repeat("a  \n", n),
    "table with many columns": lambda n: _table(n // 8, n),
    "table with many short rows": lambda n: _table(50, n),
    "many wide tables of empty rows": _tables,
    "definition list flood": lambda n: _repeat("a\n: b\n", n),
    "nested definitions : : :": lambda n: "a\n" + ": " * ((n - 2) // 2),
    "NUL bytes": lambda n: _repeat("a\x00", n),
}


def pathological_inputs(size: int) -> dict[str, str]:
    """Every case at exactly `size` characters."""
    inputs = {name: make(size) for name, make in CASES.items()}
    assert all(len(text) <= size for text in inputs.values()), "a case overflows its size"
    return inputs
