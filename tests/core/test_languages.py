"""The reader's language: a cookie set by a switcher that needs no script, one cached page per language."""

import pytest
from django.test import Client

from tests.factories import make_question

pytestmark = pytest.mark.usefixtures("committed_db")


@pytest.fixture
def page_cache_on(settings):
    from forum.core.pagecache import local_pages

    settings.FORUM_PAGE_CACHE_SECONDS = 60
    local_pages.clear()
    yield
    local_pages.clear()


def _html(response) -> str:
    return response.content.decode()


def test_it_speaks_english_to_a_reader_who_chose_nothing():
    page = _html(Client().get("/"))
    assert '<html lang="en" dir="ltr">' in page and "Ask a question" in page


def test_it_switches_language_with_a_form_and_no_token_and_keeps_it_in_a_cookie():
    visitor = Client(enforce_csrf_checks=True)  # cached pages carry no CSRF token: the switcher needs none
    response = visitor.post("/language/", {"language": "es", "next": "/questions/"})
    assert response.status_code == 302 and response["Location"] == "/questions/"
    cookie = response.cookies["language"]
    assert cookie.value == "es" and cookie["httponly"] and cookie["samesite"] == "Lax"
    page = _html(visitor.get("/"))
    assert '<html lang="es" dir="ltr">' in page and "Haz una pregunta" in page and ">Ask a question</a>" not in page


def test_it_mirrors_the_page_for_arabic():
    visitor = Client()
    visitor.post("/language/", {"language": "ar", "next": "/"})
    page = _html(visitor.get("/"))
    assert '<html lang="ar" dir="rtl">' in page and "اطرح سؤالًا" in page


def test_it_follows_the_browsers_language_when_no_choice_was_made():
    page = _html(Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5").get("/"))
    assert '<html lang="es"' in page


def test_it_never_sends_the_reader_to_another_site_after_switching():
    response = Client().post("/language/", {"language": "es", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_it_ignores_a_language_the_site_does_not_speak():
    response = Client().post("/language/", {"language": "xx", "next": "/"})
    assert "language" not in response.cookies


def test_it_refuses_to_switch_with_a_get():
    assert Client().get("/language/?language=es").status_code == 405


def test_it_serves_each_language_its_own_cached_page(page_cache_on):
    question = make_question(title="How do I tell my partner what I like?")
    english, spanish = Client(), Client()
    spanish.cookies["language"] = "es"
    first = english.get(question.get_absolute_url())
    assert first["X-Page-Cache"] == "miss" and "Ask a question" in _html(first)
    other = spanish.get(question.get_absolute_url())
    assert other["X-Page-Cache"] == "miss" and "Haz una pregunta" in _html(other)  # not the English copy
    again = spanish.get(question.get_absolute_url())
    assert again["X-Page-Cache"] == "hit" and "Haz una pregunta" in _html(again)
    assert "Ask a question" in _html(english.get(question.get_absolute_url()))
    by_browser = Client(HTTP_ACCEPT_LANGUAGE="es").get(question.get_absolute_url())
    assert by_browser["X-Page-Cache"] == "hit" and "Haz una pregunta" in _html(by_browser)
    assert "Accept-Language" in first["Vary"] and "Cookie" in first["Vary"]


def test_it_serves_the_scripts_translations_per_language():
    response = Client().get("/jsi18n/es.js")
    assert response.status_code == 200 and "gettext" in _html(response)
    assert "public" in response["Cache-Control"]
    assert Client().get("/jsi18n/xx.js").status_code == 404
    assert Client().post("/jsi18n/es.js").status_code == 405
