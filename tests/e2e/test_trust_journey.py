"""Issue 15, in a browser: nothing irreversible at one click, and keeping the private link.

Deleting a question or an answer asks first on a page of its own; the private link is shown whole,
copied with one press (with JavaScript), emailed once to a real SMTP server on loopback; every page
here passes axe in both colour schemes, at desktop and phone width, with no sideways scrolling.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from forum.answers.models import Answer
from forum.questions.key_link_mail import ALREADY_SENT
from forum.questions.models import Question
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import describe, serious_violations
from tests.factories import UserFactory, make_answer, make_question

TITLE = "Is it normal to feel nervous about being intimate again after a long break?"
ANSWER = "Very normal. Go slowly, talk about it first, and let closeness come back at its own pace."
ADDRESS = "keep.my.link.e2e@example.org"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture
def asked():
    question = make_question(title=TITLE)
    make_answer(question=question, author=UserFactory(username="kind-helper"), body=ANSWER)
    return question


def test_deleting_a_question_asks_first_and_keeping_it_is_the_easy_way_back(mode, open_page, url, asked, screenshot):
    page = open_page(mode)
    page.goto(url(f"/questions/key/{asked.key}/"))
    page.get_by_role("button", name="Delete your question").click()

    expect(page.get_by_role("heading", name="Delete your question?")).to_be_visible()
    expect(page).to_have_url(url(f"/questions/{asked.pk}/delete/"))  # the key is in no URL
    expect(page.get_by_text("its 1 answer")).to_be_visible()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    if mode is PHONE:
        assert no_sideways_scroll(page)
    screenshot(page, "confirm")
    page.get_by_role("link", name="Keep my question").click()
    expect(page).to_have_url(url(f"/questions/key/{asked.key}/"))
    asked.refresh_from_db()
    assert asked.status == Question.Status.PUBLISHED

    page.get_by_role("button", name="Delete your question").click()
    page.get_by_role("button", name="Delete it for good").click()
    expect(page.get_by_text("Your question was deleted.")).to_be_visible()
    asked.refresh_from_db()
    assert asked.status == Question.Status.REMOVED and asked.body == ""


def test_an_author_deletes_their_answer_after_a_page_that_asks(mode, member_page, asked, url, screenshot):
    page, user = member_page(mode, next_url=asked.get_absolute_url())
    answer = make_answer(question=asked, author=user, body="Mine: it helped me to say it out loud first.")
    page.goto(url(asked.get_absolute_url()))
    page.get_by_role("link", name="Delete your answer").click()

    expect(page.get_by_role("heading", name="Delete your answer?")).to_be_visible()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    if mode is PHONE:
        assert no_sideways_scroll(page)
    screenshot(page, "confirm")
    page.get_by_role("button", name="Delete it for good").click()
    expect(page.get_by_text("Your answer was deleted.")).to_be_visible()
    expect(page.get_by_text("it helped me to say it out loud")).to_have_count(0)
    expect(page.get_by_text(ANSWER)).to_be_visible()  # the others' answers stay
    answer.refresh_from_db()
    assert answer.status == Answer.Status.REMOVED and answer.body == ""


def test_the_private_link_is_shown_whole_and_copied_with_one_press(mode, open_page, url, asked, live_server):
    page = open_page(mode)
    if mode.js:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    link = url(f"/questions/key/{asked.key}/")
    page.goto(link)
    shown = page.locator("#key-url")
    expect(shown).to_have_text(link)  # the whole link, not cut off
    box = shown.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    expect(page.get_by_text("private or incognito window", exact=False)).to_be_visible()
    expect(page.get_by_text("we can't recover it for you", exact=False)).to_be_visible()
    if mode is PHONE:
        assert no_sideways_scroll(page)
    if not mode.js:
        expect(page.get_by_role("button", name="Copy link")).to_have_count(0)  # hidden: nothing to press
        return
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert page.evaluate("window.getSelection().toString()").strip() == link


def test_the_private_link_is_emailed_once_and_a_second_request_is_refused_politely(
    mode, open_page, url, asked, smtp_server, settings, screenshot
):
    settings.SITE_URL = url("")
    smtp_server.start()
    page = open_page(mode)
    page.goto(url(f"/questions/key/{asked.key}/"))
    stale = open_page(mode)  # a second tab, opened before the first email
    stale.goto(url(f"/questions/key/{asked.key}/"))

    page.get_by_label("Your email address").fill(ADDRESS)
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_text("Sent. Look for an email from us")).to_be_visible()
    expect(page.get_by_text("The link was emailed once")).to_be_visible()
    expect(page.get_by_role("button", name="Send me the link")).to_have_count(0)
    assert ADDRESS not in page.content()
    [mail] = smtp_server.messages
    assert mail.recipients == [ADDRESS]
    assert url(f"/questions/key/{asked.key}/") in mail.body and TITLE not in mail.body
    if mode is PHONE:
        assert no_sideways_scroll(page)
    screenshot(page, "sent")

    stale.get_by_label("Your email address").fill("someone.else@example.org")
    stale.get_by_role("button", name="Send me the link").click()
    expect(stale.get_by_text(ALREADY_SENT)).to_be_visible()
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_trust_pages_pass_axe_in_both_colour_schemes(scheme, viewport, open_page, member_page, url, asked, axe):
    page = open_page(viewport)
    page.emulate_media(color_scheme=scheme)
    checked = []

    def check(what):
        expect(page.locator("main")).to_be_visible()
        violations = serious_violations(axe, page)
        assert not violations, f"axe ({scheme}, {viewport.name}) on {what}:\n{describe(violations)}"
        if viewport is PHONE:
            assert no_sideways_scroll(page), f"{what} scrolls sideways at 390 px"
        checked.append(what)

    page.goto(url(f"/questions/key/{asked.key}/"))
    page.get_by_label("Your email address").fill("not an address")
    page.get_by_role("button", name="Send me the link").click()  # the page with the form's error
    expect(page.get_by_text("Please enter a valid email address.")).to_be_visible()
    check("the private page")
    page.get_by_role("button", name="Delete your question").click()
    check("the question's confirmation page")

    member, user = member_page(viewport, next_url=asked.get_absolute_url())
    member.emulate_media(color_scheme=scheme)
    answer = make_answer(question=asked, author=user, body="Mine: it helped me to say it out loud first.")
    page = member
    page.goto(url(f"/answers/{answer.pk}/delete/"))
    check("the answer's confirmation page")
    assert re.search(r"/answers/\d+/delete/$", page.url) and len(checked) == 3
