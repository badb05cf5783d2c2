"""A member asks anonymously, finds the question under "My questions" (only they see it there),
someone answers, the header says "1 unread", and the count clears once they mark it read.
With JavaScript and without: every step is a link or a form."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from forum.questions.models import Question
from tests.e2e.conftest import DESKTOP, NOJS
from tests.e2e.helpers import describe, serious_violations
from tests.factories import UserFactory, make_answer, make_question

TITLE = "Is it normal to feel nothing the first few times?"
BODY = "We take our time and it is kind, but I mostly feel nothing yet. Does that change with time?"
ANSWER = "Very common. Arousal is learned with a partner over time; go slowly and talk about what feels good."


@pytest.mark.parametrize("mode", [DESKTOP, NOJS], ids=["desktop", "nojs"])
def test_a_member_asks_anonymously_finds_it_in_their_space_and_reads_the_answer(
    mode, member_page, open_page, url, screenshot
):
    page, _ = member_page(mode, username="quiet-lark")
    page.goto("/questions/ask/")
    page.get_by_label("Your question").fill(TITLE)
    page.get_by_label("Details").fill(BODY)
    page.get_by_role("group", name="Topics").get_by_label("Relationships", exact=True).check()
    expect(page.get_by_label("Show me as “Anonymous”")).to_be_checked()  # the default
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Asked .* by Anonymous"))).to_be_visible()
    expect(page.get_by_role("button", name="Stop following this thread")).to_be_visible()  # asking follows

    # The name in the header leads to the member's own space, and on to "My questions".
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name=re.compile("unread"))).to_have_count(0)
    banner.get_by_role("link", name="quiet-lark").click()
    expect(page).to_have_url(url("/me/"))
    page.get_by_role("main").get_by_role("link", name="My questions").click()
    expect(page).to_have_url(url("/me/questions/"))
    mine = page.get_by_role("main").get_by_role("listitem").filter(has_text=TITLE)
    expect(mine.get_by_text("asked anonymously — only you see this")).to_be_visible()
    screenshot(page, "my-questions")

    # Nobody else finds it there: their list is their own.
    other_page, _ = member_page(mode, next_url="/me/questions/", username="nosy-wren")
    expect(other_page.get_by_role("heading", name="My questions")).to_be_visible()
    expect(other_page.get_by_text(TITLE)).to_have_count(0)

    # Someone answers: the header counts one unread notification.
    question = Question.objects.get(title=TITLE)
    answer = make_answer(question=question, author=UserFactory(), body=ANSWER)
    page.goto("/")
    notifications = page.get_by_role("banner").get_by_role("link", name="Notifications 1 unread")
    expect(notifications).to_be_visible()
    notifications.click()
    expect(page).to_have_url(url("/notifications/"))
    notice = page.get_by_role("main").get_by_role("listitem").filter(has_text="New answer on")
    expect(notice.get_by_role("link", name=TITLE)).to_have_attribute("href", f"/answers/{answer.pk}/")
    screenshot(page, "notifications")

    # Marked read: the count clears, and the notice still leads to the answer.
    page.get_by_role("button", name="Mark all 1 as read").click()
    expect(page).to_have_url(url("/notifications/"))
    expect(page.get_by_role("banner").get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(page.get_by_role("banner").get_by_text("unread")).to_have_count(0)
    page.get_by_role("main").get_by_role("link", name=TITLE).click()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    assert f"#answer-{answer.pk}" in page.url


@pytest.fixture(scope="module")
def axe():
    return Axe()


SPACE_PAGES = ["/me/", "/me/questions/", "/me/answers/", "/me/following/", "/notifications/",
               "/me/notifications/settings/"]  # fmt: skip


def test_the_member_space_has_no_serious_accessibility_violations(axe, member_page):
    page, member = member_page(DESKTOP)
    question = make_question(author=member, title=TITLE)
    make_answer(question=question, author=UserFactory(), body=ANSWER)
    make_answer(question=make_question(title="A thread the member answered once"), author=member)
    failures = {}
    for path in SPACE_PAGES:
        page.goto(path)
        found = serious_violations(axe, page)
        if found:
            failures[path] = describe(found)
    assert not failures, failures
