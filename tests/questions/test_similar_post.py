"""Similar titles for similar.js: a CSRF-protected POST, so a draft title never sits in a URL."""

import re

import pytest
from django.test import Client
from django.urls import resolve

from forum.core.pagecache import LISTS, generations
from tests.factories import UserFactory, make_question

pytestmark = pytest.mark.django_db

URL = "/questions/similar/"
TITLE = "How do I talk to my partner about my low libido?"


def ask_page_token(client) -> str:
    """The CSRF token similar.js reads from the ask form on the page."""
    html = client.get("/questions/ask/").content.decode()
    form = re.search(r'<form method="post" action="/questions/ask/".*?</form>', html, re.DOTALL).group(0)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def similar(client, title, token):
    """What similar.js sends: the title as form data, the token in a header."""
    return client.post(URL, {"title": title}, headers={"X-CSRFToken": token, "Accept": "application/json"})


@pytest.fixture
def drafter():
    """A visitor drafting a question, whose client checks CSRF as a browser's request is checked.

    (Not named `browser`: that is pytest-playwright's fixture, and overriding it here made pytest
    regroup these tests with the browser journeys, after the database-resetting ones.)
    """
    return Client(enforce_csrf_checks=True)


def test_it_answers_405_to_a_get_so_the_title_stays_out_of_urls(visitor):
    make_question(title="How do I talk to my partner about low libido?")
    response = visitor.get(URL, {"title": TITLE})
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert visitor.head(URL).status_code == 405


def test_it_refuses_a_post_without_the_csrf_token(drafter):
    make_question(title="How do I talk to my partner about low libido?")
    ask_page_token(drafter)  # the CSRF cookie is set, but the request does not carry the token
    response = drafter.post(URL, {"title": TITLE})
    assert response.status_code == 403
    assert "libido" not in response.content.decode()


def test_it_suggests_only_published_questions_to_a_post_with_the_ask_forms_token(drafter):
    published = make_question(title="How do I talk to my partner about low libido?")
    make_question(title="Where can I buy a good lubricant online?")
    for status in ("pending", "hidden", "rejected", "removed"):
        make_question(title=f"How do I talk to my partner about libido ({status})?", status=status)
    response = similar(drafter, TITLE, ask_page_token(drafter))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {"questions": [{"title": published.title, "url": published.get_absolute_url()}]}


def test_it_suggests_nothing_for_a_short_title(drafter):
    make_question(title="Libido questions are common")
    assert similar(drafter, "libido", ask_page_token(drafter)).json() == {"questions": []}


def test_it_never_names_an_anonymous_asker(drafter):
    make_question(title=TITLE, author=UserFactory(username="zed-secret-asker"), anonymous=True)
    response = similar(drafter, TITLE, ask_page_token(drafter))
    assert response.json()["questions"] and "zed-secret-asker" not in response.content.decode()


def test_it_leaves_visitors_cached_pages_valid(drafter, settings):
    settings.FORUM_PAGE_CACHE_SECONDS = 60
    assert getattr(resolve(URL).func, "changes_no_content", False)
    make_question(title="How do I talk to my partner about low libido?")
    token = ask_page_token(drafter)
    before = generations((LISTS,))
    assert similar(drafter, TITLE, token).status_code == 200
    assert generations((LISTS,)) == before


def test_it_rate_limits_a_source_that_asks_too_often(visitor):
    for _ in range(120):
        assert visitor.post(URL, {"title": "short"}).status_code == 200
    assert visitor.post(URL, {"title": "short"}).status_code == 429
