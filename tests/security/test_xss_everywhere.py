"""XSS everywhere: every field a person can type into, shown on every page (and feed and email) that shows it.

The corpus is the 80 payloads of tests/questions/test_sanitizer.py plus the ones below (CSS, MathML,
entity and case tricks, vbscript:, attribute breaking, template-injection look-alikes, script/JSON
break-outs, unicode tricks, very long attribute values): 80 + EXTRA_PAYLOADS.

How a page is judged (`page_issues`), always against the *same page* built from harmless values
(the "baseline" world: same number of questions, answers, experts, flags, … so the same markup):

- the checker of test_sanitizer: `danger_signature` (script/iframe/svg/form/… tags, on*= and style=
  attributes, non-http(s)/mailto URLs — counted) must equal the baseline's, and `problems()` must
  find nothing inside the post bodies (`div.post-text`);
- every (tag, attribute) pair on the page is either on the baseline page or on the sanitizer's
  allow-list (`ALLOWED_TAGS` / `ALLOWED_ATTRIBUTES`);
- every <script> is either `src=` under our /static/ or `type` application/json / application/ld+json,
  and no attribute starts with "on", no URL attribute uses javascript:, data: or vbscript:;
- every JSON-LD block parses (`json.loads`), and names the question exactly as stored;
- the question's <h1> reads exactly the stored title (escaped once, not zero or two times).

Fields and where they are checked: question title and body, answer body, topic description (set
through the ORM as an admin would), expert title, credentials and bio (expert_apply, then expert_verify
by a moderator), report note (flag_create), reject and hide reasons, the search box, display names
(every payload refused by the validator and by the real signup form; odd-but-valid names shown on every
page that names a member), an expert's website (the one typed URL that becomes an href), and every
form that comes back with an error holding what was typed.

Feeds are parsed with xml.etree: the element set must match the baseline feed's, no element may come
from a payload, and each item's title/description (RSS) and summary (Atom, type="html") — which
readers treat as HTML — must hold no markup at all once the XML is decoded; an Atom title is
type text. Emails: plain text that quotes no post, and no HTML alternative with live markup.

To keep the run short, the payloads are cut into groups of GROUP_SIZE; one test per group builds one
world in which every payload of the group sits in every field (one question per payload for the
titles, one expert per payload for the professional title, …) and renders every page once. The number
of payload × field × page checks is collected in LEDGER and printed at the end of the module.
"""

import functools
import html
import json
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client, TestCase

from accounts.forms import ExpertApplicationForm
from accounts.models import User
from accounts.services import expert_apply, expert_verify
from forum.answers.services import answer_post
from forum.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from forum.moderation.services import flag_create, post_hide, question_reject, user_suspend
from forum.questions.models import Question, Tag
from forum.questions.search import clean_query
from tests.factories import UserFactory, log_in, make_question
from tests.questions.test_sanitizer import (
    PAYLOADS as SANITIZER_PAYLOADS,
)
from tests.questions.test_sanitizer import (
    URL_ATTRIBUTES,
    TagCollector,
    collect,
    danger_signature,
    href_scheme,
    problems,
)

pytestmark = pytest.mark.django_db

LONG = "A" * 3000
EXTRA_PAYLOADS = [
    # CSS injection
    ("css-style-breakout", "</style><script>alert(1)</script>"),
    ("css-expression-style-tag", "<style>*{width:expression(alert(1))}</style>"),
    ("css-expression-comment-split", '<p style="width:expr/**/ession(alert(1))">x</p>'),
    ("css-import-text", "@import url(javascript:alert(1)); body{behavior:url(x.htc)}"),
    ("css-svg-style-img", "<svg><style><img src=x onerror=alert(1)></style></svg>"),
    # MathML
    ("mathml-mi-xlink", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    (
        "mathml-mglyph-comment-mxss",
        '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1'
        '&Tab;onerror=alert(1)&gt;">',
    ),
    ("mathml-annotation-xml", '<math><annotation-xml encoding="text/html"><script>alert(1)</script></annotation-xml>'),
    # entities and case
    ("entity-encoded-script", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("entity-decimal-img", "&#60;img src=x onerror=alert(1)&#62;"),
    (
        "entity-href-no-semicolons",
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
        '&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    ),
    ("entity-double-encoded", '<a href="&amp;#106;avascript:alert(1)">x</a>'),
    ("case-img-javascript", "<IMG SRC=JaVaScRiPt:alert('XSS')>"),
    # vbscript:
    ("vbscript-upper-link", '<a href="VBSCRIPT:msgbox(1)">x</a>'),
    ("vbscript-md-mixed-case", "[x](VbScRiPt:msgbox(1))"),
    # attribute-breaking quotes
    ("quote-svg-onload", '"><svg/onload=alert(1)>'),
    ("quote-single-onmouseover", "'onmouseover='alert(1)"),
    ("quote-double-autofocus", '" onfocus="alert(1)" autofocus="'),
    ("quote-title-single", '<a href="https://ok.example" title="x\' onmouseover=\'alert(1)">x</a>'),
    ("quote-md-autolink", '<https://ok.example/"onmouseover="alert(1)>'),
    ("quote-md-link-url", '[x](https://ok.example/"onmouseover="alert(1))'),
    # template-injection look-alikes
    ("template-django-expression", "{{7*7}} {{ request.META }} {{ settings.SECRET_KEY }}"),
    ("template-django-debug-tag", "{% debug %}{% load log %}{% get_admin_log 10 as log %}"),
    ("template-other-engines", "${7*7} #{7*7} <%= 7*7 %> {{constructor.constructor('alert(1)')()}}"),
    # script / JSON break-outs
    ("json-script-breakout", "</script><script>alert(1)</script>"),
    ("json-string-breakout", '"}]}</script><script>alert(1)</script>'),
    ("json-comment-breakout", "<!--<script>alert(1)</script>-->"),
    ("xml-cdata-breakout", "]]><script>alert(1)</script><![CDATA["),
    ("xml-cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    # unicode tricks
    ("unicode-line-separators", "x\u2028</script>\u2029<script>alert(1)</script>"),
    ("unicode-rtl-override", "\u202egnp.exe<script>alert(1)</script> [safe](https://ok.example/\u202etxt.exe)"),
    ("unicode-zero-width", "<scr\u200bipt>alert(1)</scr\u200bipt> [x](java\u200bscript:alert(1))"),
    ("unicode-fullwidth", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    ("unicode-utf7", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
    # very long values
    ("long-attribute-value", f'<a href="https://ok.example/" title="{LONG}" onclick="alert(1)">x</a>'),
    ("long-href-javascript", f'<a href="javascript:alert(1)//{LONG}">x</a>'),
    # odds and ends
    ("custom-element-onclick", "<x-widget onclick=alert(1)>x</x-widget>"),
    ("comment-unbalanced", "--><script>alert(1)</script><!--"),
    ("md-code-span", "`<script>alert(1)</script>` and ```\n<img src=x onerror=alert(1)>\n```"),
    ("iframe-data-url", '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>'),
]
PAYLOADS: list[tuple[str, str]] = [(param.id, param.values[0]) for param in SANITIZER_PAYLOADS] + EXTRA_PAYLOADS
GROUP_SIZE = 12
FILLER = "filler"  # ids of the harmless values that pad the last group to GROUP_SIZE


def _groups() -> list[list[tuple[str, str]]]:
    groups = [PAYLOADS[i : i + GROUP_SIZE] for i in range(0, len(PAYLOADS), GROUP_SIZE)]
    groups[-1] += [(f"{FILLER}-{n}", f"Plain filler words {n}") for n in range(GROUP_SIZE - len(groups[-1]))]
    return groups


GROUPS = _groups()
GROUP_PARAMS = [pytest.param(g, id=f"group{n}-{g[0][0]}") for n, g in enumerate(GROUPS)]

INTRO = "Some harmless words first, long enough for the form.\n\n"
ANSWER_INTRO = "A careful answer with enough words.\n\n"
MARK = "Quokka"  # in every title of a world: what /search/?q= looks for
STATIC_URL = "/static/"
SAFE_SCRIPT_TYPES = {"application/json", "application/ld+json"}
SCRIPT_SCHEMES = {"javascript", "data", "vbscript"}  # never in a URL attribute (others: see danger_signature)
NEVER_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}

# field -> the page kinds that show it (checked on the baseline world: the harmless value is visible there)
FIELD_PAGES = {
    "title": ["home", "list", "search results", "rss", "atom", "thread", "key page (rejected)", "key page (hidden)",
              "tag page", "topic feed", "profile", "moderation queue (pending)", "moderation queue"],
    "body": ["thread", "key page (rejected)", "key page (hidden)", "search results", "rss", "atom",
             "moderation queue (pending)"],
    "answer": ["thread", "moderation queue"],
    "topic": ["tag page", "topics", "topic feed"],
    "expert_title": ["experts", "profile", "thread", "moderation experts (pending)", "moderation experts (verified)"],
    "credentials": ["profile", "moderation experts (pending)"],
    "bio": ["profile"],
    "note": ["moderation queue"],
    "reject_reason": ["key page (rejected)", "moderation log"],
    "hide_reason": ["key page (hidden)", "moderation log"],
}  # fmt: skip
# Outgoing email (a new answer to a member's question) is checked too; it must show none of these.
EMAIL_FIELDS = ("title", "body", "answer")
PER_ITEM_PAGES = {"thread", "key page (rejected)", "key page (hidden)", "tag page", "topic feed", "profile"}
FEEDS = {"rss", "atom", "topic feed"}

# (payload id, field, page kind) for every check made; printed at the end of the module.
LEDGER: set[tuple[str, str, str]] = set()


@pytest.fixture(scope="module", autouse=True)
def report_counts(request):
    started = time.perf_counter()
    yield
    if not LEDGER:
        return
    corpus = {entry for entry in LEDGER if ":" not in entry[0]}  # not the display names and URLs
    others = LEDGER - corpus
    payloads, fields, pages = ({entry[n] for entry in corpus} for n in range(3))
    pairs = {(f, g) for _, f, g in corpus}
    line = (
        f"\n[xss everywhere] {len(payloads)} payloads × {len(fields)} fields × {len(pages)} pages "
        f"({len(pairs)} field/page pairs): {len(corpus)} payload×field×page checks; plus {len(others)} checks "
        f"of {len({e[0] for e in others})} odd display names and website URLs; {time.perf_counter() - started:.1f}s"
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    # Hundreds of requests from one test client: the limits are tested elsewhere.
    settings.RATELIMIT_ENABLE = False
    settings.ACCOUNT_RATE_LIMITS = False


# --- the checker ------------------------------------------------------------------------------


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
        elif src is not None and src.startswith(STATIC_URL) and kind in ("", "text/javascript", "module"):
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


# --- one world: every value of a group in every field ------------------------------------------


@dataclass
class Item:
    tag: Tag
    expert: User
    question: Question | None = None  # asked by a member as Anonymous: its answer sends an email
    rejected: Question | None = None  # asked by a visitor: has a key page
    hidden: Question | None = None  # asked by a visitor: has a key page


@dataclass
class World:
    items: list[Item] = field(default_factory=list)
    pages: dict[tuple[str, int | None], str] = field(default_factory=dict)  # (kind, item index or None) -> body
    emails: list = field(default_factory=list)


_serial = iter(range(10**9))


def title_for(i: int, value: str) -> str:
    return f"{MARK} {i} asks {value}"[:150]


def build_world(value: Callable[[str, int], str], size: int, moderator) -> World:
    """Everything a person can type, filled with value(field, i), through the services; then every page."""
    world = World()
    visitor, staff = Client(), Client()
    log_in(staff, moderator)
    reporter, asker = UserFactory(password=None), UserFactory(password=None)
    n = next(_serial)
    applications = []
    for i in range(size):
        tag = Tag(name=f"Topic {n}-{i}", slug=f"topic-{n}-{i}", description=value("topic", i)[:300])
        tag.full_clean()  # as the admin form would
        tag.save()
        expert = UserFactory(password=None)
        applications.append(
            expert_apply(
                user=expert,
                title=value("expert_title", i)[:80],
                credentials=value("credentials", i)[:2000],
                licence_number="SX-1",
                licence_body="Board of Sexology",
                jurisdiction="Netherlands",
                bio=(INTRO + value("bio", i))[:2000],
                areas=[tag],
            )
        )
        world.items.append(Item(tag=tag, expert=expert))
    world.pages["moderation experts (pending)", None] = get(staff, "/moderation/experts/")
    for item, profile in zip(world.items, applications, strict=True):
        expert_verify(moderator=moderator, profile=profile)
        Authenticator.objects.create(user=item.expert, type=Authenticator.Type.TOTP, data={"secret": "unused"})
    outbox = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the new-answer emails go out
        for i, item in enumerate(world.items):
            title, body = title_for(i, value("title", i)), INTRO + value("body", i)
            item.question = make_question(author=asker, title=title, body=body, tags=[item.tag])
            answer = answer_post(question=item.question, author=item.expert, body=ANSWER_INTRO + value("answer", i))
            flag_create(post=answer, reason="other", note=value("note", i), reporter=reporter)
            item.rejected = make_question(title=title, body=body, tags=[item.tag], status="pending")
            item.hidden = make_question(title=title, body=body, tags=[item.tag])
            post_hide(moderator=moderator, post=item.hidden, reason=value("hide_reason", i))
    world.emails = mail.outbox[outbox:]
    world.pages["moderation queue (pending)", None] = get(staff, "/moderation/")
    for i, item in enumerate(world.items):
        question_reject(moderator=moderator, question=item.rejected, reason=value("reject_reason", i))

    for kind, url in [("home", "/"), ("list", "/questions/"), ("topics", "/tags/"), ("experts", "/experts/"),
                      ("search results", f"/search/?q={MARK}"), ("rss", "/feeds/latest/"),
                      ("atom", "/feeds/latest/atom/")]:  # fmt: skip
        world.pages[kind, None] = get(visitor, url)
    for kind, url in [("moderation experts (verified)", "/moderation/experts/"), ("moderation queue", "/moderation/"),
                      ("moderation log", "/moderation/log/")]:  # fmt: skip
        world.pages[kind, None] = get(staff, url)
    for i, item in enumerate(world.items):
        world.pages["thread", i] = get(visitor, item.question.get_absolute_url())
        world.pages["key page (rejected)", i] = get(visitor, f"/questions/key/{item.rejected.key}/")
        world.pages["key page (hidden)", i] = get(visitor, f"/questions/key/{item.hidden.key}/")
        world.pages["tag page", i] = get(visitor, item.tag.get_absolute_url())
        world.pages["topic feed", i] = get(visitor, f"/feeds/tags/{item.tag.slug}/")
        world.pages["profile", i] = get(visitor, f"/users/{item.expert.username}/")
    return world


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


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def harmless(field_name: str, i: int) -> str:
    return f"plain{field_name.replace('_', '')}{i}z"


_baseline: dict[str, World] = {}


@pytest.fixture
def baseline_world(moderator_user) -> World:
    """The world built from harmless values, once per run; built in a savepoint that is rolled back."""
    if "world" not in _baseline:
        with transaction.atomic():
            world = build_world(harmless, GROUP_SIZE, moderator_user)
            transaction.set_rollback(True)
        # Each field's harmless value really is on each page said to show it.
        texts = {key: text_of(page) for key, page in world.pages.items()}
        for field_name, kinds in FIELD_PAGES.items():
            for kind in kinds:
                for i in range(GROUP_SIZE):
                    page = texts[kind, i if kind in PER_ITEM_PAGES else None]
                    assert harmless(field_name, i) in page, (field_name, kind, i)
        # Pages of one kind are alike: one baseline per kind will do.
        for (kind, i), page in world.pages.items():
            if i and kind not in FEEDS:
                assert danger_signature(page) == danger_signature(world.pages[kind, 0]), kind
        _baseline["world"] = world
    return _baseline["world"]


# --- the tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("group", GROUP_PARAMS)
def test_it_shows_every_typed_field_on_every_page_without_executable_markup(group, moderator_user, baseline_world):
    world = build_world(lambda field_name, i: group[i][1], len(group), moderator_user)

    issues = []
    for (kind, i), page in world.pages.items():
        base = baseline_world.pages[kind, 0 if i is not None else None]
        where = f"{kind} [{group[i][0]}]" if i is not None else kind
        found = feed_issues(page, base, kind) if kind in FEEDS else page_issues(page, base)
        issues += [f"{where}: {issue}" for issue in found]
    rss, atom = (xml_root(world.pages[kind, None]) for kind in ("rss", "atom"))
    for i, item in enumerate(world.items):
        payload_id, title = group[i][0], item.question.title
        for kind in ("thread", "key page (rejected)", "key page (hidden)"):
            h1, _ = question_markup(world.pages[kind, i])
            if h1 is None or " ".join(h1.split()) != " ".join(title.split()):
                issues.append(f"{kind} [{payload_id}]: the <h1> reads {h1!r}, not the stored title")
        _, ld = question_markup(world.pages["thread", i])
        if len(ld) != 1 or not ld[0] or ld[0]["mainEntity"]["name"] != title:
            issues.append(f"thread [{payload_id}]: JSON-LD does not carry the title intact: {ld!r}")
        # RSS titles are escaped once more for readers that render them as HTML; Atom titles are text.
        if html.escape(title, quote=False) not in [el.text for el in rss.iter("title")]:
            issues.append(f"rss [{payload_id}]: no item title reads the stored title")
        if title not in [el.text for el in atom.iter("{http://www.w3.org/2005/Atom}title")]:
            issues.append(f"atom [{payload_id}]: no entry title reads the stored title")
    assert len(world.emails) == len(group)
    for message in world.emails:
        issues += email_issues(message, [payload for _, payload in group])
    assert issues == [], "\n".join(issues)

    for payload_id, _ in group:
        if not payload_id.startswith(FILLER):
            LEDGER.update((payload_id, f, kind) for f, kinds in FIELD_PAGES.items() for kind in kinds)
            LEDGER.update((payload_id, f, "email") for f in EMAIL_FIELDS)


@pytest.mark.parametrize("group", GROUP_PARAMS)
def test_it_echoes_the_search_box_as_text(group, visitor):
    """The search box, echoed in the page title, the heading, both inputs and the "search everything" link."""
    baselines = {flag: get(visitor, f"/search/?q=plainquery{flag}") for flag in ("", "&expert=1")}
    issues = []
    for payload_id, payload in group:
        for flag in ("", "&expert=1"):
            response = visitor.get("/search/", {"q": payload, **({"expert": "1"} if flag else {})})
            assert response.status_code == 200, payload_id
            page = response.content.decode()
            issues += [f"{payload_id}{flag}: {issue}" for issue in page_issues(page, baselines[flag])]
            inputs = [dict(attrs) for tag, attrs in collect(page).tags if tag == "input"]
            echoed = {a.get("id"): a.get("value") for a in inputs if a.get("name") == "q"}
            wanted = clean_query(payload)
            if echoed != {"site-search": wanted, "search-q": wanted}:
                issues.append(f"{payload_id}{flag}: the search inputs hold {echoed!r}")
        if not payload_id.startswith(FILLER):
            LEDGER.update({(payload_id, "search box", "search page"), (payload_id, "search box", "search (expert)")})
    assert issues == [], "\n".join(issues)


@pytest.mark.parametrize("group", GROUP_PARAMS)
def test_it_refuses_every_payload_as_a_display_name(group, visitor):
    """The model's validator and the real signup form refuse each; the re-shown form runs nothing."""
    users_before = User.objects.count()
    baseline = post_signup(visitor, "a b", 0).content.decode()
    issues = []
    for n, (payload_id, payload) in enumerate(group, start=1):
        with pytest.raises(ValidationError) as refused:
            User(username=payload, email=f"refused{n}@example.com").full_clean(exclude=["password"])
        assert "username" in refused.value.error_dict, payload_id
        response = post_signup(visitor, payload, n)
        assert response.status_code == 200, payload_id  # the form again, with the error
        page = response.content.decode()
        assert "errorlist" in page, payload_id
        issues += [f"signup [{payload_id}]: {issue}" for issue in page_issues(page, baseline)]
        if not payload_id.startswith(FILLER):
            LEDGER.add((payload_id, "display name", "signup form (refused)"))
    assert issues == [], "\n".join(issues)
    assert User.objects.count() == users_before
    assert not mail.outbox


def post_signup(client: Client, username: str, n: int):
    password = "a long enough passphrase 42"
    return client.post(
        "/accounts/signup/",
        {"email": f"signup{n}@example.com", "username": username, "password1": password, "password2": password},
    )


ODD_NAMES = [
    "onerror", "onload.alert1", "javascript.x1", "data.text.html", "vbscript", "x--y", "a.b-c_d", "0.0",
    "lt.script.gt", "amp.quot", "constructor", "toString", "srcdoc", "Zz9", "A" + "b" * 28 + "C",
]  # fmt: skip


def test_it_shows_odd_but_valid_display_names_as_text(moderator_user):
    """Names the validator accepts but that look like markup, handlers or schemes: shown everywhere as text."""
    for name in ODD_NAMES:
        User(username=name, email=f"{name}@example.com").full_clean(
            exclude=["password"]
        )  # valid, or this test is wrong

    def build(names):
        visitor, staff = Client(), Client()
        log_in(staff, moderator_user)
        tag = Tag.objects.order_by("pk").first()
        helper = UserFactory(password=None)
        users = []
        for name in names:
            user = UserFactory(username=name, password=None)
            users.append(user)
            profile = expert_apply(user=user, title="Clinical sexologist", credentials="MSc", licence_number="1",
                                   licence_body="Board", jurisdiction="NL", areas=[tag])  # fmt: skip
            expert_verify(moderator=moderator_user, profile=profile)
            asked = make_question(author=user, anonymous=False, title=f"Asked by a member with a name {len(users)}")
            answer = answer_post(question=make_question(title=f"A thread {name} answers here"), author=user,
                                 body="A kind and careful answer with enough words in it.")  # fmt: skip
            answer_post(question=asked, author=helper, body="Another careful answer with enough words.")
            flag_create(post=answer, reason="spam", reporter=helper)
        pages = {
            "home": get(visitor, "/"),
            "list": get(visitor, "/questions/"),
            "experts": get(visitor, "/experts/"),
            "rss": get(visitor, "/feeds/latest/"),
            "atom": get(visitor, "/feeds/latest/atom/"),
            "moderation queue": get(staff, "/moderation/"),
            "moderation experts": get(staff, "/moderation/experts/"),
        }
        for user in users:
            user_suspend(moderator=moderator_user, user=user, days=1, reason="For the log")
        pages["moderation log"] = get(staff, "/moderation/log/")
        for n, user in enumerate(users):
            pages[f"profile {n}"] = get(visitor, f"/users/{user.username}/")
            asked = Question.objects.get(author=user, is_anonymous=False)
            pages[f"thread (asked) {n}"] = get(visitor, asked.get_absolute_url())
            answered = Question.objects.get(answers__author=user)
            pages[f"thread (answered) {n}"] = get(visitor, answered.get_absolute_url())
        return pages

    with transaction.atomic():
        base = build([f"plainname{n}" for n in range(len(ODD_NAMES))])
        transaction.set_rollback(True)
    pages = build(ODD_NAMES)

    issues = []
    for kind, page in pages.items():
        found = feed_issues(page, base[kind], kind) if kind in ("rss", "atom") else page_issues(page, base[kind])
        issues += [f"{kind}: {issue}" for issue in found]
    for n, name in enumerate(ODD_NAMES):
        assert name in pages[f"profile {n}"], name
        _, ld = question_markup(pages[f"thread (asked) {n}"])
        assert ld[0]["mainEntity"]["author"]["name"] == name
        names = [a["author"]["name"] for a in ld[0]["mainEntity"].get("suggestedAnswer", [])]
        _, ld_answered = question_markup(pages[f"thread (answered) {n}"])
        names += [a["author"]["name"] for a in ld_answered[0]["mainEntity"].get("suggestedAnswer", [])]
        assert name in names
    assert issues == [], "\n".join(issues)
    pages_per_name = {k.rsplit(" ", 1)[0] if k[-1].isdigit() else k for k in pages}
    LEDGER.update((f"name:{name}", "display name (valid)", kind) for name in ODD_NAMES for kind in pages_per_name)


URL_PAYLOADS = [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
    'https://ok.example/"onmouseover="alert(1)', "https://ok.example/'><script>alert(1)</script>",
    "https://ok.example/\u202etxt.exe", "//evil.example/x", "https:javascript:alert(1)", "ftp://ok.example/x",
    "https://ok.example/#{{7*7}}", 'https://ok.example/?q="><svg/onload=alert(1)>',
]  # fmt: skip


def test_it_never_links_an_expert_website_to_script(moderator_user):
    """The website of an expert is the one typed URL that becomes an href (profile, moderation desk)."""
    tag = Tag.objects.order_by("pk").first()
    staff = Client()
    log_in(staff, moderator_user)
    fields = {"title": "Therapist", "credentials": "MSc", "licence_number": "1", "licence_body": "Board",
              "jurisdiction": "NL"}  # fmt: skip
    accepted, issues = [], []
    for url in URL_PAYLOADS:
        # As typed into the application form (which may add https://), and as given to the service directly.
        form = ExpertApplicationForm({**fields, "website": url, "areas": [tag.pk]})
        tries = [form.cleaned_data["website"]] if form.is_valid() else []
        for website in [*tries, url]:
            user = UserFactory(password=None)
            try:
                with transaction.atomic():
                    profile = expert_apply(user=user, website=website, areas=[tag], **fields)
            except ValidationError:
                continue
            accepted.append((len(accepted), website, user, profile))
    pending = get(staff, "/moderation/experts/")
    issues += [f"moderation experts: {issue}" for issue in executable_markup(pending)]
    for _, url, user, profile in accepted:
        expert_verify(moderator=moderator_user, profile=profile)
        page = get(Client(), f"/users/{user.username}/")
        issues += [f"profile [{url!r}]: {issue}" for issue in executable_markup(page)]
        links = [dict(a).get("href") for tag_name, a in collect(page).tags if tag_name == "a"]
        assert profile.website in links, url  # the website is really linked: the check above saw it
    assert issues == [], "\n".join(issues)
    assert [url for _, url, _, _ in accepted], "at least the https look-alikes are accepted and checked"
    LEDGER.update((f"url:{n}", "expert website", kind) for n, *_ in accepted for kind in ("profile", "mod experts"))


@pytest.mark.parametrize("group", GROUP_PARAMS)
def test_it_keeps_typed_text_inert_when_a_form_comes_back_with_errors(group, member, moderator):
    """Each form shown again after an error keeps what was typed: as text, never as markup.

    One POST per form and group: the group's payloads joined, in every text field of the form (a
    value over the length limit is still shown again, so nothing needs cutting).
    """
    thread = make_question(title="A published thread for the forms")
    answer = answer_post(question=thread, author=UserFactory(password=None), body="An answer to report here.")
    visitor = Client()

    forms = {  # name: (send(text), status, fields) — each misses something, so the form comes back
        "ask form": (lambda text: visitor.post("/questions/ask/", {"title": f"{MARK} asks {text}",
                     "body": INTRO + text, "form_token": "A" * 22}), 200, ("title", "body")),  # no topic
        "expert application": (lambda text: member.post("/experts/apply/", {"title": text, "credentials": text,
                               "licence_number": "1", "licence_body": "Board", "jurisdiction": "NL", "bio": text}),
                               200, ("expert_title", "credentials", "bio")),  # no area
        "report form": (lambda text: visitor.post(f"/report/answer/{answer.pk}/", {"note": text}), 200,
                        ("note",)),  # no reason
        "answer form": (lambda text: member.post(f"/questions/{thread.pk}/answer/", {"body": text + LONG * 7}),
                        400, ("answer",)),  # over 20,000 characters
        "moderator edit": (lambda text: moderator.post(f"/moderation/question/{thread.pk}/edit/",
                           {"title": text, "body": text}), 200, ("title", "body")),  # no reason
    }  # fmt: skip
    joined = "\n\n".join(payload for _, payload in group)
    harmless_text = " ".join(["plain words"] * (len(joined) // 12 + 1))  # as long: the same length errors
    issues = []
    for form_name, (send, status, fields) in forms.items():
        baseline, response = send(harmless_text), send(joined)
        assert (baseline.status_code, response.status_code) == (status, status), form_name
        page = response.content.decode()
        assert "errorlist" in page or "form-errors" in page, form_name
        issues += [f"{form_name}: {issue}" for issue in page_issues(page, baseline.content.decode())]
        assert "plain words plain words" in html.unescape(baseline.content.decode()), form_name  # it is shown again
        LEDGER.update((payload_id, f, f"{form_name} (with errors)") for payload_id, _ in group for f in fields
                      if not payload_id.startswith(FILLER))  # fmt: skip
    assert issues == [], "\n".join(issues)
    assert not Question.objects.filter(title__startswith=MARK).exists()


def test_it_keeps_markup_out_of_the_topic_feed_channel(visitor):
    """Topic descriptions (typed by an admin) as the channel description of the topic's RSS feed."""
    issues = []
    for n, (payload_id, payload) in enumerate(PAYLOADS):
        tag = Tag(name=f"Channel topic {n}", slug=f"channel-topic-{n}", description=payload[:300])
        tag.full_clean()
        tag.save()
        raw = get(visitor, f"/feeds/tags/{tag.slug}/")
        issues += [f"topic feed [{payload_id}]: {issue}" for issue in feed_channel_issues(raw)]
        LEDGER.add((payload_id, "topic", "topic feed (channel)"))
    assert issues == [], "\n".join(issues)


def test_it_has_a_corpus_of_at_least_a_hundred_distinct_payloads():
    ids = [payload_id for payload_id, _ in PAYLOADS]
    assert len(SANITIZER_PAYLOADS) == 80
    assert len(EXTRA_PAYLOADS) >= 20
    assert len(set(ids)) == len(ids) >= 100
    assert len({payload for _, payload in PAYLOADS}) == len(PAYLOADS)
    assert all(len(group) == GROUP_SIZE for group in GROUPS)


def test_it_has_a_checker_that_catches_what_it_should():
    page = (
        '<html><head><script type="application/ld+json">{"a": </script>'
        '<script src="/static/js/x.js">alert(1)</script><script src="https://cdn.example/x.js"></script>'
        "</head><body><h1 id=question-title>T</h1><p onclick=x>y</p>"
        '<a href="vbscript:x">v</a><a href="java&#x09;script:x">j</a><a href="data:text/html,x">d</a>'
        '<meta http-equiv="refresh" content="0"><iframe src="/x"></iframe><script>alert(1)</script></body></html>'
    )
    found = "\n".join(executable_markup(page))
    for expected in ("JSON-LD does not parse", "inline code in <script src='/static/js/x.js'>",
                     "https://cdn.example/x.js", "event handler onclick=", "scheme 'vbscript'",
                     "scheme 'javascript'", "scheme 'data'", "<meta http-equiv=refresh>", "<iframe>",
                     "<script {}>"):  # fmt: skip
        assert expected in found, expected
    assert page_issues("<p>x</p><abbr title=y>z</abbr>", "<p>x</p>") == []
    assert page_issues("<p>x</p><span class=z>z</span>", "<p>x</p>") == [
        "new markup ('span', 'class') not on the allow-list",
        "new markup ('span', None) not on the allow-list",
    ]
    rss = "<rss><channel><item><title>&lt;b&gt;x</title><description>ok</description></item></channel></rss>"
    assert feed_issues(rss, rss, "rss") == ["rss: markup in an item title: [('b', [])]"]
    assert feed_issues("<rss><channel><item><title>&lt;b", rss, "rss")[0].startswith("rss is not well-formed")
