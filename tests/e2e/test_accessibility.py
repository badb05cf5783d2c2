"""Accessibility: axe-core (WCAG rules) finds nothing serious or critical on the pages people use,
in the light and the dark colour scheme, and keyboard focus is always visible."""

from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from forum.questions.asker_mail import asker_contact_set, stop_token
from forum.questions.models import Tag
from tests.e2e.conftest import DESKTOP
from tests.e2e.helpers import describe, serious_violations
from tests.factories import UserFactory, make_answer, make_question


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def content():
    """A forum with something on every page: a content-warned thread with answers, a plain one, a pending one."""
    relationships = Tag.objects.get(slug="relationships")
    warned = make_question(
        title="How do I feel safe being intimate again after an assault?",
        body="It happened two years ago. I have a kind partner now but I freeze when we get close.",
        tags=[relationships],
        content_warnings=["sexual-trauma"],
    )
    make_answer(
        question=warned, author=UserFactory(username="careful"), body="Go at your own pace; *you* set the pace."
    )
    make_answer(question=warned, author=UserFactory(username="listener"), body="A trauma-informed therapist can help.")
    make_question(title="Is it normal to want closeness but not sex?", tags=[relationships])
    pending = make_question(title="What should I say to my partner after a bad first time?", status="pending")
    return SimpleNamespace(warned=warned, pending=pending, tag=relationships)


def open_home(page, content):
    page.goto("/")


def open_question_list(page, content):
    page.goto("/questions/")


def open_thread(page, content):
    page.goto(content.warned.get_absolute_url())
    page.get_by_text("Show the question").click()  # open the content warning: audit the question too
    expect(page.get_by_text("I freeze when we get close")).to_be_visible()


def open_ask(page, content):
    page.goto("/questions/ask/")


def open_ask_with_errors(page, content):
    page.goto("/questions/ask/")
    page.get_by_label("Your question").fill("Help?")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_text("Please fix the problems marked below")).to_be_visible()


def open_key_page(page, content):
    page.goto(f"/questions/key/{content.pending.key}/")
    expect(page.get_by_text("Waiting for a moderator")).to_be_visible()


def open_key_page_with_email(page, content):
    asker_contact_set(question=content.pending, key=content.pending.key, email="a11y-asker@example.org")
    page.goto(f"/questions/key/{content.pending.key}/")
    expect(page.get_by_text("Emails go to the address you gave (hidden here)")).to_be_visible()


def open_asker_email_stop(page, content):
    contact = asker_contact_set(question=content.pending, key=content.pending.key, email="a11y-asker@example.org")
    page.goto(f"/questions/asker-email/stop/{stop_token(contact)}/")
    expect(page.get_by_role("button", name="Stop emails and erase my address")).to_be_visible()


def open_topics(page, content):
    page.goto("/tags/")


def open_topic(page, content):
    page.goto(content.tag.get_absolute_url())


def open_login(page, content):
    page.goto("/accounts/login/")


def open_signup(page, content):
    page.goto("/accounts/signup/")


PAGES = {
    "home": open_home,
    "questions": open_question_list,
    "thread": open_thread,
    "ask": open_ask,
    "ask-errors": open_ask_with_errors,
    "key": open_key_page,
    "key-with-email": open_key_page_with_email,
    "asker-email-stop": open_asker_email_stop,
    "topics": open_topics,
    "topic": open_topic,
    "login": open_login,
    "signup": open_signup,
}


# Pages with a known, not yet fixed violation: name -> reason (strict xfail, so a fix is noticed).
KNOWN: dict[str, str] = {}


@pytest.mark.parametrize("color_scheme", ["light", "dark"])  # static/css/site.css has a palette for each
@pytest.mark.parametrize(
    "target",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN[name])) if name in KNOWN else name
        for name in PAGES
    ],
)
def test_a_page_has_no_serious_accessibility_violations(target, color_scheme, axe, content, open_page, member_page):
    if target == "thread":
        page, _ = member_page(DESKTOP)  # a member sees the vote buttons and the answer form too
    else:
        page = open_page(DESKTOP)
    page.emulate_media(color_scheme=color_scheme)
    PAGES[target](page, content)
    violations = serious_violations(axe, page)
    assert not violations, f"axe found serious or critical problems on {page.url}:\n{describe(violations)}"


def test_keyboard_focus_is_visible(open_page, screenshot):
    page = open_page(DESKTOP)
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Tab")
    first = page.locator(":focus")  # the first link after the skip link (the site's name)
    html = first.evaluate("el => el.outerHTML")
    assert first.evaluate("el => el.tagName") == "A", f"expected a link to have the focus, not {html}"
    outline = first.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }")
    screenshot(page, "focus")
    assert outline[0] != "none", f"no focus outline on {html}"
    assert outline[1] != "0px", f"a zero-width focus outline on {html}"

    # The skip link moves the focus to the main content.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
