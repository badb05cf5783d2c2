"""Nothing typed is lost: a member writes an answer, their session ends on the server meanwhile,
they press "Post your answer", sign in again (a member with a password; a moderator with a password
and an authenticator code) and land on the thread with their text in the answer form, and post it.

Also: the error pages this work added or changed (405, 404, 410, an expired form) are pages of the
site, readable and free of serious accessibility problems in both colour schemes, on a desktop and
a phone. Journeys run three times (see `mode` in conftest): desktop, phone, no JavaScript.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.sessions.models import Session
from django.test import Client
from playwright.sync_api import expect

from forum.answers.models import Answer
from forum.questions.services import question_delete
from tests.e2e.conftest import DESKTOP, PHONE, log_in
from tests.e2e.helpers import current_totp, describe, make_moderator, serious_violations
from tests.factories import PASSWORD, UserFactory, make_question
from tests.factories import log_in as log_in_client

TITLE = "How do I tell my partner I want to slow things down?"
CLARIFY = "Do you mean slowing down in how often, or in how far things go?"
ANSWER = "Pick a calm moment, say what you *do* want, and ask how they feel about it. It is a kind thing to say."


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _accessible_in_both_schemes(page, axe) -> None:
    """axe finds nothing serious, light and dark (axe runs as a script: not in the no-JavaScript mode)."""
    if not page.e2e_mode.js:
        return
    for scheme in ("dark", "light"):
        page.emulate_media(color_scheme=scheme)
        violations = serious_violations(axe, page)
        assert not violations, f"axe ({scheme}) on {page.url}:\n{describe(violations)}"


def _no_sideways_scroll(page) -> None:
    if page.e2e_mode.phone:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _write_lose_session_and_submit(page, question, axe) -> None:
    page.goto(question.get_absolute_url())
    page.get_by_role("textbox", name="Your answer").fill(ANSWER)
    Session.objects.all().delete()  # the session ends on the server; the browser still holds its cookie
    with page.expect_navigation():
        page.get_by_role("button", name="Post your answer").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_text("Your session had ended. Sign in again")).to_be_visible()
    assert not Answer.objects.exists()
    _no_sideways_scroll(page)
    _accessible_in_both_schemes(page, axe)


def _sign_in_again(page, user, *, code: bool) -> None:
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
    if code:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.locator("input[name=code]").fill(current_totp())
        with page.expect_navigation():
            page.get_by_role("main").get_by_role("button", name="Sign in", exact=False).first.click()


def _finds_the_text_and_posts_it(page, question, screenshot, axe) -> None:
    expect(page).to_have_url(re.compile(rf"/questions/{question.pk}/[^/]+/#your-answer-heading$"))
    expect(page.get_by_text("we kept what you wrote")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value(ANSWER)
    _no_sideways_scroll(page)
    _accessible_in_both_schemes(page, axe)
    screenshot(page, "kept")
    with page.expect_navigation():
        page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("your answer is posted")).to_be_visible()
    assert Answer.objects.get().body == ANSWER
    page.reload()
    expect(page.get_by_text("we kept what you wrote")).to_have_count(0)


def test_a_members_answer_survives_an_ended_session(mode, open_page, screenshot, axe):
    question = make_question(title=TITLE)
    member = UserFactory(username="slowwriter")
    page = open_page(mode)
    log_in(page, member, next_url=question.get_absolute_url())

    _write_lose_session_and_submit(page, question, axe)
    _sign_in_again(page, member, code=False)
    _finds_the_text_and_posts_it(page, question, screenshot, axe)


def test_a_moderators_answer_survives_an_ended_session_and_the_code_step(mode, open_page, live_server, screenshot, axe):
    question = make_question(title=TITLE)
    moderator = make_moderator("mod-kim")
    page = open_page(mode)
    # Signed in already (one authenticator code is good once: the real two steps come after).
    session = log_in_client(Client(), moderator).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])

    _write_lose_session_and_submit(page, question, axe)
    _sign_in_again(page, moderator, code=True)
    _finds_the_text_and_posts_it(page, question, screenshot, axe)


def test_a_members_clarification_survives_an_ended_session(mode, open_page, screenshot, axe):
    question = make_question(title=TITLE)
    member = UserFactory(username="slowasker")
    listing = f"/questions/{question.pk}/clarifications/"
    page = open_page(mode)
    log_in(page, member, next_url=listing)
    page.get_by_role("textbox", name="Ask for a clarification").fill(CLARIFY)
    Session.objects.all().delete()
    with page.expect_navigation():
        page.get_by_role("button", name="Post", exact=True).click()
    _sign_in_again(page, member, code=False)

    expect(page).to_have_url(re.compile(rf"{listing}#clarification-form-heading$"))
    expect(page.get_by_role("textbox", name="Ask for a clarification")).to_have_value(CLARIFY)
    expect(page.get_by_text("we kept what you wrote")).to_be_visible()
    _no_sideways_scroll(page)
    _accessible_in_both_schemes(page, axe)
    with page.expect_navigation():
        page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Your clarification is posted.")).to_be_visible()


# --- the error pages, in the site's layout -------------------------------------------------------


def _method_not_allowed(page):
    return page.goto(f"/questions/{make_question().pk}/answer/").status, "This address can't be opened like that"


def _missing(page):
    return page.goto("/no-such-page/").status, "We couldn't find that page"


def _deleted(page):
    question = make_question()
    key = question.key
    question_delete(question=question)
    return page.goto(f"/questions/key/{key}/").status, "This question was deleted"


def _expired_form(page):
    page.goto("/questions/ask/")
    page.get_by_label("Your question").fill(TITLE)
    page.context.clear_cookies()  # the form's CSRF cookie is gone (cleared, or another tab signed in)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_label("Your question")).to_have_value(TITLE)  # handed back, read-only
    return navigation.value.status, "This form had expired, so nothing was sent"


ERROR_PAGES = {"405": _method_not_allowed, "404": _missing, "410": _deleted, "403-csrf": _expired_form}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", ERROR_PAGES)
def test_an_error_page_is_readable_and_accessible(name, viewport, scheme, axe, open_page):
    page = open_page(viewport)
    page.emulate_media(color_scheme=scheme)
    status, heading = ERROR_PAGES[name](page)

    assert str(status) == name.split("-")[0]

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()
    assert page.title().endswith("· Ask Freely")
    _no_sideways_scroll(page)
    violations = serious_violations(axe, page)
    assert not violations, f"axe found serious or critical problems on {page.url}:\n{describe(violations)}"
