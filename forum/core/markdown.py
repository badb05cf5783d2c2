"""Markdown → sanitized HTML. The one function every post, bio and preview goes through.

Rendered once, at write time; templates print the stored HTML. The parser is markdown-it-py
(CommonMark, linear time: no input, however crafted, holds a worker — see
`scripts/bench_markdown.py`) with tables, strikethrough and definition lists, and no
linkifying of bare URLs. Raw HTML is parsed as CommonMark allows and left to the sanitizer:
nh3 (ammonia) enforces an allow-list: no images (tracking pixels, unwanted explicit
content), no inline styles, no scripts, links only to http(s) and mailto, each with
rel="nofollow ugc noopener".
"""

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.table import getLine, table
from markdown_it.rules_core import StateCore
from mdit_py_plugins.deflist import deflist_plugin

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "del", "s", "sup", "sub", "code", "pre", "kbd",
    "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    # Relative and protocol-relative ("//host") links are dropped: a post may only link out
    # with an explicit http(s) or mailto scheme, so nothing can pose as a page of the forum.
    if tag == "a" and attribute == "href" and not value.lower().startswith(("http://", "https://", "mailto:")):
        return None
    return value


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        attribute_filter=_absolute_links_only,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


# Bounds that keep every input cheap (see `make bench-markdown`). markdown-it-py is linear, but
# two of its costs grow with these settings rather than with what a person can type:
# - a table pads every short row with empty cells: a wide header over thousands of lines
#   of "|" made 65,536 cells per table (its own cap), many tables in 20,000 characters made
#   7.7 MB of HTML in 27 s. A post's tables share TABLE_CELLS_MAX cells; rows past it are text.
# - an unclosed "[" is checked for a link as deep as the nesting limit goes, so a run of them
#   costs that limit per character. Inline markup nests at most INLINE_NESTING deep (beyond
#   it is text); blocks keep the CommonMark preset's 20 (lists about 9 deep).
TABLE_CELLS_MAX = 5_000
INLINE_NESTING = 10
BLOCK_NESTING = 20


def _bounded_table(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    budget = state.env.get("table_cells", TABLE_CELLS_MAX)
    if budget <= 0 or not table(state, startLine, endLine, True):
        return False
    if silent:
        return True
    columns = sum(1 for cell in getLine(state, startLine + 1).split("|") if cell.strip())
    rows = budget // columns - 1  # the body rows the budget allows, after the header row
    if rows < 0:
        return False
    table(state, startLine, min(endLine, startLine + 2 + rows), False)
    state.env["table_cells"] = budget - columns * (state.line - startLine - 1)
    return True


def _table_align_attribute(state: StateCore) -> None:
    # markdown-it aligns cells with style="text-align:…", which the sanitizer drops (no inline
    # styles); the allow-listed align="…" says the same.
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and str(token.attrs.get("style", "")).startswith("text-align:"):
            token.attrs = {"align": str(token.attrs["style"]).removeprefix("text-align:")}


def _parser(nesting: int) -> MarkdownIt:
    options = {"html": True, "linkify": False, "typographer": False, "xhtmlOut": False, "maxNesting": nesting}
    md = MarkdownIt("commonmark", options)
    md.enable(["table", "strikethrough"])
    md.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})
    md.use(deflist_plugin)
    md.core.ruler.push("table_align_attribute", _table_align_attribute)
    return md


_MD, _INLINE_MD = _parser(BLOCK_NESTING), _parser(INLINE_NESTING)


def _inline(state: StateCore) -> None:
    # markdown-it's own "inline" core rule, with the inline nesting limit of the second parser.
    for token in state.tokens:
        if token.type == "inline":
            token.children = token.children or []
            _INLINE_MD.inline.parse(token.content, _INLINE_MD, state.env, token.children)


_MD.core.ruler.at("inline", _inline)


def _demote_headings(html: str) -> str:
    # A post's headings sit below the page's own h1/h2.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return html


def render_markdown(text: str) -> str:
    """Render user markdown to safe HTML. Also markdownx's preview function."""
    if not text:
        return ""
    html = _MD.render(text, {"table_cells": TABLE_CELLS_MAX}).rstrip("\n")
    return sanitize_html(_demote_headings(html))


# Clarifications under posts: one short line of inline markdown — emphasis, strong, code,
# strikethrough, links — never headings, lists, quotes, tables, images or raw HTML (all of
# which stay as the text typed). The same link rules as posts.
INLINE_TAGS = {"em", "strong", "del", "s", "code", "a", "br"}


def _inline_parser() -> MarkdownIt:
    options = {"html": False, "linkify": False, "typographer": False, "xhtmlOut": False, "maxNesting": INLINE_NESTING}
    md = MarkdownIt("commonmark", options)
    md.enable("strikethrough")
    md.disable("image")
    return md


_CLARIFICATION_MD = _inline_parser()


def render_inline_markdown(text: str) -> str:
    """Render a clarification's inline markdown to safe HTML (no block elements)."""
    if not text:
        return ""
    html = _CLARIFICATION_MD.renderInline(text, {})
    return nh3.clean(
        html,
        attribute_filter=_absolute_links_only,
        tags=INLINE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )
