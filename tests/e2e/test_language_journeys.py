"""The interface in Spanish and in Arabic, in a real browser (issue 16).

A visitor opens the home page in English, picks a language with the footer's switcher (a form of
buttons: no JavaScript needed), asks a question, lands on the private page, comes back to it later
in another browser session that kept only the language cookie, and reads an expert's answer there
and on the thread: every page in the chosen language (`<html lang>`), with JavaScript on and off,
on a desktop and a phone (no sideways scrolling). In Arabic the page is right to left
(`<html dir="rtl">`) and the layout mirrors (logical CSS properties in static/css/): the brand
sits at the right edge, the navigation at the left, labels align to the right over their fields.
axe finds nothing serious or critical in either language, light and dark, at 1280 and 390 px.

What base.html says (the navigation, the footer, the switcher) is checked word for word; the
pages' own headings against the catalog's translation (`translated`, which fails when a string
has none). Selectors use ids, names and roles whose names do not change with the language.
"""

import itertools
import re
import time
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import expect

from forum.questions.models import Question
from forum.questions.services import question_publish
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import describe, serious_violations
from tests.factories import UserFactory, make_answer, make_expert, make_question

KEY_URL = re.compile(r"/questions/key/[A-Za-z0-9_-]{22}/$")
EDGE = 48  # px: "at the edge" = within the page's padding (1 rem) and a little more


@dataclass(frozen=True)
class Language:
    code: str
    rtl: bool
    name: str  # the switcher's button: the language's own name, the same in every interface language
    ask: str  # base.html, already translated: the navigation's "Ask a question"
    main_nav: str  # the main navigation's label
    legend: str  # the switcher's legend ("Language")
    guidelines: str  # the footer's first link
    skip: str  # the skip link
    title: str
    body: str
    answer: str

    def __str__(self) -> str:  # test names and screenshot files carry the code only
        return self.code


SPANISH = Language(
    code="es",
    rtl=False,
    name="Español",
    ask="Haz una pregunta",
    main_nav="Principal",
    legend="Idioma",
    guidelines="Normas de la comunidad",
    skip="Ir al contenido",
    title="¿Es normal llorar después del sexo, aunque haya ido bien?",
    body="Me pasa casi siempre, incluso cuando todo va bien con mi pareja. No sé a quién preguntárselo y me preocupa.",
    answer="Sí, es más común de lo que parece y tiene nombre: disforia poscoital. Hablarlo con tu pareja ayuda mucho.",
)
ARABIC = Language(
    code="ar",
    rtl=True,
    name="العربيّة",
    ask="اطرح سؤالًا",
    main_nav="الرئيسية",
    legend="اللغة",
    guidelines="إرشادات المجتمع",
    skip="انتقل إلى المحتوى",
    title="هل من الطبيعي البكاء بعد الجنس حتى عندما يكون جيدًا؟",
    body="يحدث هذا في كل مرة تقريبًا، حتى عندما يكون كل شيء على ما يرام مع شريكي. لا أعرف من أسأل وهذا يقلقني.",
    answer="نعم، هذا شائع أكثر مما تظن، وله اسم: اكتئاب ما بعد الجماع. التحدث عنه مع شريكك يساعد كثيرًا.",
)
LANGUAGES = pytest.mark.parametrize("language", [SPANISH, ARABIC], ids=["es", "ar"])


@pytest.fixture(scope="session")
def axe():
    return Axe()


# --- what every page in a language shows -----------------------------------------------------


def assert_in_language(page, language: Language) -> None:
    """<html lang dir> and base.html's words in `language`; no sideways scrolling (phones)."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language.code)
    expect(html).to_have_attribute("dir", "rtl" if language.rtl else "ltr")
    assert page.evaluate("getComputedStyle(document.body).direction") == ("rtl" if language.rtl else "ltr")
    nav = page.get_by_role("navigation", name=language.main_nav)
    expect(nav.get_by_role("link", name=language.ask, exact=True)).to_be_visible()
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name=language.guidelines)).to_be_visible()
    current = footer.get_by_role("group", name=language.legend).get_by_role("button", name=language.name)
    expect(current).to_have_attribute("aria-current", "true")
    expect(page.locator(".skip-link")).to_have_text(language.skip)
    if page.e2e_mode.js:  # the scripts' catalog is the page's language (static/js call gettext())
        catalog = page.locator("script[src*='/jsi18n/']").get_attribute("src")
        assert catalog.endswith(f"/jsi18n/{language.code}.js"), catalog
        assert page.evaluate("typeof gettext") == "function"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"sideways scroll on {page.url}"


def text_box(locator) -> dict:
    """Where a element's text is drawn (not its box, which a block stretches across the line)."""
    return locator.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; }"
    )


def assert_header_mirrored(page, rtl: bool) -> None:
    """The brand at the start edge (right in Arabic), the navigation after it (to its left)."""
    width = page.viewport_size["width"]
    brand = page.locator(".site-header .brand").bounding_box()
    nav = page.locator(".site-nav").bounding_box()
    first_link = page.locator(".site-nav li:first-child a").bounding_box()
    brand_right = brand["x"] + brand["width"]
    if rtl:
        assert brand_right >= width - EDGE, f"the brand is not at the right edge: {brand}"
    else:
        assert brand["x"] <= EDGE, f"the brand is not at the left edge: {brand}"
    if page.e2e_mode.phone:  # the navigation wraps under the brand, starting from the same edge
        assert nav["y"] >= brand["y"] + brand["height"] - 1
        if rtl:
            assert first_link["x"] + first_link["width"] >= width - EDGE, f"first link not at the right: {first_link}"
        else:
            assert first_link["x"] <= EDGE, f"first link not at the left: {first_link}"
    elif rtl:
        assert nav["x"] <= EDGE and nav["x"] + nav["width"] < brand["x"], f"nav {nav} not left of the brand {brand}"
    else:
        assert nav["x"] + nav["width"] >= width - EDGE and nav["x"] > brand_right, f"nav {nav} not right of {brand}"


def assert_label_over_its_field(page, field_id: str, rtl: bool) -> None:
    """A form's label starts where its field starts: the right edge in Arabic, the left otherwise."""
    label = text_box(page.locator(f"label[for='{field_id}']"))
    field = page.locator(f"#{field_id}").bounding_box()
    field_right = field["x"] + field["width"]
    if rtl:
        assert abs(label["right"] - field_right) <= 2, f"label {label} not right-aligned over {field}"
        assert label["left"] > field["x"] + 20
    else:
        assert abs(label["left"] - field["x"]) <= 2, f"label {label} not left-aligned over {field}"
        assert label["right"] < field_right - 20


def translated(code: str, text: str, plural: str | None = None, count: int = 1, **values) -> str:
    """The catalog's translation of `text` (a test fails if there is none), as the page shows it."""
    with translation.override(code):
        shown = translation.ngettext(text, plural, count) if plural else translation.gettext(text)
    assert shown != text, f"{text!r} has no {code} translation"
    return shown % values if values else shown


def language_cookie(context) -> dict:
    cookies = [c for c in context.cookies() if c["name"] == "language"]
    assert len(cookies) == 1, context.cookies()
    return cookies[0]


# --- the journey ----------------------------------------------------------------------------


@LANGUAGES
def test_a_visitor_switches_language_asks_and_reads_the_answer(mode, language, open_page, url, screenshot):
    page = open_page(mode)

    # English to start with (no cookie, the browser asks for English); the switcher in the footer.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    switcher = page.get_by_role("contentinfo").get_by_role("group", name="Language")
    expect(switcher.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    with page.expect_navigation():
        switcher.get_by_role("button", name=language.name).click()

    # The same address, now in the language: the choice is a cookie, never a part of the URL.
    expect(page).to_have_url(url("/"))
    assert_in_language(page, language)
    assert_header_mirrored(page, language.rtl)
    cookie = language_cookie(page.context)
    assert cookie["value"] == language.code
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert cookie["expires"] > time.time() + 300 * 24 * 3600  # kept for a year, not for the session
    screenshot(page, f"home-{language.code}")

    # To the ask form through the (translated) navigation.
    page.get_by_role("navigation", name=language.main_nav).get_by_role("link", name=language.ask, exact=True).click()
    expect(page).to_have_url(url("/questions/ask/"))
    assert_in_language(page, language)
    assert_label_over_its_field(page, "id_title", language.rtl)
    assert_label_over_its_field(page, "id_body", language.rtl)
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(language.code, "Ask a question"))
    expect(page.locator("#ask-tips")).to_have_text(translated(language.code, "Before you post"))
    page.locator("#id_title").fill(language.title)
    page.locator("#id_body").fill(language.body)
    page.locator("input[name='tags']").first.check()
    page.locator("form.ask-form button[type='submit']:not([name='preview'])").click()

    # The private page, in the language.
    expect(page).to_have_url(KEY_URL)
    assert_in_language(page, language)
    link = page.locator("#key-url").inner_text().strip()
    assert link == page.url
    expect(page.get_by_role("heading", name=language.title)).to_be_visible()
    expect(page.locator("#key-heading")).to_have_text(translated(language.code, "Your private question page"))
    expect(page.locator("#key-keep-heading")).to_have_text(
        translated(language.code, "Keep this link: it is the only way back")
    )
    question = Question.objects.get()
    assert question.title == language.title and question.status == Question.Status.PENDING
    assert question.language == language.code  # the asker's interface language, by default
    screenshot(page, f"key-{language.code}")

    # Another tab of the same browser: the cookie keeps the language on any page.
    tab = page.context.new_page()
    tab.e2e_mode = mode
    tab.goto("/questions/")
    assert_in_language(tab, language)
    tab.close()

    # Later, another session of the same browser: the session is gone, the language cookie is kept.
    later = open_page(mode)
    later.context.add_cookies([cookie])
    later.goto(link)
    expect(later).to_have_url(link)
    assert_in_language(later, language)
    expect(later.get_by_role("heading", name=language.title)).to_be_visible()

    # A moderator publishes the question and an expert answers it.
    question_publish(question=question)
    expert = make_expert(UserFactory(username="dr-lucia"), title="Sexóloga clínica")
    make_answer(question=question, author=expert, body=language.answer)

    # The visitor reads the answer through the private link, then on the thread.
    later.goto(link)
    assert_in_language(later, language)
    expect(later.get_by_text(language.answer)).to_be_visible()
    later.locator(f"a[href='{question.get_absolute_url()}']").first.click()
    expect(later).to_have_url(url(question.get_absolute_url()))
    assert_in_language(later, language)
    expect(later.locator("#question-title")).to_have_text(language.title)
    expect(later.get_by_text(language.answer)).to_be_visible()
    expect(later.locator(".answer-expert")).to_be_visible()
    one_answer = translated(language.code, "%(counter)s answer", "%(counter)s answers", 1, counter=1)
    expect(later.locator("#answers-heading")).to_contain_text(one_answer)
    screenshot(later, f"thread-{language.code}")

    # Someone with no language cookie gets the same (cached) thread in English, and our visitor
    # still gets it in their language: one cached page per language.
    stranger = open_page(mode)
    stranger.goto(question.get_absolute_url())
    expect(stranger.locator("html")).to_have_attribute("lang", "en")
    expect(stranger.get_by_text(language.answer)).to_be_visible()
    later.reload()
    assert_in_language(later, language)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_arabic_layout_mirrors_the_english_one(open_page, url, viewport):
    """Bounding boxes: what is on the left in English is on the right in Arabic, and the other way round."""
    question = make_question(title="Is it okay to ask my partner to slow down?")
    page = open_page(viewport)
    for language, rtl in (("en", False), ("ar", True)):
        page.context.add_cookies([{"name": "language", "value": language, "url": url("/")}])
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if rtl else "ltr")
        assert_header_mirrored(page, rtl)
        page.goto("/questions/ask/")
        assert_label_over_its_field(page, "id_title", rtl)
        page.goto(f"/questions/key/{question.key}/")
        panel = page.locator(".key-panel")
        bar_side = "right" if rtl else "left"  # the panel's coloured bar is on the start side
        assert panel.evaluate(f"el => getComputedStyle(el).border{bar_side.title()}Width") == "4px"
        # A link reads left to right even in Arabic.
        assert page.locator("#key-url").evaluate("el => getComputedStyle(el).direction") == "ltr"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# --- the switcher: keyboard, screen readers, phones -----------------------------------------


@LANGUAGES
def test_the_switcher_works_from_the_keyboard(mode, language, open_page, url):
    """Tab from the footer's last link reaches the switcher's buttons; Enter on one switches, on any page."""
    page = open_page(mode)
    page.goto("/questions/ask/")
    page.get_by_role("contentinfo").get_by_role("link").last.focus()
    names = []
    for _ in range(3):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const el = document.activeElement;"
            " return {form: !!el.closest('.language-switcher'), name: el.textContent.trim(),"
            " outline: getComputedStyle(el).outlineStyle, lang: el.lang}; })()"
        )
        assert focused["form"], focused
        assert focused["outline"] != "none", f"no visible focus on {focused['name']}"
        names.append((focused["name"], focused["lang"]))
    assert names == [("English", "en"), ("Español", "es"), ("العربيّة", "ar")]  # each read in its own language
    page.get_by_role("contentinfo").get_by_role("button", name=language.name).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(url("/questions/ask/"))  # back on the page the visitor was on
    assert_in_language(page, language)
    # And back to English with the same switcher, now labelled in the language.
    with page.expect_navigation():
        page.get_by_role("group", name=language.legend).get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert language_cookie(page.context)["value"] == "en"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@LANGUAGES
def test_the_switcher_fits_a_phone_and_reads_in_both_directions(open_page, url, viewport, language):
    page = open_page(viewport)
    page.context.add_cookies([{"name": "language", "value": language.code, "url": url("/")}])
    page.goto("/")
    group = page.get_by_role("group", name=language.legend)
    legend = page.locator(".language-switcher legend").bounding_box()
    buttons = [group.get_by_role("button", name=name).bounding_box() for name in ("English", "Español", "العربيّة")]
    width = viewport.width
    for box in [legend, *buttons]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{box} outside the {width} px page"
    smallest = 44 if viewport.phone else 24  # px: a finger on a touch screen, else WCAG 2.5.8's minimum
    assert all(box["height"] >= smallest for box in buttons), f"buttons smaller than {smallest} px: {buttons}"
    # The legend first, then the buttons in order, from the start edge (the right in Arabic).
    row = [legend, *buttons]
    if language.rtl:
        assert all(a["x"] > b["x"] for a, b in itertools.pairwise(row)), row
    else:
        assert all(a["x"] < b["x"] for a, b in itertools.pairwise(row)), row
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# --- axe ------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@LANGUAGES
def test_axe_finds_nothing_serious_in_the_language(open_page, url, axe, viewport, color_scheme, language):
    """Home, the ask form (and with errors), a private page and an answered thread, in the language."""
    question = make_question(title=language.title, body=language.body)
    make_answer(question=question, author=make_expert(UserFactory(username="dr-lucia")), body=language.answer)
    pending = make_question(title=language.title + " (2)", body=language.body, status="pending")
    page = open_page(viewport)
    page.emulate_media(color_scheme=color_scheme)
    page.context.add_cookies([{"name": "language", "value": language.code, "url": url("/")}])
    problems = []
    for path in ("/", "/questions/ask/", f"/questions/key/{pending.key}/", question.get_absolute_url(), "ask-errors"):
        if path == "ask-errors":
            page.goto("/questions/ask/")
            page.locator("#id_title").fill("¿?")
            page.locator("form.ask-form button[type='submit']:not([name='preview'])").click()
            expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")
        else:
            page.goto(path)
        assert_in_language(page, language)
        violations = serious_violations(axe, page)
        if violations:
            problems.append(f"{page.url}:\n{describe(violations)}")
    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)
