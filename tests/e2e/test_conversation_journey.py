"""Issue 14 end to end, in one conversation: a visitor asks without an account and leaves an
address; a verified expert asks a clarification; the email reaches a real SMTP server on loopback
with the private link (and nothing of the conversation); the visitor follows it, replies as "the
asker"; the expert reads the reply and answers; the visitor marks the expert's answer as the one
that helped.

Runs three times (see `mode` in conftest): desktop, phone and desktop without JavaScript.
"""

import re

from playwright.sync_api import expect

from forum.answers.models import Answer, Comment
from forum.questions.models import Question
from forum.questions.services import question_publish
from tests.e2e.helpers import log_in_with_mfa, with_totp
from tests.factories import UserFactory, make_expert

TITLE = "She cried after sex, did I do something wrong?"
BODY = "It was our first time together and it felt good for both of us, then she started crying quietly."
ADDRESS = "worried.partner.e2e@example.org"
EXPERT = "drlindqvist"
ASKS = "Did she say anything afterwards, and how long have you been together?"
REPLY = "Six months. She said she was happy, which confused me even more."
ANSWER = (
    "Crying after sex, even good sex, is common and has a name: postcoital dysphoria. It often "
    "comes from a release of tension, not from anything you did. Ask her gently, later, how it felt."
)


def clarify(page, post, text: str) -> None:
    post.get_by_text("Ask for a clarification", exact=True).click()
    post.get_by_label("Your clarification").fill(text)
    with page.expect_navigation():
        post.get_by_role("button", name="Post", exact=True).click()


def test_an_expert_and_an_accountless_asker_talk_until_the_question_is_settled(
    mode, open_page, url, live_server, smtp_server, settings, screenshot
):
    settings.SITE_URL = live_server.url
    # The visitor's reply would wait for a moderator (pre-moderation): the clarification journey
    # shows that step; this one follows the conversation.
    settings.FORUM_PREMODERATE_ANONYMOUS = False
    smtp_server.start()

    # The visitor asks, leaving an address for this question only.
    asker = open_page(mode)
    asker.goto("/questions/ask/")
    asker.get_by_label("Your question").fill(TITLE)
    asker.get_by_label("Details").fill(BODY)
    asker.get_by_role("group", name="Topics").get_by_label("Relationships", exact=True).check()
    asker.get_by_label("Email me when someone answers (optional)").fill(ADDRESS)
    asker.get_by_role("button", name="Post your question").click()
    expect(asker).to_have_url(re.compile(r"/questions/key/[A-Za-z0-9_-]{22}/$"))
    question = Question.objects.get(title=TITLE)
    if question.status != Question.Status.PUBLISHED:
        question_publish(question=question)
    thread = question.get_absolute_url()

    # A verified expert asks something back first.
    expert = with_totp(make_expert(UserFactory(username=EXPERT), title="Couples therapist", mfa=False))
    expert_page = open_page(mode)
    log_in_with_mfa(expert_page, expert, next_url=thread)
    clarify(expert_page, expert_page.get_by_role("article", name=TITLE), ASKS)
    expect(expert_page.locator(".comment", has_text=ASKS)).to_contain_text("Verified expert")

    # The email: to the address left, the private link, nothing of the conversation.
    [mail] = smtp_server.messages
    assert mail.recipients == [ADDRESS]
    assert ASKS not in mail.body and BODY not in mail.body
    key_link = re.search(rf"{re.escape(live_server.url)}/questions/key/[A-Za-z0-9_-]{{22}}/", mail.body).group(0)

    # From the email, in a browser that never saw this visitor, they reply on their private page.
    reader = open_page(mode)
    reader.goto(key_link)
    mine = reader.get_by_role("article", name=TITLE)
    expect(mine.locator(".comment", has_text=ASKS)).to_be_visible()
    clarify(reader, mine, REPLY)
    expect(reader).to_have_url(re.compile(re.escape(key_link) + r"(#comment-\d+)?$"))
    reply = Comment.objects.get(by_asker=True)
    assert reply.status == Comment.Status.PUBLISHED and reply.author is None
    screenshot(reader, "replied")

    # The expert reads the reply, shown as the asker's and nothing more, then answers.
    expert_page.goto(url(thread))
    shown = expert_page.locator(".comment", has_text=REPLY)
    expect(shown).to_contain_text("the asker")
    expert_page.get_by_role("textbox", name="Your answer").fill(ANSWER)
    expert_page.get_by_role("button", name="Post your answer").click()
    expect(expert_page.get_by_text("your answer is posted")).to_be_visible()

    # The asker comes back through the link and marks the expert's answer as the one that helped.
    reader.goto(key_link)
    expert_box = reader.get_by_role("region", name="From verified experts").get_by_role(
        "article", name=f"Answer by {EXPERT}"
    )
    expect(expert_box).to_contain_text("postcoital dysphoria")
    with reader.expect_navigation():
        expert_box.get_by_role("button", name="This answer helped me").click()
    expect(reader.get_by_role("article", name=f"Answer by {EXPERT}").get_by_text("Helped the asker")).to_be_visible()
    screenshot(reader, "accepted")
    assert Answer.objects.get(author=expert).is_accepted
    # Nobody learned the address: not the pages the expert saw, not the thread.
    assert ADDRESS not in expert_page.content() and ADDRESS not in reader.content()
