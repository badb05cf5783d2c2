"""More axe-core audits (see test_accessibility.py): search results, the experts' directory, an
expert's public profile and the moderation desk (as a moderator signed in with an authenticator code),
in both colour schemes."""

from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe

from forum.questions.services import question_publish
from tests.e2e.conftest import DESKTOP
from tests.e2e.helpers import describe, moderator_pages, serious_violations
from tests.factories import UserFactory, make_answer, make_expert, make_question


@pytest.fixture
def moderator_page(open_page):
    return moderator_pages(open_page)


@pytest.fixture(scope="session")
def axe():
    return Axe()


EXPERT = "drlindqvist"


@pytest.fixture
def content():
    """An expert with an answer, a member's answer, a thread to find by search, and a pending question."""
    expert = make_expert(UserFactory(username=EXPERT), title="Clinical sexologist")
    question = make_question(title="How can we keep intimacy alive with a newborn at home?", status="pending")
    question_publish(question=question)
    make_answer(question=question, author=expert, body="Small moments count: *touch*, talk and sleep first.")
    make_answer(
        question=question, author=UserFactory(username="parentof2"), body="Schedule time; it is not unromantic."
    )
    make_question(title="What should I say to my partner after a bad first time?", status="pending")
    return SimpleNamespace(expert=expert, question=question)


PAGES = {
    "search": "/search/?q=intimacy",
    "experts": "/experts/",
    "expert-profile": f"/users/{EXPERT}/",
    "moderation": "/moderation/",
}

# Pages with a known, not yet fixed violation: name -> reason (strict xfail, so a fix is noticed).
KNOWN: dict[str, str] = {}


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "target",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN[name])) if name in KNOWN else name
        for name in PAGES
    ],
)
def test_more_pages_have_no_serious_accessibility_violations(
    target, color_scheme, axe, content, open_page, moderator_page
):
    if target == "moderation":
        page, _ = moderator_page(DESKTOP, next_url=PAGES[target])
        page.emulate_media(color_scheme=color_scheme)
    else:
        page = open_page(DESKTOP)
        page.emulate_media(color_scheme=color_scheme)
        page.goto(PAGES[target])
    assert page.url.endswith(PAGES[target]), f"expected {PAGES[target]}, at {page.url}"
    if target == "search":
        assert page.get_by_role("link", name=content.question.title).count() == 1, "the search found nothing"
    if target in {"experts", "expert-profile"}:
        assert page.get_by_text("Clinical sexologist").count() >= 1
    violations = serious_violations(axe, page)
    assert not violations, f"axe found serious or critical problems on {page.url}:\n{describe(violations)}"
