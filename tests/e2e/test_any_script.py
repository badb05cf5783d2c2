"""Questions in any script in a real browser: asked in Russian and Chinese (JavaScript on and off,
desktop and phone), and a thread in Arabic with a Hebrew answer that reads right to left inside
the English page, with nothing serious for axe in either colour scheme."""

from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from forum.questions.models import Question, Tag
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import describe, serious_violations
from tests.factories import UserFactory, make_answer, make_question

ARABIC_TITLE = "هل من الطبيعي البكاء بعد الجنس؟"
ARABIC_BODY = "يحدث هذا في كل مرة تقريبًا، حتى عندما يكون كل شيء على ما يرام."
HEBREW_ANSWER = "זה נורמלי לגמרי, וזה קורה להרבה אנשים."


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def thread():
    question = make_question(title=ARABIC_TITLE, body=ARABIC_BODY, tags=[Tag.objects.get(slug="relationships")])
    make_answer(question=question, author=UserFactory(username="kind-reader"), body=HEBREW_ANSWER)
    return SimpleNamespace(question=question)


@pytest.mark.parametrize("title", ["Нормально ли плакать после секса?", "做爱后哭是正常的吗？"])
def test_a_visitor_asks_in_any_script(open_page, mode, title, settings):
    settings.FORUM_PREMODERATE_ANONYMOUS = False
    page = open_page(mode)
    page.goto("/questions/ask/")
    page.get_by_label("Your question").fill(title)
    page.get_by_label("Details").fill("Это случается почти каждый раз, даже когда всё хорошо. 几乎每次都会这样。")
    page.get_by_label("Relationships").check()
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_text("Save your private link")).to_be_visible()
    question = Question.objects.get()
    assert question.title == title
    page.goto(question.get_absolute_url())
    heading = page.locator("#question-title")
    expect(heading).to_have_text(title)
    expect(heading).to_have_attribute("dir", "auto")
    if mode.phone:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("where", ["thread", "list"])
def test_right_to_left_text_reads_right_and_passes_axe(open_page, thread, axe, viewport, color_scheme, where):
    page = open_page(viewport)
    page.emulate_media(color_scheme=color_scheme)
    page.goto(thread.question.get_absolute_url() if where == "thread" else "/questions/")
    title = page.locator("#question-title") if where == "thread" else page.get_by_role("link", name=ARABIC_TITLE)
    expect(title).to_have_text(ARABIC_TITLE)
    assert title.evaluate("el => getComputedStyle(el).direction") == "rtl"  # dir="auto" found Arabic
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"  # the page stays English
    if where == "thread":
        answer = page.get_by_text(HEBREW_ANSWER)
        assert answer.evaluate("el => getComputedStyle(el.closest('.post-text')).direction") == "rtl"
    if viewport.phone:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = serious_violations(axe, page)
    assert not violations, f"axe found serious or critical problems on {page.url}:\n{describe(violations)}"
