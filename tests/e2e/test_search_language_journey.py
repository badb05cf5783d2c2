"""Search in the language of each question, in a real browser: a visitor asks in Russian, says
so in the form, and finds the question by another form of its word; a Chinese draft gets a
similar title; the ask page with its language select passes axe in both colour schemes."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from forum.questions.models import Question
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import describe, serious_violations
from tests.factories import make_question

RUSSIAN_TITLE = "Нормально ли плакать после секса?"
CHINESE_TITLE = "做爱后哭是正常的吗？"


@pytest.fixture(scope="session")
def axe():
    return Axe()


def test_a_visitor_asks_in_russian_and_finds_it_by_another_form_of_the_word(open_page, mode, settings):
    settings.FORUM_PREMODERATE_ANONYMOUS = False
    page = open_page(mode)
    page.goto("/questions/ask/")
    language = page.get_by_label("Written in")
    expect(language).to_have_value("en")  # the interface language
    page.get_by_label("Your question").fill(RUSSIAN_TITLE)
    language.select_option("ru")
    page.get_by_label("Details").fill("Это случается почти каждый раз, даже когда всё хорошо.")
    page.get_by_label("Relationships").check()
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_text("Save your private link")).to_be_visible()
    assert Question.objects.get().language == "ru"
    page.goto("/search/?q=плакала")
    expect(page.get_by_role("link", name=RUSSIAN_TITLE)).to_be_visible()
    if mode.phone:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_chinese_draft_is_shown_a_similar_question(open_page, mode):
    make_question(title=CHINESE_TITLE, language="zh")
    page = open_page(mode)
    page.goto("/questions/ask/")
    page.get_by_label("Your question").fill("做爱以后哭正常吗？")
    if not mode.js:  # without JavaScript the button asks the server, keeping the draft
        page.get_by_role("button", name="Check for similar questions").click()
        expect(page.get_by_label("Your question")).to_have_value("做爱以后哭正常吗？")
    expect(page.locator("#similar-questions").get_by_role("link", name=CHINESE_TITLE)).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_ask_page_with_its_language_select_passes_axe(open_page, axe, viewport, color_scheme):
    page = open_page(viewport)
    page.emulate_media(color_scheme=color_scheme)
    page.goto("/questions/ask/")
    expect(page.get_by_label("Written in")).to_be_visible()
    if viewport.phone:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = serious_violations(axe, page)
    assert not violations, f"axe found serious or critical problems on {page.url}:\n{describe(violations)}"
