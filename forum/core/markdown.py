"""Markdown → sanitized HTML. The one function every post, bio and preview goes through.

Rendered once, at write time; templates print the stored HTML. nh3 (ammonia) enforces an
allow-list: no images (tracking pixels, unwanted explicit content), no inline styles, no
scripts, links only to http(s) and mailto, each with rel="nofollow ugc noopener".
"""

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "del", "s", "sup", "sub", "code", "pre", "kbd",
    "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "abbr", "def_list"]


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


def _demote_headings(html: str) -> str:
    # A post's headings sit below the page's own h1/h2.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return html


def render_markdown(text: str) -> str:
    """Render user markdown to safe HTML. Also markdownx's preview function."""
    if not text:
        return ""
    html = markdown_lib.markdown(text, extensions=EXTENSIONS, output_format="html")
    return sanitize_html(_demote_headings(html))
