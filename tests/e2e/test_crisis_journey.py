"""Issue 15, crisis first, in a browser: a visitor whose question says they want to kill themselves
sees help and an honest sentence at once; a moderator (password and authenticator code) finds it
at the top of the queue, marked with its wait, and writes a supportive note, which the visitor reads
on their private page and which reaches them by email (a real SMTP server on loopback).

Also: the queue's keyboard shortcuts; the desk at 390 px without sideways scrolling; axe on the
queue with a crisis item, the log and the private page with a note, in both colour schemes.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from forum.moderation.models import ModerationAction, WatchedWord
from forum.questions.models import Question, SupportNote
from tests.e2e.conftest import DESKTOP, NOJS, PHONE
from tests.e2e.helpers import describe, moderator_pages, serious_violations
from tests.factories import UserFactory, make_answer, make_question

TITLE = "I want to kill myself and I do not know who to tell"
BODY = "Since the breakup nothing feels worth it. I have not told anyone about this."
ADDRESS = "crisis.asker.e2e@example.org"
NOTE = "Thank you for telling us. You are not alone: please call one of the lines on your page tonight."
KEY_URL = re.compile(r"/questions/key/[A-Za-z0-9_-]{22}/$")
DESK_MODES = pytest.mark.parametrize("mode", [DESKTOP, PHONE, NOJS], ids=["desktop", "phone", "nojs"])


@pytest.fixture
def moderator_page(open_page):
    return moderator_pages(open_page)


@pytest.fixture
def crisis_words():
    WatchedWord.objects.get_or_create(phrase="kill myself", action=WatchedWord.Action.CRISIS)  # in the starter list


@pytest.fixture(scope="session")
def axe():
    return Axe()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@DESK_MODES
def test_a_crisis_question_reaches_the_top_of_the_queue_and_a_moderator_answers_it(
    mode, open_page, moderator_page, crisis_words, live_server, smtp_server, settings, screenshot
):
    settings.SITE_URL = live_server.url
    smtp_server.start()
    make_question(title="An ordinary question waiting for review here", status="pending")

    # The visitor asks, leaving an address: help and the honest sentence come at once.
    page = open_page(mode)
    page.goto("/questions/ask/")
    page.get_by_label("Your question").fill(TITLE)
    page.get_by_label("Details").fill(BODY)
    page.get_by_role("group", name="Topics").get_by_label("Relationships", exact=True).check()
    page.get_by_label("Email me when someone answers (optional)").fill(ADDRESS)
    page.get_by_role("button", name="Post your question").click()
    expect(page).to_have_url(KEY_URL)
    support = page.get_by_role("complementary", name="If you need help now")
    expect(support).to_be_visible()
    expect(support).to_contain_text("go to the top of our moderators' list")
    expect(support).to_contain_text("a few hours")
    if mode.phone:
        assert no_sideways_scroll(page)
    screenshot(page, "asker-help")
    key_url = page.url

    # The moderator: the crisis lane first, the item marked, with its wait.
    desk, _ = moderator_page(mode, next_url="/moderation/")
    counts = desk.get_by_role("list", name="Waiting")
    expect(counts.get_by_role("listitem").first).to_contain_text("1 crisis")
    lane = desk.locator("#crisis")
    item = lane.get_by_role("article", name=TITLE)
    expect(item).to_be_visible()
    expect(lane).to_contain_text("Crisis")
    expect(lane).to_contain_text(re.compile(r"waiting (less than a minute|\d+ min)"))
    expect(desk.locator("#pending").get_by_role("article", name=TITLE)).to_have_count(0)
    if mode.phone:
        assert no_sideways_scroll(desk)
    screenshot(desk, "queue")

    lane.get_by_role("link", name="Write a supportive note…").click()
    expect(desk.get_by_role("heading", name="Write the asker a supportive note")).to_be_visible()
    desk.get_by_role("link", name=re.compile(r"^We read your message")).click()  # a starting point
    expect(desk.get_by_label("Your note to the asker")).to_have_value(re.compile(r"^We read your message"))
    desk.get_by_label("Your note to the asker").fill(NOTE)
    desk.get_by_role("button", name="Send the note").click()
    expect(desk.get_by_text("Your note is on the asker's private page.")).to_be_visible()
    expect(desk.locator("#crisis").get_by_role("article", name=TITLE)).to_have_count(0)
    question = Question.objects.get(title=TITLE)
    assert SupportNote.objects.get().question == question
    assert ModerationAction.objects.filter(kind="support-note", question=question).exists()

    # The visitor's private page shows the note, signed by the moderators; the email went out.
    page.goto(key_url)
    notes = page.get_by_role("region", name="A note from the moderators")
    expect(notes).to_contain_text(NOTE)
    expect(notes).to_contain_text("the moderators")
    expect(page.get_by_text("A moderator has read your message")).to_be_visible()
    [mail] = smtp_server.messages
    assert mail.recipients == [ADDRESS] and "wrote you a note" in mail.message["Subject"]
    assert NOTE not in mail.body and TITLE not in mail.body
    screenshot(page, "asker-note")


def test_the_queue_works_from_the_keyboard(open_page, moderator_page, url, screenshot):
    first = make_question(title="A first question waiting for a moderator", status="pending")
    make_question(title="A second question waiting for a moderator", status="pending")
    page, _ = moderator_page(DESKTOP, next_url="/moderation/")
    help_note = page.get_by_role("complementary", name="Keyboard shortcuts")
    expect(help_note).to_be_visible()
    items = page.locator("article.mod-item")
    expect(items.first.get_by_role("button", name="Approve", exact=True)).to_have_attribute("aria-keyshortcuts", "A")

    page.keyboard.press("j")
    expect(items.nth(0)).to_be_focused()
    expect(items.nth(0)).to_have_class(re.compile("is-current"))
    page.keyboard.press("j")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(items.nth(0)).to_be_focused()
    screenshot(page, "current")

    # r goes to the reason field; typing there is typing, not shortcuts; nothing is sent.
    page.keyboard.press("r")
    reason = items.nth(0).get_by_role("textbox", name="Reason for “Reject”")
    expect(reason).to_be_focused()
    page.keyboard.type("ja")
    expect(reason).to_have_value("ja")
    assert Question.objects.get(pk=first.pk).status == "pending"
    reason.fill("")
    page.keyboard.press("Enter")  # a required reason, empty: the browser refuses to send it
    assert Question.objects.get(pk=first.pk).status == "pending"

    page.keyboard.press("?")  # in the field: typed, not help
    page.locator("h1").click()
    page.keyboard.press("?")
    expect(help_note).to_be_focused()

    page.keyboard.press("k")  # back to the first item (the help took the focus, not the place)
    expect(items.nth(0)).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("a")
    expect(page.get_by_text("Done. The action is in the moderation log.")).to_be_visible()
    assert Question.objects.get(pk=first.pk).status == "published"

    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("o")
    expect(page).to_have_url(re.compile(r"/questions/\d+/"))


def test_the_desk_has_no_sideways_scrolling_on_a_phone(open_page, moderator_page, crisis_words):
    question = make_question(title=TITLE, author=UserFactory(), anonymous=True)
    answer = make_answer(question=question, author=UserFactory(username="a-long-name-to-wrap-here"))
    pending = make_question(title="A question waiting with a very long title that must wrap", status="pending")
    page, moderator = moderator_page(PHONE, next_url="/moderation/")
    ModerationAction.objects.create(moderator=moderator, kind="hide", answer=answer, reason="Unkind words " * 8)
    pages = [
        "/moderation/",
        "/moderation/log/",
        "/moderation/words/",
        "/moderation/experts/",
        f"/moderation/question/{question.pk}/reveal/",
        f"/moderation/question/{pending.pk}/edit/",
        f"/moderation/question/{question.pk}/support-note/",
        f"/report/question/{question.pk}/",
    ]
    for path in pages:
        page.goto(path)
        assert no_sideways_scroll(page), path


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("mode", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_crisis_pages_have_no_serious_accessibility_violations(
    scheme, mode, axe, open_page, moderator_page, crisis_words
):
    question = make_question(title=TITLE, status="pending")
    answer = make_answer(question=make_question(), author=UserFactory())
    desk, moderator = moderator_page(mode, next_url="/moderation/")
    desk.emulate_media(color_scheme=scheme)
    expect(desk.locator("#crisis").get_by_role("article", name=TITLE)).to_be_visible()
    violations = serious_violations(axe, desk)
    assert not violations, f"queue ({scheme}):\n{describe(violations)}"

    ModerationAction.objects.create(moderator=moderator, kind="hide", answer=answer, reason="For the log")
    desk.goto(f"/moderation/question/{question.pk}/support-note/")
    violations = serious_violations(axe, desk)
    assert not violations, f"note form ({scheme}):\n{describe(violations)}"
    desk.get_by_label("Your note to the asker").fill(NOTE)
    desk.get_by_role("button", name="Send the note").click()
    desk.goto("/moderation/log/")
    expect(desk.get_by_role("link", name=f"question #{question.pk}")).to_be_visible()
    violations = serious_violations(axe, desk)
    assert not violations, f"log ({scheme}):\n{describe(violations)}"

    page = open_page(mode)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"/questions/key/{question.key}/")
    expect(page.get_by_role("region", name="A note from the moderators")).to_be_visible()
    violations = serious_violations(axe, page)
    assert not violations, f"private page ({scheme}):\n{describe(violations)}"
