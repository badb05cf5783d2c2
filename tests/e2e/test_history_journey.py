"""Edits with history: a member edits their answer and its history shows the difference; a
moderator rolls a vandalised question back from its history page, and the log shows it.

Both run with and without JavaScript (the member's journey on a phone too)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from forum.desk import services as desk
from forum.moderation.models import ModerationAction
from forum.questions.models import Question
from tests.e2e.conftest import DESKTOP, NOJS, PHONE
from tests.e2e.helpers import describe, make_moderator, moderator_pages, serious_violations
from tests.factories import UserFactory, make_answer, make_question

TITLE = "How do I tell my partner I need more time before sex?"
BODY = "We have been together a month and I feel rushed. How do I say so kindly?"
FIRST = "Say it plainly and early: a caring partner will want to know how you feel."
SECOND = "Say it plainly and early, outside the bedroom: a caring partner will want to know how you feel."


@pytest.fixture
def moderator_page(open_page):
    return moderator_pages(open_page)


@pytest.mark.parametrize("mode", [DESKTOP, PHONE, NOJS], ids=["desktop", "phone", "nojs"])
def test_a_member_edits_their_answer_and_the_history_shows_the_change(mode, member_page, screenshot):
    question = make_question(title=TITLE, body=BODY, author=UserFactory())
    page, member = member_page(mode)
    answer = make_answer(question=question, author=member, body=FIRST)

    page.goto(question.get_absolute_url())
    card = page.get_by_role("article", name=f"Answer by {member.username}")
    expect(card.get_by_role("link", name="edited")).to_have_count(0)
    with page.expect_navigation():
        card.get_by_role("link", name="Edit your answer").click()
    expect(page.get_by_role("heading", name="Edit your answer")).to_be_visible()
    box = page.get_by_role("textbox", name="Your answer")
    expect(box).to_have_value(FIRST)
    box.fill(SECOND)
    with page.expect_navigation():
        page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your answer was updated.")).to_be_visible()
    card = page.get_by_role("article", name=f"Answer by {member.username}")
    expect(card).to_contain_text("outside the bedroom")

    with page.expect_navigation():
        card.get_by_role("link", name="edited").click()
    expect(page.get_by_role("heading", name="History of an answer")).to_be_visible()
    latest = page.locator("#version-2")
    expect(latest).to_contain_text("current")
    expect(latest).to_contain_text(f"By {member.username}")
    expect(latest.locator("ins")).to_contain_text("outside the bedroom")
    expect(page.locator("#version-1")).to_contain_text(FIRST)
    screenshot(page, "history")
    answer.refresh_from_db()
    assert answer.body == SECOND


@pytest.mark.parametrize("mode", [DESKTOP, NOJS], ids=["desktop", "nojs"])
def test_a_moderator_rolls_a_question_back_and_the_log_shows_it(mode, moderator_page, screenshot):
    question = make_question(title=TITLE, body=BODY)
    vandal = make_moderator("mod-vandal")
    desk.post_edit(moderator=vandal, post=question, body="Buy cheap things at a shop far away from here.",
                   reason="Tidying")  # fmt: skip

    page, moderator = moderator_page(mode, next_url=f"/questions/{question.pk}/history/")
    expect(page.get_by_role("heading", name="History of the question")).to_be_visible()
    original = page.locator("#version-1")
    expect(original).to_contain_text(BODY)
    expect(page.locator("#version-2")).to_contain_text("By a moderator")
    expect(page.locator("#version-2")).to_contain_text("Reason: Tidying")
    original.get_by_label("Reason for rolling back to version 1").fill("Undo an unhelpful edit")
    with page.expect_navigation():
        original.get_by_role("button", name="Roll back to version 1").click()
    expect(page.get_by_text("Done. The action is in the moderation log.")).to_be_visible()
    expect(page.locator("#version-3")).to_contain_text("current")
    expect(page.locator("#version-3")).to_contain_text("Reason: Undo an unhelpful edit")
    screenshot(page, "rolled-back")

    assert Question.objects.get(pk=question.pk).body == BODY
    action = ModerationAction.objects.get(kind="rollback")
    assert action.moderator_id == moderator.pk and action.question_id == question.pk
    page.goto("/moderation/log/")
    row = page.get_by_role("row").filter(has_text="Rolled a post back")
    expect(row).to_contain_text(f"question #{question.pk}")
    expect(row).to_contain_text("Undo an unhelpful edit")

    page.goto(question.get_absolute_url())
    expect(page.get_by_text(BODY)).to_be_visible()


def test_the_history_and_the_answer_edit_pages_have_no_serious_accessibility_violations(moderator_page, member_page):
    question = make_question(title=TITLE, body=BODY)
    desk.post_edit(moderator=make_moderator("mod-other"), post=question, body=BODY + "\n\nAn added line.",
                   reason="Clarity")  # fmt: skip
    axe = Axe()
    page, _ = moderator_page(DESKTOP, next_url=f"/questions/{question.pk}/history/")  # with the rollback forms
    expect(page.locator("#version-2 ins").last).to_contain_text("An added line.")
    violations = serious_violations(axe, page)
    assert not violations, f"axe on {page.url}:\n{describe(violations)}"

    page, member = member_page(DESKTOP)
    answer = make_answer(question=question, author=member, body=FIRST)
    page.goto(f"/answers/{answer.pk}/edit/")
    violations = serious_violations(axe, page)
    assert not violations, f"axe on {page.url}:\n{describe(violations)}"
