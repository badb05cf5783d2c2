"""Journey B: a member signs in and upvotes an answer; with JavaScript in place, without it by a form post."""

import pytest
from playwright.sync_api import expect

from forum.answers.models import Answer, Vote
from tests.e2e.conftest import DESKTOP, NOJS
from tests.factories import UserFactory, make_answer, make_question

HELPER = "kindhelper"


@pytest.fixture
def thread():
    """A published question (asked anonymously) with one answer by another member."""
    question = make_question(title="Is it normal to want closeness but not sex?")
    answer = make_answer(question=question, author=UserFactory(username=HELPER))
    return question, answer


def answer_controls(page):
    box = page.get_by_role("article", name=f"Answer by {HELPER}")
    return box.get_by_role("button", name="Helpful (upvote)"), box.locator(".vote-score")


def test_a_member_upvotes_an_answer(mode, thread, member_page, url, screenshot):
    question, answer = thread
    page, member = member_page(mode, next_url=question.get_absolute_url())
    up, score = answer_controls(page)
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(score).to_have_text("Score 0")

    if mode.js:
        # vote.js posts with fetch and updates the box in place: same document, same URL.
        address = page.url
        page.evaluate("window.sameDocument = true")
        navigations = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
        with page.expect_response(lambda r: r.url.endswith(f"/answers/{answer.pk}/vote/")) as vote:
            up.click()
        assert vote.value.status == 200
        assert vote.value.json() == {"score": 1, "vote": 1}
        expect(up).to_have_attribute("aria-pressed", "true")
        expect(score).to_have_text("Score 1")
        assert page.url == address
        assert navigations == []
        assert page.evaluate("window.sameDocument") is True
    else:
        # The plain form: POST, redirect back to the answer, the page shows the new score.
        with page.expect_navigation():
            up.click()
        expect(page).to_have_url(url(f"{question.get_absolute_url()}#answer-{answer.pk}"))
        up, score = answer_controls(page)
        expect(up).to_have_attribute("aria-pressed", "true")
        expect(score).to_have_text("Score 1")
    screenshot(page)

    assert Vote.objects.get(user=member).answer_id == answer.pk
    assert Answer.objects.get(pk=answer.pk).score == 1


def tab_to(page, target, *, limit=60) -> int:
    """Press Tab until `target` has the focus; returns how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{target} was not reached in {limit} presses of Tab")


@pytest.mark.parametrize(("mode", "key"), [(DESKTOP, "Enter"), (NOJS, "Space")], ids=["desktop-Enter", "nojs-Space"])
def test_a_keyboard_user_upvotes_an_answer(mode, key, thread, member_page):
    question, answer = thread
    page, _ = member_page(mode, next_url=question.get_absolute_url())
    up, score = answer_controls(page)

    tab_to(page, up)
    if mode.js:
        with page.expect_response(lambda r: r.url.endswith(f"/answers/{answer.pk}/vote/")):
            page.keyboard.press(key)
    else:
        with page.expect_navigation():
            page.keyboard.press(key)
        up, score = answer_controls(page)
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(score).to_have_text("Score 1")
    assert Answer.objects.get(pk=answer.pk).score == 1


def test_the_focus_stays_on_the_vote_button_after_a_keyboard_vote(thread, member_page):
    question, _ = thread
    page, _ = member_page(DESKTOP, next_url=question.get_absolute_url())
    up, score = answer_controls(page)

    tab_to(page, up)
    page.keyboard.press("Enter")
    expect(score).to_have_text("Score 1")
    expect(up).to_be_focused(timeout=1_000)
    page.keyboard.press("Space")  # the same key press again withdraws the vote
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(score).to_have_text("Score 0")
