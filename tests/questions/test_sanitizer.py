"""XSS through the ask form and the live preview: nothing executable survives render_markdown.

Each classic payload goes (a) to the markdownx preview endpoint and (b) through the visitor's ask
form, then the key page and the staff view of the thread are parsed. Inside the post body region
(`<div class="prose post-text">`) only allow-listed tags and attributes may appear, no event
handler, no inline style, and every href must resolve, as a browser would, to http, https or
mailto. The whole page is also compared with the same page for a harmless body, so that markup
escaping the post region early would still be caught.
"""

import html
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from forum.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from forum.core.tokens import new_form_token, sha256_hex
from forum.questions.models import Question, Tag
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PREVIEW_URL = "/markdownx/markdownify/"
ASK_URL = "/questions/ask/"
TITLE = "Is it normal to feel nervous before a first date?"
INTRO = "Some harmless words first, long enough for the form.\n\n"
HARMLESS_BODY = INTRO + "Nothing more to add here, only plain words."

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "form", "meta", "base", "img", "link",
    "input", "button",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcdoc"}
REL = "nofollow ugc noopener"
# Relative hrefs are resolved against a page of the forum, as the browser does.
PAGE_URL = "https://testserver/questions/1/a-question/"
C0_AND_SPACE = "".join(chr(c) for c in range(0x21))

DATA_HTML = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
PAYLOADS = [
    # script tags
    pytest.param("<script>alert(1)</script>", id="script"),
    pytest.param("<ScRiPt>alert(1)</sCrIpT>", id="script-mixed-case"),
    pytest.param("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", id="script-src-upper"),
    pytest.param("<script/xss src=//evil.example/x.js></script>", id="script-slash-attr"),
    pytest.param("<scr<script>ipt>alert(1)</scr</script>ipt>", id="script-nested-split"),
    pytest.param("<<script>alert(1);//<</script>", id="script-double-open"),
    pytest.param("<script>alert(1)", id="script-unclosed"),
    # event handlers
    pytest.param("<img src=x onerror=alert(1)>", id="img-onerror"),
    pytest.param('<IMG SRC="javascript:alert(1)">', id="img-src-javascript"),
    pytest.param('<img src="x" onerror="alert(1)"/>', id="img-onerror-selfclosing"),
    pytest.param("<svg onload=alert(1)>", id="svg-onload"),
    pytest.param("<svg/onload=alert(1)>", id="svg-slash-onload"),
    pytest.param("<body onload=alert(1)>", id="body-onload"),
    pytest.param("<details open ontoggle=alert(1)>", id="details-ontoggle"),
    pytest.param("<iframe onload=alert(1) src=https://evil.example>", id="iframe-onload"),
    pytest.param("<p onmouseover=alert(1)>hover me</p>", id="allowed-tag-onmouseover"),
    pytest.param('<a href="https://ok.example" onclick="alert(1)">x</a>', id="link-onclick"),
    pytest.param("<input autofocus onfocus=alert(1)>", id="input-onfocus"),
    pytest.param("<video><source onerror=alert(1)></video>", id="video-source-onerror"),
    pytest.param("<marquee onstart=alert(1)>x</marquee>", id="marquee-onstart"),
    # javascript:, data:, vbscript: in raw HTML links
    pytest.param('<a href="javascript:alert(1)">x</a>', id="html-link-javascript"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">x</a>', id="html-link-javascript-mixed-case"),
    pytest.param('<a href="&#106;avascript:alert(1)">x</a>', id="html-link-javascript-decimal-entity"),
    pytest.param(
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
        id="html-link-javascript-hex-entities",
    ),
    pytest.param('<a href="java&#x09;script:alert(1)">x</a>', id="html-link-javascript-tab-entity"),
    pytest.param('<a href="java&#x0A;script:alert(1)">x</a>', id="html-link-javascript-newline-entity"),
    pytest.param('<a href="java\tscript:alert(1)">x</a>', id="html-link-javascript-raw-tab"),
    pytest.param('<a href=" &#14; javascript:alert(1)">x</a>', id="html-link-javascript-leading-control"),
    pytest.param("<a href=javascript&colon;alert(1)>x</a>", id="html-link-javascript-named-colon"),
    pytest.param(f'<a href="{DATA_HTML}">x</a>', id="html-link-data-html"),
    pytest.param('<a href="vbscript:msgbox(1)">x</a>', id="html-link-vbscript"),
    # the same in markdown syntax
    pytest.param("[x](javascript:alert(1))", id="md-link-javascript"),
    pytest.param("[x](JaVaScRiPt:alert(1))", id="md-link-javascript-mixed-case"),
    pytest.param("[x](&#106;avascript:alert(1))", id="md-link-javascript-entity"),
    pytest.param("[x](javascript&#58;alert(1))", id="md-link-javascript-entity-colon"),
    pytest.param("[x](<javascript:alert(1)>)", id="md-link-javascript-angle"),
    pytest.param('[x]( javascript:alert(1) "title")', id="md-link-javascript-spaced-title"),
    pytest.param(f"[x]({DATA_HTML})", id="md-link-data-html"),
    pytest.param("[x](vbscript:msgbox(1))", id="md-link-vbscript"),
    pytest.param("![x](javascript:alert(1))", id="md-image-javascript"),
    pytest.param("![x](https://tracker.example/pixel.gif)", id="md-image-tracking-pixel"),
    pytest.param("[x][ref]\n\n[ref]: javascript:alert(1)", id="md-reference-link-javascript"),
    pytest.param("[x][ref]\n\n[ref]: JAVASCRIPT:alert(1) 'title'", id="md-reference-link-javascript-upper"),
    pytest.param("![x][img]\n\n[img]: javascript:alert(1)", id="md-reference-image-javascript"),
    pytest.param("<javascript:alert(1)>", id="md-autolink-javascript"),
    pytest.param('[x](https://ok.example "a\\" onmouseover=\\"alert(1))', id="md-link-title-breakout"),
    # SVG and MathML
    pytest.param("<svg><script>alert(1)</script></svg>", id="svg-script"),
    pytest.param(
        '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>', id="svg-xlink-javascript"
    ),
    pytest.param("<svg><animate onbegin=alert(1) attributeName=x dur=1s>", id="svg-animate-onbegin"),
    pytest.param("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", id="mathml-mglyph-style"),
    pytest.param('<math href="javascript:alert(1)">click</math>', id="mathml-href-javascript"),
    pytest.param(
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
        id="mathml-maction",
    ),
    # CSS injection
    pytest.param("<style>body{background:url(javascript:alert(1))}</style>", id="style-tag"),
    pytest.param("<style>@import 'https://evil.example/x.css';</style>", id="style-import"),
    pytest.param('<p style="background:url(javascript:alert(1))">x</p>', id="style-attr-url"),
    pytest.param('<a href="https://ok.example" style="position:fixed;inset:0">x</a>', id="style-attr-overlay"),
    pytest.param('<div style="width: expression(alert(1))">x</div>', id="style-attr-expression"),
    # embedding and navigation
    pytest.param('<iframe src="javascript:alert(1)"></iframe>', id="iframe-javascript"),
    pytest.param('<iframe srcdoc="<script>alert(1)</script>"></iframe>', id="iframe-srcdoc"),
    pytest.param('<object data="javascript:alert(1)"></object>', id="object-data"),
    pytest.param('<embed src="javascript:alert(1)">', id="embed-src"),
    pytest.param('<form action="javascript:alert(1)"><input type=submit></form>', id="form-action"),
    pytest.param("<form><button formaction=javascript:alert(1)>x</button></form>", id="button-formaction"),
    pytest.param('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', id="meta-refresh"),
    pytest.param('<base href="javascript:alert(1)//">', id="base-href"),
    pytest.param('<link rel=stylesheet href="javascript:alert(1)">', id="link-stylesheet"),
    # comments and parser confusion
    pytest.param('<!--<img src="--><img src=x onerror=alert(1)//">', id="comment-breakout"),
    pytest.param("<!-- --!><script>alert(1)</script> -->", id="comment-bang-close"),
    pytest.param("<!--[if gte IE 4]><script>alert(1)</script><![endif]-->", id="conditional-comment"),
    pytest.param('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', id="noscript-mxss"),
    pytest.param("<textarea><img src=x onerror=alert(1)></textarea>", id="textarea-rcdata"),
    pytest.param("<table><td><img src=x onerror=alert(1)></td></table>", id="table-foster-parenting"),
    pytest.param("| a |\n|---|\n| <img src=x onerror=alert(1)> |", id="md-table-cell-img"),
    pytest.param("*[HTML]: <script>alert(1)</script>\n\nHTML", id="md-abbr-definition-script"),
    # attribute-breaking quotes
    pytest.param('"><script>alert(1)</script>', id="quote-break-double"),
    pytest.param("'><img src=x onerror=alert(1)>", id="quote-break-single"),
    pytest.param("<a title='x' href='https://ok.example'\" onclick=\"alert(1)'>x</a>", id="quote-mismatch"),
    pytest.param('<abbr title="x&quot; onmouseover=&quot;alert(1)">x</abbr>', id="entity-quote-in-title"),
    pytest.param('<a href="https://ok.example/"onclick="alert(1)">x</a>', id="attr-no-space"),
    pytest.param('<a href=https://ok.example/ onmouseover=alert(1)//">x</a>', id="attr-unquoted-breakout"),
]


class TagCollector(HTMLParser):
    """Every start tag with its attributes. With posts_only, only those inside the post body regions."""

    def __init__(self, *, posts_only: bool = False):
        super().__init__(convert_charrefs=True)
        self.posts_only = posts_only
        self.depth = 0  # <div> nesting inside a post region; 0 means outside
        self.regions = 0
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.tags.append((tag, attrs))
            if tag == "div":
                self.depth += 1
        elif tag == "div" and "post-text" in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.regions += 1
        elif not self.posts_only:
            self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth or not self.posts_only:
            self.text.append(data)


def collect(markup: str, *, posts_only: bool = False) -> TagCollector:
    parser = TagCollector(posts_only=posts_only)
    parser.feed(markup)
    parser.close()
    return parser


def href_scheme(value: str | None) -> str:
    """The scheme a browser would use for this attribute value (the parser already decoded entities once).

    Decoded once more (double-encoded entities count as an attack too), then normalized the way the
    WHATWG URL parser does it: leading and trailing C0 controls and spaces dropped, every tab and
    newline removed. Relative URLs resolve against a forum page, so they count as https.
    """
    value = html.unescape(value or "").strip(C0_AND_SPACE)
    value = re.sub(r"[\t\n\r]", "", value)
    return urlsplit(urljoin(PAGE_URL, value)).scheme.lower()


def problems(tags) -> list[str]:
    """Everything executable or off the allow-list among tags that came from user content."""
    found = []
    for tag, attrs in tags:
        names = [name.lower() for name, _ in attrs]
        if tag in FORBIDDEN_TAGS:
            found.append(f"forbidden tag <{tag}>")
        elif tag not in ALLOWED_TAGS:
            found.append(f"tag <{tag}> is not on the allow-list")
        found += [f"event handler {name}= on <{tag}>" for name in names if name.startswith("on")]
        if "style" in names:
            found.append(f"style= on <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        found += [f"attribute {name}= on <{tag}>" for name in names if name not in allowed | {"style"}]
        for name, value in attrs:
            if name.lower() in URL_ATTRIBUTES and href_scheme(value) not in SAFE_SCHEMES:
                found.append(f"{name}={value!r} on <{tag}> uses scheme {href_scheme(value)!r}")
        if tag == "a" and dict(attrs).get("rel") != REL:
            found.append(f"link without rel={REL!r}: {attrs!r}")
    return found


def danger_signature(markup: str) -> Counter:
    """What on a whole page could run script or leave the allowed schemes, counted."""
    signature = Counter()
    for tag, attrs in collect(markup).tags:
        if tag in FORBIDDEN_TAGS:
            signature[f"<{tag}>"] += 1
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on") or name == "style":
                signature[f"{name}="] += 1
            if name in URL_ATTRIBUTES and href_scheme(value) not in SAFE_SCHEMES:
                signature[f"{name}={href_scheme(value)}:"] += 1
    return signature


@pytest.fixture
def staff(db):
    client = Client()
    client.force_login(UserFactory(is_staff=True, password=None))
    return client


@pytest.fixture
def tag_pk(db):
    return Tag.objects.order_by("pk").values_list("pk", flat=True).first()


_baselines: dict[str, Counter] = {}


@pytest.fixture
def baseline(staff, tag_pk) -> dict[str, Counter]:
    """Each page's danger signature for a harmless body: the same in every test, so asked once."""
    if not _baselines:
        _, pages = ask_and_render(Client(), staff, body=HARMLESS_BODY, tag_pk=tag_pk)
        _baselines.update({name: danger_signature(markup) for name, markup in pages.items()})
    return _baselines


def ask_and_render(visitor, staff, *, body: str, tag_pk: int) -> tuple[Question, dict[str, str]]:
    """Ask as a visitor, follow to the key page, and open the (pending) thread as staff."""
    token = new_form_token()
    data = {"title": TITLE, "body": body, "tags": [tag_pk], "form_token": token}
    key_page = visitor.post(ASK_URL, data, follow=True)
    assert key_page.status_code == 200, key_page.content.decode()[:2000]
    assert key_page.redirect_chain and key_page.redirect_chain[-1][0].startswith("/questions/key/")
    question = Question.objects.get(submission_hash=sha256_hex(token))
    thread = staff.get(question.get_absolute_url())
    assert thread.status_code == 200
    return question, {"key page": key_page.content.decode(), "thread page (staff)": thread.content.decode()}


# --- the preview endpoint ----------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_previews_nothing_executable(visitor, payload):
    response = visitor.post(PREVIEW_URL, {"content": INTRO + payload})
    assert response.status_code == 200
    markup = response.content.decode()
    assert "Some harmless words first" in markup
    assert problems(collect(markup).tags) == []


def test_it_answers_405_to_a_preview_get(visitor):
    assert visitor.get(PREVIEW_URL, {"content": "<script>alert(1)</script>"}).status_code == 405


def test_it_previews_missing_content_as_an_empty_200(visitor):
    response = visitor.post(PREVIEW_URL, {})
    assert response.status_code == 200
    assert response.content == b""


# --- the ask form, stored and shown -------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_stores_and_shows_nothing_executable_from_the_ask_form(visitor, staff, tag_pk, baseline, payload):
    question, pages = ask_and_render(visitor, staff, body=INTRO + payload, tag_pk=tag_pk)

    assert question.body == INTRO + payload  # the source is kept as written; only the HTML is cleaned
    assert problems(collect(question.body_html).tags) == []
    for name, markup in pages.items():
        post = collect(markup, posts_only=True)
        assert post.regions == 1, name
        assert "Some harmless words first" in "".join(post.text), name
        assert problems(post.tags) == [], name
        assert danger_signature(markup) == baseline[name], name


def test_it_escapes_markup_in_the_title(visitor, staff, tag_pk, baseline):
    token = new_form_token()
    title = "Why does <script>alert(1)</script> appear here?"
    data = {"title": title, "body": HARMLESS_BODY, "tags": [tag_pk], "form_token": token}
    key_page = visitor.post(ASK_URL, data, follow=True)
    question = Question.objects.get(submission_hash=sha256_hex(token))
    thread = staff.get(question.get_absolute_url())
    for name, markup in {"key page": key_page.content.decode(), "thread page (staff)": thread.content.decode()}.items():
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup, name
        assert danger_signature(markup) == baseline[name], name


# --- safe markup still works, and the checker really checks -------------------------------


def test_it_keeps_safe_links_with_rel(visitor):
    content = (
        "[site](https://example.org/a) and <http://example.org/b> and <a href='mailto:help@example.org'>mail</a>"
        " and [ref][r]\n\n[r]: HTTPS://example.org/c"
    )
    tags = collect(visitor.post(PREVIEW_URL, {"content": content}).content.decode()).tags
    links = [dict(attrs) for tag, attrs in tags if tag == "a"]
    assert [link["href"] for link in links] == [
        "https://example.org/a",
        "http://example.org/b",
        "mailto:help@example.org",
        "HTTPS://example.org/c",
    ]
    assert all(link["rel"] == REL for link in links)
    assert problems(tags) == []


def test_it_has_a_checker_that_catches_unsanitized_markup():
    raw = (
        '<img src=x onerror=alert(1)><a href="java&#x09;script:alert(1)">a</a><a href=" JaVaScRiPt:x">b</a>'
        '<a href="&amp;#106;avascript:x" rel="nofollow ugc noopener">c</a><p style="color:red">d</p>'
        '<a href="https://ok.example">e</a><svg><a xlink:href="data:text/html,x">f</a></svg>'
    )
    found = problems(collect(raw).tags)
    assert "forbidden tag <img>" in found
    assert "event handler onerror= on <img>" in found
    assert "style= on <p>" in found
    assert "forbidden tag <svg>" in found
    assert sum("uses scheme 'javascript'" in problem for problem in found) == 3
    assert any("uses scheme 'data'" in problem for problem in found)
    assert any(problem.startswith("link without rel") and "ok.example" in problem for problem in found)
    assert problems(collect('<p>x <a href="/questions/" rel="nofollow ugc noopener">y</a></p>').tags) == []
    assert danger_signature(raw)["<img>"] == 1
