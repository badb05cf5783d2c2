"""How a page, a feed or an email is judged: see the docstring of tests/security/test_xss_everywhere.py.

`page_issues` compares a page with the same page built from harmless values (the baseline), and adds
what `executable_markup` finds whatever the baseline says; `feed_issues` and `feed_channel_issues`
parse a feed; `email_issues` reads an outgoing email.
"""

import functools
import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter

from forum.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from tests.questions.test_sanitizer import (
    URL_ATTRIBUTES,
    TagCollector,
    collect,
    danger_signature,
    href_scheme,
    problems,
)

STATIC_URL = "/static/"
# The scripts' translations (forum.core.views.javascript_catalog): our own address, one per language.
CATALOG = re.compile(r"/jsi18n/[a-z]{2}(?:-[a-z]+)?\.js")
SCRIPT_KINDS = ("", "text/javascript", "module")
SAFE_SCRIPT_TYPES = {"application/json", "application/ld+json"}
SCRIPT_SCHEMES = {"javascript", "data", "vbscript"}  # never in a URL attribute (others: see danger_signature)
NEVER_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


class PageParser(TagCollector):
    """test_sanitizer's TagCollector (every start tag), plus each <script>'s text and the question's <h1>."""

    def __init__(self):
        super().__init__()
        self.scripts: list[tuple[dict, list[str]]] = []
        self.h1: list[str] | None = None
        self._into: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if tag == "script":
            self.scripts.append((dict(attrs), []))
            self._into = self.scripts[-1][1]
        elif tag == "h1" and dict(attrs).get("id") == "question-title":
            self.h1 = []
            self._into = self.h1

    def handle_endtag(self, tag):
        super().handle_endtag(tag)
        if tag in ("script", "h1"):
            self._into = None

    def handle_data(self, data):
        super().handle_data(data)
        if self._into is not None:
            self._into.append(data)


def parse(markup: str) -> PageParser:
    parser = PageParser()
    parser.feed(markup)
    parser.close()
    return parser


def tag_pairs(tags) -> set[tuple[str, str | None]]:
    pairs = set()
    for tag, attrs in tags:
        pairs.add((tag, None))
        pairs.update((tag, name.lower()) for name, _ in attrs)
    return pairs


def sanitizer_allows(pair: tuple[str, str | None]) -> bool:
    tag, attribute = pair
    allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
    return tag in ALLOWED_TAGS and (attribute is None or attribute in allowed)


def executable_markup(markup: str | PageParser) -> list[str]:
    """What could run script on this page, whatever the baseline says."""
    parsed = parse(markup) if isinstance(markup, str) else markup
    found = []
    for tag, attrs in parsed.tags:
        values = {name.lower(): value for name, value in attrs}
        for name, value in attrs:
            if name.lower().startswith("on"):
                found.append(f"event handler {name}= on <{tag}>")
            if name.lower() in URL_ATTRIBUTES and href_scheme(value) in SCRIPT_SCHEMES:
                found.append(f"{name}= with scheme {href_scheme(value)!r} on <{tag}>")
        if tag in NEVER_TAGS:
            found.append(f"<{tag}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
    for attrs, text in parsed.scripts:
        kind, src = (attrs.get("type") or "").lower(), attrs.get("src")
        if src is None and kind in SAFE_SCRIPT_TYPES:
            if kind == "application/ld+json":
                try:
                    json.loads("".join(text))
                except ValueError as error:
                    found.append(f"JSON-LD does not parse: {error}")
        elif (
            src is not None
            and (src.startswith(STATIC_URL) or CATALOG.fullmatch(src))
            and kind in ("", "text/javascript", "module")
        ):
            if "".join(text).strip():
                found.append(f"inline code in <script src={src!r}>")
        else:
            found.append(f"<script {attrs!r}>")
    return found


@functools.lru_cache(maxsize=256)
def baseline_facts(baseline: str) -> tuple[Counter, set]:
    return danger_signature(baseline), tag_pairs(collect(baseline).tags)


def page_issues(markup: str, baseline: str) -> list[str]:
    parsed = parse(markup)
    issues = executable_markup(parsed)
    issues += problems(collect(markup, posts_only=True).tags)
    expected, baseline_pairs = baseline_facts(baseline)
    signature = danger_signature(markup)
    if signature != expected:
        issues.append(f"danger signature {dict(signature - expected)} more, {dict(expected - signature)} fewer")
    new_pairs = tag_pairs(parsed.tags) - baseline_pairs
    issues += [f"new markup {pair} not on the allow-list" for pair in sorted(new_pairs, key=str)
               if not sanitizer_allows(pair)]  # fmt: skip
    return issues


def question_markup(markup: str) -> tuple[str | None, list[dict]]:
    """The text of the question's <h1>, and every JSON-LD block parsed."""
    parsed = parse(markup)
    ld = []
    for attrs, text in parsed.scripts:
        if attrs.get("type") == "application/ld+json":
            try:
                ld.append(json.loads("".join(text)))
            except ValueError:
                ld.append(None)  # executable_markup reports it
    return ("".join(parsed.h1) if parsed.h1 is not None else None), ld


def html_tags_in(text: str | None) -> list:
    return collect(text or "").tags


def xml_root(raw: str) -> ET.Element:
    return ET.fromstring(raw.encode())  # noqa: S314 - our own feeds, parsed in order to be checked


def feed_issues(raw: str, baseline: str, kind: str) -> list[str]:
    """A feed: well-formed, no element from a payload, and no markup where readers expect HTML."""
    try:
        root = xml_root(raw)
    except ET.ParseError as error:
        return [f"{kind} is not well-formed XML: {error}"]
    base = xml_root(baseline)
    issues = []
    extra = {el.tag for el in root.iter()} - {el.tag for el in base.iter()}
    if extra:
        issues.append(f"{kind}: elements {sorted(extra)} not in the baseline feed")
    lowered = raw.lower()
    issues += [
        f"{kind}: raw {needle!r} in the XML" for needle in ("<script", "<img", "<svg", "<iframe") if needle in lowered
    ]
    atom = "{http://www.w3.org/2005/Atom}"
    if root.tag == f"{atom}feed":
        for entry in root.iter(f"{atom}entry"):
            title = entry.find(f"{atom}title")
            if title.get("type", "text") != "text" or len(title):
                issues.append(f"{kind}: an entry title is not plain text")
            for summary in entry.iter(f"{atom}summary"):
                if summary.get("type") == "html" and html_tags_in(summary.text):
                    issues.append(f"{kind}: markup in a summary: {html_tags_in(summary.text)}")
        for name in ("title", "subtitle"):
            for element in root.findall(f"{atom}{name}"):
                if element.get("type", "text") != "text" or len(element):
                    issues.append(f"{kind}: feed {name} is not plain text")
    else:
        for item in root.iter("item"):
            for name in ("title", "description"):
                tags = html_tags_in(item.findtext(name))
                if tags:
                    issues.append(f"{kind}: markup in an item {name}: {tags}")
    return issues


def feed_channel_issues(raw: str) -> list[str]:
    """RSS channel title/description: readers render them like item descriptions, as HTML."""
    channel = xml_root(raw).find("channel")
    return [f"markup in the channel {name}: {html_tags_in(channel.findtext(name))}"
            for name in ("title", "description") if html_tags_in(channel.findtext(name))]  # fmt: skip


def text_of(raw: str) -> str:
    return html.unescape(html.unescape(raw))


def email_issues(message, values: list[str]) -> list[str]:
    """Plain text that quotes no post; an HTML alternative, if any, with nothing live in it."""
    issues = []
    for text in (message.subject, message.body):
        issues += [f"the email quotes {v[:40]!r}" for v in values if v.strip() and v in text]
        if "<" in text:
            issues.append("markup in the plain-text email")
    for content, mimetype in getattr(message, "alternatives", []):
        if "html" in mimetype:
            issues += [f"HTML alternative: {issue}" for issue in executable_markup(content)]
            issues += [f"HTML alternative: {key}" for key in danger_signature(content)]
    return issues
