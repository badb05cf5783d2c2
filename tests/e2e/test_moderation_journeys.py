"""Moderation journeys: a moderator signs in with a password and an authenticator code, approves a
visitor's question; three members' reports hide an answer until a moderator restores it.

The moderator's journeys run on desktop, with and without JavaScript (the desk is not a phone tool).
"""

import re

import pytest
from playwright.sync_api import expect

from forum.answers.models import Answer
from forum.moderation.models import Flag, ModerationAction
from forum.questions.models import Question
from tests.e2e.conftest import DESKTOP, NOJS, PHONE
from tests.e2e.helpers import moderator_pages
from tests.factories import UserFactory, make_answer, make_question

DESK_MODES = pytest.mark.parametrize("mode", [DESKTOP, PHONE, NOJS], ids=["desktop", "phone", "nojs"])

PENDING_TITLE = "Is it okay to ask my partner to slow down?"
THREAD_TITLE = "How do I bring up using protection with a new partner?"
HELPER = "rudehelper"
ANSWER = "This answer says something hurtful that several readers find unacceptable here."


@pytest.fixture
def moderator_page(open_page):
    return moderator_pages(open_page)


@DESK_MODES
def test_a_moderator_signs_in_with_mfa_and_approves_a_visitors_question(
    mode, open_page, moderator_page, url, screenshot
):
    question = make_question(title=PENDING_TITLE, status="pending")
    assert question.author_id is None

    # Not yet approved: nobody else sees it.
    visitor = open_page(mode)
    visitor.goto("/questions/")
    expect(visitor.get_by_text(PENDING_TITLE)).to_have_count(0)

    page, _ = moderator_page(mode, next_url="/moderation/")
    expect(page).to_have_url(url("/moderation/"))
    expect(page.get_by_role("heading", name="Moderation", level=1)).to_be_visible()
    item = page.locator("#pending").get_by_role("article", name=PENDING_TITLE)
    expect(item).to_contain_text("a visitor")
    screenshot(page, "queue")
    with page.expect_navigation():
        item.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("#pending").get_by_role("article", name=PENDING_TITLE)).to_have_count(0)

    assert Question.objects.get(pk=question.pk).status == Question.Status.PUBLISHED
    visitor.goto("/questions/")
    expect(visitor.get_by_role("link", name=PENDING_TITLE)).to_be_visible()


def report_the_answer(page) -> None:
    """Through the UI: the Report link under the answer, a reason, Send report."""
    box = page.get_by_role("article", name=f"Answer by {HELPER}")
    box.get_by_role("link", name=re.compile(r"^Report")).click()
    expect(page.get_by_role("heading", name="Report an answer")).to_be_visible()
    page.get_by_label("Harassment or hate").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you. The moderators will look at your report.")).to_be_visible()


@DESK_MODES
def test_three_reports_hide_an_answer_until_a_moderator_restores_it(
    mode, open_page, member_page, moderator_page, screenshot
):
    question = make_question(title=THREAD_TITLE)
    answer = make_answer(question=question, author=UserFactory(username=HELPER), body=ANSWER)
    thread = question.get_absolute_url()

    visitor = open_page(mode)
    visitor.goto(thread)
    expect(visitor.get_by_text(ANSWER)).to_be_visible()

    for number in range(1, 4):
        page, _ = member_page(mode, next_url=thread)
        report_the_answer(page)
        if number < 3:
            assert Answer.objects.get(pk=answer.pk).status == Answer.Status.PUBLISHED
    assert Flag.objects.filter(answer=answer).count() == 3
    assert Answer.objects.get(pk=answer.pk).status == Answer.Status.HIDDEN

    visitor.goto(thread)
    expect(visitor.get_by_role("heading", name=THREAD_TITLE)).to_be_visible()
    expect(visitor.get_by_text(ANSWER)).to_have_count(0)

    desk, moderator = moderator_page(mode, next_url="/moderation/")
    item = desk.locator("#reported").get_by_role("article", name=re.compile(f"^Answer by {HELPER}"))
    expect(item).to_contain_text("Hidden")
    screenshot(desk, "reported")
    item.get_by_label("Reason for “Restore”").fill("Harsh, but within the guidelines.")
    with desk.expect_navigation():
        item.get_by_role("button", name="Restore", exact=True).click()
    assert Answer.objects.get(pk=answer.pk).status == Answer.Status.PUBLISHED

    visitor.goto(thread)
    expect(visitor.get_by_text(ANSWER)).to_be_visible()

    desk.goto("/moderation/log/")
    rows = desk.get_by_role("row")
    restored = rows.filter(has=desk.get_by_role("cell", name="Restored", exact=True))
    expect(restored).to_have_count(1)
    expect(restored).to_contain_text(moderator.username)
    expect(restored).to_contain_text(f"answer #{answer.pk}")
    expect(restored).to_contain_text("Harsh, but within the guidelines.")
    hidden = rows.filter(has=desk.get_by_role("cell", name="Hidden automatically by reports", exact=True))
    expect(hidden).to_have_count(1)
    expect(hidden).to_contain_text("automatic")
    expect(hidden).to_contain_text(f"answer #{answer.pk}")
    screenshot(desk, "log")
    kinds = set(ModerationAction.objects.filter(answer_id=answer.pk).values_list("kind", flat=True))
    assert {ModerationAction.Kind.AUTO_HIDE, ModerationAction.Kind.RESTORE} <= kinds
