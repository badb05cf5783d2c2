"""Issue 15's small things, in the browser: the header on one line at 1280 px when signed in (an
unread badge, a long name) and without sideways scrolling at 390 px, the focus on the error
summary after a failed submit, "Preview needs JavaScript" where there is none, a search highlight
that shows in both colour schemes, and axe on the pages these change, light and dark."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from forum.questions.models import Notification
from tests.e2e.conftest import DESKTOP, MODES, NOJS, PHONE
from tests.e2e.helpers import describe, serious_violations
from tests.factories import UserFactory, make_answer, make_question

LONG_NAME = "a-rather-long-username"  # 22 of the 30 characters a display name may have
SCHEMES = ["light", "dark"]


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def busy_member(member_page):
    """member_page(mode) -> page of a signed-in member with a long name and twelve unread notices."""

    def _busy(mode, scheme="light"):
        page, user = member_page(mode, username=LONG_NAME)
        for _ in range(12):
            Notification.objects.create(recipient=user, kind=Notification.Kind.EXPERT_DECISION, decision="verified")
        page.emulate_media(color_scheme=scheme)
        page.goto("/")
        expect(page.get_by_role("banner").get_by_role("link", name="Notifications 12 unread")).to_be_visible()
        return page

    return _busy


def header_lines(page) -> float:
    """How many rows the header's content takes: its height over that of its tallest item."""
    return page.evaluate(
        """() => {
            const inner = document.querySelector('.header-inner');
            const style = getComputedStyle(inner);
            const content = inner.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
            const items = [...inner.querySelectorAll('.brand, .header-search, .site-nav li')];
            const tallest = Math.max(...items.map(el => el.getBoundingClientRect().height));
            return content / tallest;
        }"""
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_header_fits_on_one_line_at_1280_px_when_signed_in(busy_member, scheme, screenshot):
    page = busy_member(DESKTOP, scheme)
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name=LONG_NAME)).to_be_visible()
    expect(banner.get_by_role("link", name="Ask Freely")).to_be_visible()  # the mark is decorative
    screenshot(page, scheme)
    lines = header_lines(page)
    assert lines < 1.5, f"the header takes {lines:.1f} rows at 1280 px"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_header_wraps_without_sideways_scrolling_on_a_phone(busy_member, scheme, screenshot):
    page = busy_member(PHONE, scheme)
    screenshot(page, scheme)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_be_in_viewport()
    expect(page.get_by_role("search").get_by_role("searchbox")).to_be_in_viewport()


@pytest.mark.parametrize("mode", MODES, ids=[m.name for m in MODES])
def test_a_failed_submit_moves_the_focus_to_the_error_summary(mode, open_page):
    page = open_page(mode)
    page.goto("/questions/ask/")
    page.get_by_label("Your question").fill("Help?")
    page.get_by_role("button", name="Post your question").click()
    summary = page.get_by_role("alert").filter(has_text="Please fix the problems marked below")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.get_by_label("Your question")).to_have_value("Help?")  # the text is kept


@pytest.mark.parametrize("mode", [DESKTOP, NOJS], ids=["desktop", "nojs"])
def test_a_failed_sign_in_moves_the_focus_to_the_error_summary(mode, open_page):
    page = open_page(mode)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password").fill("not-the-password-at-all")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_focused()


@pytest.mark.parametrize("mode", [DESKTOP, NOJS], ids=["desktop", "nojs"])
def test_the_preview_says_it_needs_javascript_only_without_it(mode, open_page):
    page = open_page(mode)
    page.goto("/questions/ask/")
    said = page.locator(".markdownx-preview").first.evaluate("el => getComputedStyle(el, '::before').content")
    if mode.js:
        assert "Preview appears here as you type" in said, said
    else:
        assert "Preview needs JavaScript" in said, said


def _luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_matches_are_highlighted_visibly(scheme, open_page, axe):
    make_question(
        title="How can we keep intimacy alive with a newborn at home?",
        body="We are both exhausted and intimacy feels like one more task. How do other parents manage it?",
    )
    page = open_page(DESKTOP)
    page.emulate_media(color_scheme=scheme)
    page.goto("/search/?q=intimacy")
    mark = page.locator("mark").first
    expect(mark).to_be_visible()
    colours = mark.evaluate(
        """el => [getComputedStyle(el).backgroundColor, getComputedStyle(document.body).backgroundColor,
                  getComputedStyle(el).boxShadow]"""
    )
    lighter, darker = sorted((_luminance(colours[0]), _luminance(colours[1])), reverse=True)
    ratio = (lighter + 0.05) / (darker + 0.05)
    assert ratio >= 1.25, f"the highlight {colours[0]} barely differs from the page {colours[1]} ({ratio:.2f})"
    assert colours[2] != "none", "the highlight has no underline"
    violations = serious_violations(axe, page)
    assert not violations, describe(violations)


PAGES = {
    "home": "/",
    "ask-errors": "/questions/ask/",
    "login": "/accounts/login/",
    "two-factor": "/accounts/2fa/",
    "password": "/accounts/password/change/",
}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("mode", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("target", PAGES)
def test_the_pages_this_changes_have_no_serious_accessibility_violations(target, mode, scheme, busy_member, axe):
    page = busy_member(mode, scheme)
    if target == "login":
        page.get_by_role("banner").get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(PAGES[target])
    if target == "ask-errors":
        page.get_by_label("Your question").fill("Help?")
        page.get_by_role("button", name="Post your question").click()
        expect(page.get_by_role("alert")).to_be_focused()
    if mode is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling"
    violations = serious_violations(axe, page)
    assert not violations, f"axe ({scheme}, {mode.name}) on {page.url}:\n{describe(violations)}"


@pytest.mark.parametrize("mode", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_long_answer_reads_comfortably(mode, open_page):
    question = make_question(title="How do we talk about what we each like in bed?")
    paragraph = "Start outside the bedroom, when you are both relaxed, and say what you enjoy first. " * 6
    make_answer(
        question=question,
        author=UserFactory(username="kind-writer"),
        body=f"### Where to start\n\n{paragraph}\n\n**A bold line** for comparison.\n\n{paragraph}",
    )
    page = open_page(mode)
    page.goto(question.get_absolute_url())
    text = page.get_by_role("article", name="Answer by kind-writer").locator(".post-text")
    expect(text).to_contain_text("Where to start")
    sizes = text.evaluate(
        """el => {
            const px = (node, prop) => parseFloat(getComputedStyle(node)[prop]);
            const h = el.querySelector('h3'), b = el.querySelector('strong');
            const sample = el.querySelector('p').textContent;
            const ctx = document.createElement('canvas').getContext('2d');
            ctx.font = getComputedStyle(el.querySelector('p')).font;
            const perLine = el.querySelector('p').clientWidth / (ctx.measureText(sample).width / sample.length);
            return {font: px(el, 'fontSize'), perLine, line: px(el, 'lineHeight'),
                    heading: px(h, 'fontSize'), headingWeight: px(h, 'fontWeight'),
                    bold: px(b, 'fontSize'), boldWeight: px(b, 'fontWeight')};
        }"""
    )
    assert sizes["font"] >= 16, sizes
    assert sizes["perLine"] <= 75, f"lines of about {sizes['perLine']:.0f} characters"
    if mode is DESKTOP:
        assert sizes["perLine"] >= 45, f"lines of about {sizes['perLine']:.0f} characters"
    assert sizes["line"] >= 1.5 * sizes["font"], sizes
    assert sizes["heading"] >= 1.15 * sizes["bold"] and sizes["headingWeight"] > sizes["boldWeight"], sizes
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
