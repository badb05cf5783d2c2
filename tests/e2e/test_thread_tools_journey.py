"""The desk where moderators read: a moderator (password and authenticator code) takes every
action from the thread page — hide, restore, lock, unlock, close as duplicate through the search,
reopen, move topics, edit, delete with its confirmation — on desktop, on a phone (no sideways
scrolling) and without JavaScript; a canned reason rejects a question without JavaScript; axe finds
nothing serious on a thread with the tools open, the duplicate search, the topics page and the
delete confirmation, in both colour schemes."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from forum.answers.models import Answer
from forum.desk import services
from forum.moderation.models import CannedReason, ModerationAction
from forum.questions.models import Question, Tag
from tests.e2e.conftest import DESKTOP, NOJS, PHONE
from tests.e2e.helpers import moderator_pages, serious_violations
from tests.factories import UserFactory, make_answer, make_question

MODES = pytest.mark.parametrize("mode", [DESKTOP, PHONE, NOJS], ids=["desktop", "phone", "nojs"])
TITLE = "How can I tell my partner what I like in bed?"
ORIGINAL = "How do I tell a partner what I like during sex?"
ANSWER = "Start outside the bedroom, at a calm moment, with what you already enjoy together."
OTHER_ANSWER = "Try writing it down first; some people find that easier than saying it aloud."


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture
def moderator_page(open_page):
    return moderator_pages(open_page)


@pytest.fixture
def thread(db):
    tags = list(Tag.objects.filter(is_sensitive=False).order_by("pk")[:2])
    original = make_question(title=ORIGINAL, tags=tags[:1])
    question = make_question(title=TITLE, tags=tags[:1], author=UserFactory(), anonymous=False)
    answers = [make_answer(question=question, author=UserFactory(), body=body) for body in (ANSWER, OTHER_ANSWER)]
    CannedReason.objects.create(label="Unkind to the asker", text="Answers here stay kind to the asker.", use="hide")
    CannedReason.objects.create(label="Not a question", text="It didn't read as a question.", use="reject")
    return question, original, answers, tags


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def question_tools(page):
    tools = page.locator("#moderate-question")
    if tools.get_attribute("open") is None:
        tools.locator("summary").click()
    return tools


def answer_tools(page, answer):
    tools = page.locator(f"#answer-{answer.pk} details.mod-tools")
    if tools.get_attribute("open") is None:
        tools.locator("summary").click()
    return tools


def act(page, tools, button: str, reason: str = ""):
    if reason:
        tools.get_by_label(f"Reason for “{button}”", exact=True).fill(reason)
    with page.expect_navigation():
        tools.get_by_role("button", name=button, exact=True).click()


def status(question) -> Question:
    return Question.objects.get(pk=question.pk)


@MODES
def test_a_moderator_takes_every_action_from_the_thread(mode, moderator_page, thread, url, screenshot):
    question, original, answers, tags = thread
    page, _ = moderator_page(mode, next_url=question.get_absolute_url())
    expect(page).to_have_url(url(question.get_absolute_url()))
    tools = question_tools(page)
    expect(tools.get_by_role("button", name="Hide", exact=True)).to_be_visible()
    screenshot(page, "tools-open")
    if mode is PHONE:
        assert no_sideways_scroll(page)

    # Hide, then restore.
    act(page, question_tools(page), "Hide", "Personal details in the question")
    assert status(question).status == Question.Status.HIDDEN
    expect(page.get_by_text("only the asker and the moderators can see it")).to_be_visible()
    act(page, question_tools(page), "Restore")
    assert status(question).status == Question.Status.PUBLISHED

    # Lock, then unlock.
    act(page, question_tools(page), "Lock", "The thread got heated")
    assert status(question).is_locked
    expect(page.get_by_text("This thread is locked by the moderators")).to_be_visible()
    act(page, question_tools(page), "Unlock")
    assert not status(question).is_locked

    # Close as a duplicate, finding the original with the search; then reopen.
    with page.expect_navigation():
        question_tools(page).get_by_role("link", name="Close as duplicate…").click()
    expect(page.get_by_role("heading", name="Close as a duplicate", level=1)).to_be_visible()
    if mode is PHONE:
        assert no_sideways_scroll(page)
    search = page.get_by_role("searchbox", name="Find the original question")
    if mode.js:  # searched as one types: no page load
        search.fill("zebra quokka")
        expect(page.get_by_role("radio")).to_have_count(0)
        search.fill("partner like")
    else:
        search.fill("partner like")
        with page.expect_navigation():
            page.get_by_role("search", name="Search for the original").get_by_role("button", name="Search").click()
    candidate = page.get_by_role("radio", name=f"#{original.pk} {ORIGINAL}")
    expect(candidate).to_be_visible()
    expect(page.get_by_role("radio", name=f"#{question.pk} {TITLE}")).to_have_count(0)  # never itself
    candidate.check()
    page.get_by_label("Reason (optional)").fill("Asked before, with good answers")
    with page.expect_navigation():
        page.get_by_role("button", name="Close as a duplicate").click()
    expect(page).to_have_url(url(question.get_absolute_url()))
    expect(page.get_by_text("Closed as a duplicate of")).to_be_visible()
    assert status(question).duplicate_of_id == original.pk
    act(page, question_tools(page), "Reopen")
    assert status(question).duplicate_of_id is None

    # Move topics.
    with page.expect_navigation():
        question_tools(page).get_by_role("link", name="Move topics…").click()
    if mode is PHONE:
        assert no_sideways_scroll(page)
    page.get_by_label(tags[0].name, exact=True).uncheck()
    page.get_by_label(tags[1].name, exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Move").click()
    assert list(status(question).tags.all()) == [tags[1]]
    expect(page.locator(".post-meta").get_by_role("link", name=tags[1].name)).to_be_visible()
    assert ModerationAction.objects.filter(kind="retag", question=question).exists()

    # Edit the question; back on the thread.
    with page.expect_navigation():
        question_tools(page).get_by_role("link", name="Edit…").click()
    page.get_by_label("Text").fill("What I like has changed, and I don't know how to say it. Edited.")
    page.get_by_label("Reason for the edit").fill("Removed a name")
    with page.expect_navigation():
        page.get_by_role("button", name="Save edit").click()
    expect(page).to_have_url(url(question.get_absolute_url()))
    expect(page.get_by_text("I don't know how to say it. Edited.")).to_be_visible()

    # An answer: hide it with a canned reason, restore it.
    tools = answer_tools(page, answers[0])
    picker = tools.get_by_label("Pick a reason for “Hide”")
    picker.select_option(label="Unkind to the asker")
    if mode.js:
        expect(tools.get_by_label("Reason for “Hide”", exact=True)).to_have_value(
            "Answers here stay kind to the asker."
        )
    with page.expect_navigation():
        tools.get_by_role("button", name="Hide", exact=True).click()
    hidden = Answer.objects.get(pk=answers[0].pk)
    assert hidden.status == Answer.Status.HIDDEN
    assert ModerationAction.objects.filter(kind="hide", answer=hidden).get().reason == (
        "Answers here stay kind to the asker."
    )
    act(page, answer_tools(page, answers[0]), "Restore")
    assert Answer.objects.get(pk=answers[0].pk).status == Answer.Status.PUBLISHED

    # Delete the other answer: a confirmation page says what will be lost.
    with page.expect_navigation():
        answer_tools(page, answers[1]).get_by_role("button", name="Delete…").click()
    expect(page.get_by_role("heading", name="Delete this answer?", level=1)).to_be_visible()
    expect(page.get_by_text("What will be lost")).to_be_visible()
    if mode is PHONE:
        assert no_sideways_scroll(page)
    assert Answer.objects.get(pk=answers[1].pk).status == Answer.Status.PUBLISHED  # nothing yet
    page.get_by_label("Reason (required)").fill("Advertising")
    with page.expect_navigation():
        page.get_by_role("button", name="Delete for good").click()
    assert Answer.objects.get(pk=answers[1].pk).status == Answer.Status.REMOVED
    expect(page).to_have_url(url(question.get_absolute_url()))
    expect(page.get_by_text(OTHER_ANSWER)).to_have_count(0)

    # And the question itself, from its thread.
    with page.expect_navigation():
        question_tools(page).get_by_role("button", name="Delete…").click()
    expect(page.get_by_text("The whole thread leaves the site")).to_be_visible()
    page.get_by_label("Reason (required)").fill("Spam")
    with page.expect_navigation():
        page.get_by_role("button", name="Delete for good").click()
    assert status(question).status == Question.Status.REMOVED


@pytest.mark.parametrize("mode", [NOJS], ids=["nojs"])
def test_a_canned_reason_rejects_a_question_without_javascript(mode, moderator_page):
    question = make_question(title="Is this even a question at all here?", status="pending")
    CannedReason.objects.create(label="Not a question", text="It didn't read as a question.", use="reject")
    page, _ = moderator_page(mode, next_url="/moderation/")
    item = page.locator("#pending").get_by_role("article", name=question.title)
    item.get_by_label("Pick a reason for “Reject”").select_option(label="Not a question")
    with page.expect_navigation():
        item.get_by_role("button", name="Reject", exact=True).click()
    rejected = status(question)
    assert rejected.status == Question.Status.REJECTED
    assert rejected.moderation_reason == "It didn't read as a question."


@pytest.mark.parametrize("mode", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_tools_and_their_pages_have_no_serious_accessibility_problem(mode, scheme, moderator_page, thread, axe):
    question, _, answers, _ = thread
    page, moderator = moderator_page(mode, next_url=question.get_absolute_url())
    services.post_hide(moderator=moderator, post=answers[1], reason="Unsafe")  # shown to moderators, marked
    page.reload()
    expect(page.locator(f"#answer-{answers[1].pk}.answer-hidden")).to_be_visible()
    page.emulate_media(color_scheme=scheme)
    question_tools(page)
    answer_tools(page, answers[0])
    found = {"thread with tools": serious_violations(axe, page)}
    assert no_sideways_scroll(page)
    for name, path in (
        ("duplicate search", f"/moderation/question/{question.pk}/duplicate/?q=partner"),
        ("topics page", f"/moderation/question/{question.pk}/topics/"),
    ):
        page.goto(path)
        found[name] = serious_violations(axe, page)
        assert no_sideways_scroll(page), name
    page.goto(question.get_absolute_url())
    with page.expect_navigation():
        answer_tools(page, answers[0]).get_by_role("button", name="Delete…").click()
    found["delete confirmation"] = serious_violations(axe, page)
    assert no_sideways_scroll(page)
    assert not any(found.values()), {name: [v["id"] for v in vs] for name, vs in found.items() if vs}
