"""Journey A: a visitor asks with no account, keeps the private link, gets an answer and marks it as helpful.

Runs three times (see `mode` in conftest): desktop, phone and desktop without JavaScript.
"""

import re

from playwright.sync_api import expect

from forum.questions.models import Question
from forum.questions.services import question_publish
from tests.factories import UserFactory, make_answer, make_question

TITLE = "How do I tell my partner what happened to me before we met?"
BODY = (
    "It still affects how I feel when we are close. I want to explain it **gently** without "
    "having to go into every detail."
)
ANSWER = "Choose a calm moment and start with how it affects you now; you decide how much detail to share."
KEY_URL = re.compile(r"/questions/key/[A-Za-z0-9_-]{22}/$")


def test_a_visitor_asks_keeps_the_private_link_and_gets_an_answer(mode, open_page, member_page, url, screenshot):
    similar = make_question(title="How do I tell my partner about what happened before we met?")
    page = open_page(mode)

    # The visitor searches first and finds nothing that answers them.
    page.goto("/")
    page.get_by_role("search").get_by_label("Search questions").fill("xylophone anxieties")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No questions matched")).to_be_visible()

    # From the home page to the ask form.
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name=re.compile(r"^Ask a question")).click()
    expect(page).to_have_url(url("/questions/ask/"))
    expect(page.get_by_role("heading", name="Ask a question", level=1)).to_be_visible()

    page.get_by_label("Your question").fill(TITLE)
    # Similar questions: live under the title with JavaScript, on a preview step without it.
    if not mode.js:
        page.get_by_role("button", name="Check for similar questions").click()
        expect(page.get_by_label("Your question")).to_have_value(TITLE)  # the text is kept
    expect(page.locator("#similar-questions").get_by_role("link", name=re.compile(similar.title))).to_be_visible()
    details = page.get_by_label("Details")
    expect(details).to_have_class(re.compile(r"\bmarkdownx-editor\b"))
    if mode.js:
        # The live preview goes through our own POST /markdownx/markdownify/ (sanitized markdown).
        with page.expect_response(lambda r: r.url.endswith("/markdownx/markdownify/")) as preview:
            details.fill("**bold**")
        assert preview.value.status == 200
        expect(page.locator(".markdownx-preview strong")).to_have_text("bold")
        assert "<strong>bold</strong>" in page.locator(".markdownx-preview").inner_html()
    details.fill(BODY)
    page.get_by_role("group", name="Topics").get_by_label("Relationships", exact=True).check()
    page.get_by_role("group", name="Content warnings").get_by_label("Sexual trauma", exact=True).check()
    page.get_by_role("button", name="Post your question").click()

    # The private key page.
    expect(page).to_have_url(KEY_URL)
    expect(page.get_by_text("Save your private link")).to_be_visible()
    expect(page.get_by_text("Waiting for a moderator")).to_be_visible()
    link_box = page.locator("#key-url")  # shown whole, as selectable text (no truncated field)
    expect(page.get_by_text("Your private link", exact=True)).to_be_visible()
    link = link_box.inner_text().strip()
    assert link == page.url
    screenshot(page, "key-page")

    # The link alone opens the same page in a browser that never saw this visitor.
    later = open_page(mode)
    later.goto(link)
    expect(later).to_have_url(link)
    expect(later.get_by_role("heading", name="Your private question page")).to_be_visible()
    expect(later.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(later.get_by_text("Waiting for a moderator")).to_be_visible()
    expect(later.locator("#key-url")).to_have_text(link)

    # A moderator publishes it; a member answers through the thread page.
    question = Question.objects.get(title=TITLE)
    assert question.content_warnings == ["sexual-trauma"]
    assert list(question.tags.values_list("name", flat=True)) == ["Relationships"]
    question_publish(question=question)

    helper, _ = member_page(mode, next_url=question.get_absolute_url())
    expect(helper.get_by_text("Content warning: Sexual trauma.")).to_be_visible()
    helper.get_by_role("textbox", name="Your answer").fill(ANSWER)
    helper.get_by_role("button", name="Post your answer").click()
    expect(helper.get_by_text("your answer is posted")).to_be_visible()
    expect(helper.get_by_text(ANSWER)).to_be_visible()

    # Back through the private link: the answer is there, with the button to mark it.
    later.goto(link)
    expect(later.get_by_text("Published")).to_be_visible()
    expect(later.get_by_text(ANSWER)).to_be_visible()
    expect(later.get_by_role("button", name="This answer helped me")).to_be_visible()
    screenshot(later, "answered")


def test_the_key_holder_marks_the_answer_that_helped(mode, open_page, url, screenshot):
    """The end of journey A (the asking itself is above): the visitor comes back through the link.

    The key page must not send `Referrer-Policy: no-referrer`: Chromium then sends `Origin: null` with
    the page's own forms, and Django's CSRF check refuses them (403) - the bug this test found.
    """
    question = make_question(title=TITLE, body=BODY, status="pending", content_warnings=["sexual-trauma"])
    question_publish(question=question)
    make_answer(question=question, author=UserFactory(), body=ANSWER)
    link = url(f"/questions/key/{question.key}/")

    page = open_page(mode)
    page.goto(link)
    with page.expect_response(lambda r: r.url.endswith("/accept/")) as accept:
        page.get_by_role("button", name="This answer helped me").click()
    page.wait_for_load_state()
    screenshot(page, "after-accept")
    assert accept.value.status == 302, f"POST {accept.value.url} answered {accept.value.status}"
    expect(page).to_have_url(link)
    expect(page.get_by_text("Marked as the answer that helped")).to_be_visible()
    expect(page.get_by_text("Helped the asker")).to_be_visible()
    expect(page.get_by_role("button", name="Unmark as the answer that helped")).to_be_visible()
    assert question.answers.get().is_accepted
