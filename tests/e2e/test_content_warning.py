"""Content warnings: the body stays collapsed until the reader opens it, and opening it shifts nothing above."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, NOJS, PHONE
from tests.factories import UserFactory, make_answer, make_question

BODY = "Something hard to read about what happened, shown only when the reader chooses."


@pytest.mark.parametrize("mode", [DESKTOP, PHONE, NOJS], ids=["desktop", "phone", "nojs"])
def test_it_opens_a_content_warning_without_shifting_what_came_before(mode, open_page, screenshot):
    question = make_question(title="A question behind a content warning", body=BODY, content_warnings=["sexual-trauma"])
    make_answer(question=question, author=UserFactory())
    page = open_page(mode)
    page.goto(question.get_absolute_url())

    summary = page.locator("details.content-warning > summary")
    expect(summary).to_contain_text("Content warning: Sexual trauma")
    expect(page.get_by_text(BODY)).to_be_hidden()  # collapsed until the reader opens it
    details = page.locator("details.content-warning")
    expect(details).not_to_have_attribute("open", "")

    anchors = [page.locator("#question-title"), summary]
    before = [a.bounding_box() for a in anchors]
    summary.focus()
    page.keyboard.press("Enter")  # keyboard-operable: a native <details> disclosure
    expect(page.get_by_text(BODY)).to_be_visible()
    after = [a.bounding_box() for a in anchors]
    assert before == after, "opening the warning moved the title or the warning itself"
    screenshot(page, "opened")
