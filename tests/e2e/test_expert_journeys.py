"""Expert journeys: a verified expert (signed in with a password and an authenticator code) answers a
visitor's question next to a member, and the visitor marks the expert's answer as the one that helped
(on desktop, with the keyboard only); a member applies as an expert, a moderator verifies them, and
their answers carry the "Verified expert" badge once two-factor authentication is on.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import ExpertProfile
from forum.answers.models import Answer
from forum.questions.models import Tag
from forum.questions.services import question_publish
from tests.e2e.conftest import DESKTOP, NOJS, PHONE
from tests.e2e.helpers import log_in_with_mfa, moderator_pages, with_totp
from tests.factories import UserFactory, make_expert, make_question

TITLE = "Is it normal to feel pain during sex after giving birth?"
EXPERT = "drmoreau"
HELPER = "kindmember"
EXPERT_ANSWER = "Pain after birth is common and usually treatable; a pelvic floor physiotherapist can help a lot."
MEMBER_ANSWER = "It took me a few months. Going slowly and talking about it with my partner helped."


@pytest.fixture
def moderator_page(open_page):
    return moderator_pages(open_page)


def post_answer(page, body: str) -> None:
    page.get_by_role("textbox", name="Your answer").fill(body)
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("your answer is posted")).to_be_visible()


def test_an_expert_answers_and_the_asker_accepts_it(mode, open_page, member_page, url, screenshot):
    question = make_question(title=TITLE, status="pending")
    question_publish(question=question)
    thread = question.get_absolute_url()

    # The expert: verified, with a TOTP authenticator whose secret we know, so they sign in with a code.
    expert = with_totp(make_expert(UserFactory(username=EXPERT), title="Pelvic health physiotherapist", mfa=False))
    expert_page = open_page(mode)
    log_in_with_mfa(expert_page, expert, next_url=thread)
    expect(expert_page).to_have_url(url(thread))
    post_answer(expert_page, EXPERT_ANSWER)

    helper_page, _ = member_page(mode, next_url=thread, username=HELPER)
    post_answer(helper_page, MEMBER_ANSWER)

    # Another member upvotes the member's answer (fetch with JavaScript, a form post without).
    voter, _ = member_page(mode, next_url=thread)
    member_box = voter.get_by_role("article", name=f"Answer by {HELPER}")
    member_box.get_by_role("button", name="Helpful (upvote)").click()
    expect(voter.get_by_role("article", name=f"Answer by {HELPER}").locator(".vote-score")).to_have_text("Score 1")

    # The visitor comes back through the private link.
    page = open_page(mode)
    link = url(f"/questions/key/{question.key}/")
    page.goto(link)
    expect(page.get_by_text("an expert has answered")).to_be_visible()
    experts = page.get_by_role("region", name="From verified experts")
    expert_box = experts.get_by_role("article", name=f"Answer by {EXPERT}")
    expect(expert_box).to_contain_text(EXPERT_ANSWER)
    expect(expert_box.get_by_text("Verified expert", exact=True)).to_be_visible()
    expect(expert_box).to_contain_text("Pelvic health physiotherapist")
    expect(experts.get_by_role("article", name=f"Answer by {HELPER}")).to_have_count(0)
    expect(page.get_by_role("article", name=f"Answer by {HELPER}")).to_contain_text("Score 1")
    screenshot(page, "key-page")

    accept = expert_box.get_by_role("button", name="This answer helped me")
    if mode == DESKTOP:
        # Keyboard only: from the answer's Report link, Tab to the button and press Enter.
        expert_box.get_by_role("link", name=re.compile(r"^Report")).focus()
        page.keyboard.press("Tab")
        expect(accept).to_be_focused()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        with page.expect_navigation():
            accept.click()
    expect(page).to_have_url(link)
    expert_box = page.get_by_role("article", name=f"Answer by {EXPERT}")
    expect(expert_box.get_by_text("Helped the asker")).to_be_visible()
    expect(expert_box.get_by_role("button", name="Unmark as the answer that helped")).to_be_visible()
    expect(page.get_by_role("article", name=f"Answer by {HELPER}").get_by_text("Helped the asker")).to_have_count(0)
    screenshot(page, "accepted")
    assert Answer.objects.get(author=expert).is_accepted
    assert not Answer.objects.get(author__username=HELPER).is_accepted


@pytest.mark.parametrize("mode", [DESKTOP, PHONE, NOJS], ids=["desktop", "phone", "nojs"])
def test_a_member_applies_is_verified_and_answers_as_an_expert(mode, member_page, moderator_page, screenshot):
    question = make_question(title=TITLE)
    page, member = member_page(mode, next_url="/experts/apply/", username="newexpert")
    expect(page.get_by_role("heading", name="Apply as a verified expert")).to_be_visible()
    page.get_by_label("Professional title").fill("Sex therapist")
    page.get_by_label("Credentials and qualifications").fill("MA Psychology; certified sex therapist since 2015")
    page.get_by_label("Registration or licence number").fill("ST-98765")
    page.get_by_label("Issuing body").fill("Board of Psychologists")
    page.get_by_label("Jurisdiction").fill("Belgium")
    page.get_by_role("group", name="Areas of practice").get_by_label("Relationships", exact=True).check()
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("A moderator will review your application")).to_be_visible()
    status = page.get_by_role("region", name="Your application")
    expect(status).to_contain_text("Waiting for review")
    screenshot(page, "applied")
    profile = ExpertProfile.objects.get(user=member)
    assert list(profile.areas.values_list("slug", flat=True)) == [Tag.objects.get(name="Relationships").slug]

    desk, _ = moderator_page(mode, next_url="/moderation/experts/")
    application = desk.get_by_role("article", name="newexpert — Sex therapist")
    expect(application).to_contain_text("ST-98765, Board of Psychologists (Belgium)")
    with desk.expect_navigation():
        application.get_by_role("button", name="Verify for a year").click()
    expect(desk.get_by_role("article", name="newexpert — Sex therapist")).to_have_count(0)
    expect(desk.get_by_role("region", name="Verified experts")).to_contain_text("newexpert — Sex therapist")
    profile.refresh_from_db()
    assert profile.status == ExpertProfile.Status.VERIFIED and profile.is_current

    page.reload()
    expect(page.get_by_role("region", name="Your application")).to_contain_text("Verified")

    # Two-factor authentication on. Simplified: TOTP activated through allauth's API (the ORM), not by
    # scanning the QR code on /accounts/2fa/totp/activate/ in the browser.
    with_totp(member)
    page.goto(question.get_absolute_url())
    post_answer(page, EXPERT_ANSWER)
    box = page.get_by_role("article", name="Answer by newexpert")
    expect(box.get_by_text("Verified expert", exact=True)).to_be_visible()
    expect(box).to_contain_text("Sex therapist")
    screenshot(page, "expert-answer")
    assert Answer.objects.get(author=member).is_expert
