"""The small things a newcomer noticed (issue 15): "1 vote", no orphan comma after an expert's
name, a held question that says it waits for review, account pages in sentence case, and
allauth's emails greeting with the site's name."""

import re

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.sites.requests import RequestSite
from django.test import RequestFactory

from forum.moderation.models import WatchedWord
from forum.questions.models import Question, Tag
from forum.questions.views import HELD_MESSAGE
from tests.factories import UserFactory, make_answer, make_expert, make_question
from tests.questions.test_ask import ask_data

pytestmark = pytest.mark.django_db


def _stats(html: str, title: str) -> str:
    """The question row of `title`: its visible stats and its screen-reader sentence."""
    start = html.index(title)
    row = html[html.rindex('<li class="question-row">', 0, start) : html.index("</li>", start)]
    return re.sub(r"<[^>]+>", "", row)


@pytest.mark.parametrize(("score", "words"), [(1, "1 vote"), (0, "0 votes"), (2, "2 votes"), (-1, "-1 votes")])
def test_it_counts_one_vote_in_the_singular_on_question_lists(visitor, score, words):
    question = make_question(title="Is it normal to feel nervous the first time?")
    Question.objects.filter(pk=question.pk).update(score=score)
    text = _stats(visitor.get("/questions/").content.decode(), question.title)
    assert text.startswith(f"{words}{question.answer_count} answers")  # the stats beside the title
    assert f"{words}, 0 answers." in text  # what a screen reader hears
    if score == 1:
        assert "1 votes" not in text


def test_it_shows_no_orphan_comma_after_an_expert_without_a_title(visitor):
    expert = make_expert(UserFactory(username="dr-notitle"), title="")
    question = make_question()
    make_answer(question=question, author=expert, body="An expert's careful answer, with enough words in it.")
    html = visitor.get(question.get_absolute_url()).content.decode()
    assert "Verified expert" in html
    byline = html[html.index("dr-notitle</strong>") :][:200]
    assert not re.match(r"dr-notitle</strong></a>\s*,", byline), byline


def test_it_keeps_the_comma_before_an_experts_title(visitor):
    expert = make_expert(UserFactory(username="dr-titled"), title="Clinical sexologist")
    question = make_question()
    make_answer(question=question, author=expert, body="An expert's careful answer, with enough words in it.")
    html = visitor.get(question.get_absolute_url()).content.decode()
    # One flex item: the comma stays; the title is isolated, as any user text (forum/core/text.py).
    assert 'dr-titled</strong></a>, <bdi dir="auto">Clinical sexologist</bdi></span> · ' in html


def test_it_tells_a_member_whose_question_is_held_that_it_waits_for_review(member):
    WatchedWord.objects.create(phrase="meet up", action="hold")
    response = member.post("/questions/ask/", ask_data(body="Could we meet up and talk about it sometime soon?"))
    question = Question.objects.get()
    assert question.status == Question.Status.PENDING
    page = member.get(response["Location"]).content.decode()
    assert HELD_MESSAGE in page and "waiting for review" in HELD_MESSAGE
    assert "Your question is posted" not in page


def test_it_still_says_posted_for_a_published_members_question(member):
    response = member.post("/questions/ask/", ask_data())
    assert "Your question is posted." in member.get(response["Location"]).content.decode()


def test_it_tells_a_member_whose_answer_is_held_that_it_waits_for_review(member):
    WatchedWord.objects.create(phrase="meet up", action="hold")
    question = make_question(tags=[Tag.objects.first()])
    response = member.post(f"/questions/{question.pk}/answer/", {"body": "We could meet up and talk about it soon."})
    page = member.get(response["Location"]).content.decode()
    assert "waiting for review" in page and "your answer is posted" not in page


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/password/change/", "Change password"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/email/", "Email addresses"),
    ],
)
def test_it_titles_account_pages_in_the_sites_sentence_case(member, visitor, path, heading):
    client = visitor if path == "/accounts/login/" else member
    html = client.get(path).content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert h1 and h1.group(1).strip() == heading, h1 and h1.group(1)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith(heading + " · "), title
    assert "Two-Factor" not in html and "Change Password" not in html and "Sign In<" not in html


def test_it_greets_with_the_sites_name_in_allauths_emails_not_the_host(settings):
    request = RequestFactory().get("/")  # allauth's own choice of name: the Host header, "testserver"
    user = UserFactory()
    context = {"current_site": RequestSite(request), "user": user, "request": request, "email": user.email}
    message = get_adapter(request).render_mail("account/email/password_changed", user.email, context)
    assert message.body.startswith(f"Hello from {settings.SITE_NAME}!"), message.body[:80]
    assert "testserver" not in message.body.split("\n")[0]
