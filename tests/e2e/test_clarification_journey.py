"""A clarification journey: a verified expert asks a visitor for a clarification under their
question; the visitor, who has no account, replies through their private link; a moderator
approves the reply (a visitor's words are pre-moderated); the thread shows it as "the asker".

Runs three times (see `mode` in conftest): desktop, phone and desktop without JavaScript — the
"Ask for a clarification" form is a <details>, which opens without scripts.
"""

import re

from playwright.sync_api import expect

from forum.answers.models import Comment
from forum.questions.services import question_publish
from tests.e2e.helpers import log_in_with_mfa, moderator_pages, with_totp
from tests.factories import UserFactory, make_expert, make_question

TITLE = "Is it normal to bleed a little the first few times?"
EXPERT = "drokafor"
ASKS = "How many times has it happened, and is there any pain with it?"
REPLY = "Three times so far, and only a little *soreness* afterwards."


def clarify(page, post, text: str) -> None:
    """Open the post's "Ask for a clarification", write `text`, post it."""
    post.get_by_text("Ask for a clarification", exact=True).click()
    post.get_by_label("Your clarification").fill(text)
    with page.expect_navigation():
        post.get_by_role("button", name="Post", exact=True).click()


def test_an_expert_asks_and_the_accountless_asker_replies(mode, open_page, url, screenshot):
    question = make_question(title=TITLE, status="pending")
    question_publish(question=question)
    thread = question.get_absolute_url()

    # The expert signs in with password and code, and asks under the question.
    expert = with_totp(make_expert(UserFactory(username=EXPERT), title="Gynaecologist", mfa=False))
    expert_page = open_page(mode)
    log_in_with_mfa(expert_page, expert, next_url=thread)
    expect(expert_page).to_have_url(url(thread))
    clarify(expert_page, expert_page.get_by_role("article", name=TITLE), ASKS)
    expect(expert_page.get_by_text("Your clarification is posted.")).to_be_visible()
    asked = expert_page.locator(".comment", has_text=ASKS)
    expect(asked).to_contain_text("Verified expert")
    expect(asked).to_contain_text(EXPERT)

    # The visitor comes back through the private link and replies there.
    page = open_page(mode)
    key_page = url(f"/questions/key/{question.key}/")
    page.goto(key_page)
    mine = page.get_by_role("article", name=TITLE)
    expect(mine.locator(".comment", has_text=ASKS)).to_be_visible()
    clarify(page, mine, REPLY)
    expect(page).to_have_url(key_page)
    expect(page.get_by_text("will show once a moderator has read it")).to_be_visible()
    screenshot(page, "key-page")
    reply = Comment.objects.get(by_asker=True)
    assert reply.status == Comment.Status.PENDING and reply.author is None

    # A moderator approves it at the desk; it names nobody.
    desk, _ = moderator_pages(open_page)(mode, next_url="/moderation/")
    item = desk.locator("#pending").get_by_role("article", name=re.compile(r"^Clarification by the asker"))
    expect(item).to_contain_text("Three times so far")
    with desk.expect_navigation():
        item.get_by_role("button", name="Approve", exact=True).click()
    expect(desk.locator("#pending").get_by_role("article", name=re.compile(r"^Clarification by"))).to_have_count(0)

    # Anyone reading the thread sees the reply, as the asker's; a visitor is asked to sign in to add one.
    reader = open_page(mode)
    reader.goto(thread)
    shown = reader.locator(".comment", has_text="Three times so far")
    expect(shown).to_contain_text("the asker")
    expect(shown.locator("em")).to_have_text("soreness")
    expect(
        reader.get_by_role("article", name=TITLE).get_by_role("link", name="Sign in to ask for a clarification")
    ).to_be_visible()
    expect(reader.get_by_label("Your clarification")).to_have_count(0)
    screenshot(reader, "thread")
