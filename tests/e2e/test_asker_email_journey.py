"""Issue 14 in a browser: a visitor asks and leaves an address; a member answers; the email reaches a
real SMTP server on loopback with the private link; the link opens the page; the stop link works.

Runs three times (see `mode` in conftest): desktop, phone and desktop without JavaScript.
"""

import re

from playwright.sync_api import expect

from forum.questions.models import AskerContact, Question
from forum.questions.services import question_publish
from tests.factories import make_question

TITLE = "How do I tell my partner I need more time before sex?"
BODY = "We have been together a few months and I feel pressure, though nobody says anything directly."
ANSWER = "Say what you need in a calm moment; a caring partner will want to know and will wait."
ADDRESS = "shy.asker.e2e@example.org"
KEY_URL = re.compile(r"/questions/key/[A-Za-z0-9_-]{22}/$")


def test_a_visitor_is_emailed_when_an_answer_arrives_and_stops_with_one_click(
    mode, open_page, member_page, live_server, smtp_server, settings, screenshot
):
    settings.SITE_URL = live_server.url
    smtp_server.start()
    page = open_page(mode)
    page.goto("/questions/ask/")
    page.get_by_label("Your question").fill(TITLE)
    page.get_by_label("Details").fill(BODY)
    page.get_by_role("group", name="Topics").get_by_label("Relationships", exact=True).check()
    page.get_by_label("Email me when someone answers (optional)").fill(ADDRESS)
    page.get_by_role("button", name="Post your question").click()

    expect(page).to_have_url(KEY_URL)
    expect(page.get_by_text("Emails go to the address you gave (hidden here)")).to_be_visible()
    assert ADDRESS not in page.content()
    screenshot(page, "key-page")

    question = Question.objects.get(title=TITLE)
    question_publish(question=question)
    helper, _ = member_page(mode, next_url=question.get_absolute_url())
    helper.get_by_role("textbox", name="Your answer").fill(ANSWER)
    helper.get_by_role("button", name="Post your answer").click()
    expect(helper.get_by_text("your answer is posted")).to_be_visible()

    [mail] = smtp_server.messages
    assert mail.recipients == [ADDRESS]
    assert TITLE not in mail.body and ANSWER not in mail.body
    key_link = re.search(rf"{re.escape(live_server.url)}/questions/key/[A-Za-z0-9_-]{{22}}/", mail.body).group(0)
    stop_link = re.search(rf"{re.escape(live_server.url)}/questions/asker-email/stop/\S+/", mail.body).group(0)

    # From the email, in a browser that never saw this visitor: the private page opens.
    reader = open_page(mode)
    reader.goto(key_link)
    expect(reader.get_by_role("heading", name="Your private question page")).to_be_visible()
    expect(reader.get_by_text(ANSWER)).to_be_visible()

    # The stop link asks first (a GET erases nothing), then one click erases the address.
    reader.goto(stop_link)
    expect(reader.get_by_role("heading", name="Stop emails about your question?")).to_be_visible()
    assert AskerContact.objects.filter(question=question).exists()
    reader.get_by_role("button", name="Stop emails and erase my address").click()
    expect(reader.get_by_role("heading", name="Emails stopped")).to_be_visible()
    assert not AskerContact.objects.exists()
    screenshot(reader, "stopped")

    reader.goto(key_link)
    expect(reader.get_by_text("Emails go to the address you gave")).to_have_count(0)


def test_the_asker_leaves_an_address_on_the_private_page_then_stops_there(mode, open_page, live_server, url):
    question = make_question(title=TITLE, body=BODY)
    page = open_page(mode)
    page.goto(url(f"/questions/key/{question.key}/"))
    field = page.get_by_label("Email me when someone answers")
    field.fill("not an address")
    page.get_by_role("button", name="Email me").click()
    expect(page.get_by_text("Please enter a valid email address.")).to_be_visible()
    expect(page.get_by_label("Email me when someone answers")).to_have_value("not an address")  # kept

    page.get_by_label("Email me when someone answers").fill(ADDRESS)
    page.get_by_role("button", name="Email me").click()
    expect(page.get_by_text("We'll email you when someone answers")).to_be_visible()
    expect(page).to_have_url(url(f"/questions/key/{question.key}/"))
    assert ADDRESS not in page.content()

    page.get_by_role("button", name="Stop emails and erase my address").click()
    expect(page.get_by_text("Emails stopped. Your address is erased.")).to_be_visible()
    assert not AskerContact.objects.exists()
