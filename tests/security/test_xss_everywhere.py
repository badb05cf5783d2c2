"""XSS everywhere: every field a person can type into, shown on every page (and feed and email) that shows it.

The corpus is the 80 payloads of tests/questions/test_sanitizer.py plus the ones of
tests/security/xss/corpus.py (CSS, MathML, entity and case tricks, vbscript:, attribute breaking,
template-injection look-alikes, script/JSON break-outs, unicode tricks, very long attribute values):
80 + EXTRA_PAYLOADS. The checker is tests/security/xss/checker.py, the world tests/security/xss/world.py.

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

Fields and where they are checked: question title and body, answer body, clarifications (a member's
under the question, reported; the asker's under the answer), topic description (set
through the ORM as an admin would), expert title, credentials and bio (expert_apply, then expert_verify
by a moderator), report note (flag_create), reject and hide reasons, the search box, display names
(every payload refused by the validator and by the real signup form; odd-but-valid names shown on every
page that names a member), an expert's website (the one typed URL that becomes an href), and every
form that comes back with an error holding what was typed (the asker's email address on the ask form
and on the private page among them: never valid as an address, so only ever shown back to its typist).

Feeds are parsed with xml.etree: the element set must match the baseline feed's, no element may come
from a payload, and each item's title/description (RSS) and summary (Atom, type="html") — which
readers treat as HTML — must hold no markup at all once the XML is decoded; an Atom title is
type text. Emails: plain text that quotes no post, and no HTML alternative with live markup; the
experts' new-question emails and digest, which carry titles by design, are plain text only (no HTML
part), each title on its own line exactly as stored. A member's own space (notifications, my
questions, my answers, following) shows the titles like any page.

To keep the run short, the payloads are cut into groups of GROUP_SIZE; one test per group builds one
world in which every payload of the group sits in every field (one question per payload for the
titles, one expert per payload for the professional title, …) and renders every page once. The number
of payload × field × page checks is collected in LEDGER and printed at the end of the module.
"""

import html
import time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from accounts.models import User
from forum.desk.services import flag_create, user_suspend
from forum.people.forms import ExpertApplicationForm
from forum.people.services import expert_apply, expert_verify
from forum.questions.answer_services import answer_post
from forum.questions.models import Question, Tag
from forum.questions.search import clean_query
from tests.factories import UserFactory, log_in, make_question
from tests.questions.test_sanitizer import PAYLOADS as SANITIZER_PAYLOADS
from tests.questions.test_sanitizer import collect
from tests.security.xss.checker import (
    email_issues,
    executable_markup,
    feed_channel_issues,
    feed_issues,
    page_issues,
    question_markup,
    xml_root,
)
from tests.security.xss.corpus import (
    EXTRA_PAYLOADS,
    FILLER,
    GROUP_PARAMS,
    GROUP_SIZE,
    GROUPS,
    LONG,
    ODD_NAMES,
    PAYLOADS,
    URL_PAYLOADS,
)
from tests.security.xss.world import (
    EMAIL_FIELDS,
    FEEDS,
    FIELD_PAGES,
    INTRO,
    MARK,
    World,
    build_baseline,
    build_world,
    get,
    post_signup,
    title_for,
)

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def baseline_world(moderator_user) -> World:
    """The world built from harmless values, once per run; built in a savepoint that is rolled back."""
    return build_baseline(moderator_user)


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
    assert len(world.emails) == 2 * len(group)  # to the asker: each question's answer and its clarification
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
def test_it_echoes_a_corrected_search_as_text(group, visitor):
    """A misspelled word beside each payload: "Showing results for" (the corrected words marked)
    and the "Search instead for" link echo the payload as text (issue 17)."""
    make_question(title="Crying after sex, is it normal?")
    baseline = get(visitor, "/search/?q=cryng+or+plainquery")
    assert "Showing results for" in baseline
    issues = []
    for payload_id, payload in group:
        response = visitor.get("/search/", {"q": f"cryng or {payload}"})
        assert response.status_code == 200, payload_id
        issues += [f"{payload_id}: {issue}" for issue in page_issues(response.content.decode(), baseline)]
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
    own = answer_post(question=thread, author=member.user, body="The member's own answer, to edit.")
    visitor = Client()
    keyed = make_question(title="A visitor's question with a private page")

    forms = {  # name: (send(text), status, fields) — each misses something, so the form comes back
        "ask form": (lambda text: visitor.post("/questions/ask/", {"title": f"{MARK} asks {text}",
                     "body": INTRO + text, "form_token": "A" * 22, "asker_email": text}), 200,
                     ("title", "body", "asker_email")),  # no topic, no address
        "asker email form": (lambda text: visitor.post(f"/questions/{keyed.pk}/asker-email/",
                             {"key": keyed.key, "asker_email": text}), 200, ("asker_email",)),  # no address
        "link email form": (lambda text: visitor.post(f"/questions/{keyed.pk}/email-link/",
                            {"key": keyed.key, "link_email": text}), 400, ("link_email",)),  # no address
        "expert application": (lambda text: member.post("/experts/apply/", {"title": text, "credentials": text,
                               "licence_number": "1", "licence_body": "Board", "jurisdiction": "NL", "bio": text}),
                               200, ("expert_title", "credentials", "bio")),  # no area
        "report form": (lambda text: visitor.post(f"/report/answer/{answer.pk}/", {"note": text}), 200,
                        ("note",)),  # no reason
        "answer form": (lambda text: member.post(f"/questions/{thread.pk}/answer/", {"body": text + LONG * 7}),
                        400, ("answer",)),  # over 20,000 characters
        "answer edit": (lambda text: member.post(f"/answers/{own.pk}/edit/", {"body": text + LONG * 7}),
                        400, ("answer_edit",)),  # over 20,000 characters
        "clarification form": (lambda text: member.post(f"/questions/{thread.pk}/comment/", {"body": text + LONG}),
                               400, ("comment",)),  # over 600 characters
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


def test_it_sends_titles_to_experts_as_plain_text_only(moderator_user, django_capture_on_commit_callbacks):
    """The one email with a post's words in it (a title): text/plain, no HTML part, the title as stored."""
    from forum.core.text import clean_line
    from forum.questions.notice_emails import expert_digests_queue
    from forum.questions.preferences import preferences_set
    from tests.factories import make_expert

    tag = Tag.objects.order_by("pk").first()
    at_once, daily = make_expert(UserFactory(password=None)), make_expert(UserFactory(password=None))
    for expert in (at_once, daily):
        expert.expert_profile.areas.set([tag])
    preferences_set(user_id=at_once.pk, expert_questions="at_once")
    # As stored: forum.core.text.clean_line collapses a payload's tabs and newlines to spaces.
    titles = [clean_line(title_for(n, payload)) for n, (_, payload) in enumerate(PAYLOADS[:40])]
    with django_capture_on_commit_callbacks(execute=True):
        for title in titles:
            make_question(title=title, body=INTRO, tags=[tag])
    with django_capture_on_commit_callbacks(execute=True):
        assert expert_digests_queue() == 1
    digest = mail.outbox[-1]
    assert digest.to == [daily.email] and len(mail.outbox) == len(titles) + 1
    issues = []
    for message in mail.outbox:
        mime = message.message()
        if mime.is_multipart() or mime.get_content_type() != "text/plain" or getattr(message, "alternatives", []):
            issues.append(f"{message.subject}: not a plain-text-only email")
    for title, alert in zip(titles, mail.outbox, strict=False):
        if title not in alert.body.splitlines():
            issues.append(f"alert: the title is not on a line of its own as stored: {title[:40]!r}")
        if "<" in alert.subject:
            issues.append("markup in a subject")
    digest_lines = digest.body.splitlines()
    issues += [f"digest lacks {t[:40]!r}" for t in titles if f"- {t}" not in digest_lines]
    assert issues == [], "\n".join(issues)
    LEDGER.update((payload_id, "title", kind) for payload_id, _ in PAYLOADS[:40]
                  for kind in ("expert email", "expert digest"))  # fmt: skip


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
