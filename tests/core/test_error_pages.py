"""Every error status is a readable page in the site's layout, provoked through real addresses:
never an empty body, never a stack trace, with the same security headers as any page."""

import re
from types import SimpleNamespace

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from forum.core import views as core_views
from forum.questions import views as question_views
from forum.questions.services import question_delete
from tests.factories import make_question

pytestmark = pytest.mark.django_db

ASK = {"title": "Is it normal to feel nervous before a first time?", "body": "Weeks of worry, and I want to say it."}


def _missing_page(world):
    return world.visitor.get("/no-such-page/")


def _wrong_method(world):
    return world.member.get(f"/questions/{world.question.pk}/answer/")


def _forbidden_desk(world):
    return world.member.get("/moderation/")


def _deleted_question_key(world):
    key = world.question.key
    question_delete(question=world.question)
    return world.visitor.get(f"/questions/key/{key}/")


def _rate_limited_ask(world):
    for _ in range(10):
        world.visitor.post("/questions/ask/", {"title": "x"})
    return world.visitor.post("/questions/ask/", {"title": "x"})


def _malformed(world):
    return world.visitor.get("/questions/?q=%00")


def _expired_form(world):
    client = Client(enforce_csrf_checks=True)
    return client.post("/questions/ask/", ASK, HTTP_ORIGIN="http://testserver")


def _raised_error(world):
    world.monkeypatch.setattr(question_views.selectors, "home_lists", _raise(RuntimeError("boom in a selector")))
    return Client(raise_request_exception=False).get("/")


def _database_unavailable(world):
    world.monkeypatch.setattr(question_views.services, "question_create", _raise(OperationalError("server closed")))
    client = Client(raise_request_exception=False)
    page = client.get("/questions/ask/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    tag = re.search(r'name="tags" value="(\d+)"', page).group(1)
    return client.post("/questions/ask/", {**ASK, "form_token": token, "tags": [tag]})


def _raise(error):
    def fail(*args, **kwargs):
        raise error

    return fail


CASES = [
    (400, _malformed, "Bad request", "Your browser sent something the forum can't understand"),
    (403, _forbidden_desk, "Not allowed", "doesn't have permission"),
    (403, _expired_form, "Form expired", "nothing was sent"),
    (404, _missing_page, "Page not found", "It may have been moved or removed"),
    (405, _wrong_method, "Not available this way", "It belongs to a button on another page"),
    (410, _deleted_question_key, "Question deleted", "Its words are gone from the forum"),
    (429, _rate_limited_ask, "Slow down", "Please try again in"),
    (500, _raised_error, "Something went wrong", "Nothing you did caused it"),
    (503, _database_unavailable, "Back in a moment", "usually passes within a minute"),
]


@pytest.mark.parametrize(
    ("status", "provoke", "title", "sentence"), CASES, ids=[f"{c[0]}-{c[1].__name__}" for c in CASES]
)
def test_it_answers_every_error_with_a_page_in_the_sites_layout(
    member, visitor, monkeypatch, status, provoke, title, sentence
):
    world = SimpleNamespace(member=member, visitor=visitor, question=make_question(), monkeypatch=monkeypatch)
    response = provoke(world)
    html = response.content.decode()

    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert re.search(rf"<title>{re.escape(title)}[^<]* · Ask Freely</title>", html), html[:400]
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'class="error-page"' in html and sentence in html
    assert "Traceback" not in html and "boom" not in html and "server closed" not in html
    if status not in (500, 503):  # the last resort's pages come from Django's handler, outside the stack
        assert "Content-Security-Policy" in response.headers and response["X-Frame-Options"] == "DENY"


def test_it_keeps_the_allow_header_on_the_405_page(member):
    response = member.get(f"/questions/{make_question().pk}/answer/")
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_it_gives_the_malformed_requests_page_the_sites_security_headers(visitor):
    response = visitor.get("/questions/?q=%00")
    assert response.status_code == 400
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY" and "camera=()" in response["Permissions-Policy"]


def test_it_gives_back_the_text_of_a_form_refused_for_its_expired_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/questions/ask/", ASK, HTTP_ORIGIN="http://testserver")
    html = response.content.decode()
    assert response.status_code == 403 and ASK["title"] in html and ASK["body"] in html
    assert response["Cache-Control"] == "no-store"


def test_it_shows_no_text_from_a_post_forged_by_another_site():
    client = Client(enforce_csrf_checks=True)
    forged = {"title": "Call 555-0100 to fix your account", "body": "Words another site wants on our page."}
    for headers in ({"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_REFERER": "https://evil.example/x"}, {}):
        html = client.post("/questions/ask/", forged, **headers).content.decode()
        assert forged["title"] not in html and forged["body"] not in html


@pytest.mark.parametrize("error", [RuntimeError("boom"), OperationalError("server closed")])
def test_it_renders_the_last_resort_pages_without_touching_the_database(django_assert_num_queries, error):
    request = RequestFactory().post("/questions/ask/", ASK)
    with django_assert_num_queries(0):
        try:
            raise error
        except type(error):
            response = core_views.error_500(request)
    html = response.content.decode()
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    if isinstance(error, OperationalError):
        assert response.status_code == 503 and ASK["body"] in html
    else:
        assert response.status_code == 500 and ASK["body"] not in html


def test_it_answers_a_plain_page_if_the_layout_itself_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("template broke")

    monkeypatch.setattr(core_views.loader, "render_to_string", broken)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = core_views.error_500(RequestFactory().get("/"))
    assert response.status_code == 500 and b"Something went wrong" in response.content


def test_it_gives_back_markup_as_text_on_the_refused_form_page():
    client = Client(enforce_csrf_checks=True)
    data = {"title": "<script>alert(1)</script>", "body": '<img src=x onerror="alert(2)">'}
    html = client.post("/questions/ask/", data, HTTP_REFERER="http://testserver/questions/ask/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert 'onerror="alert(2)"' not in html


def test_it_gives_back_the_text_of_a_rate_limited_post(visitor):
    for _ in range(10):
        visitor.post("/questions/ask/", {"title": "x"})
    response = visitor.post("/questions/ask/", ASK, HTTP_ORIGIN="http://testserver")
    html = response.content.decode()
    assert response.status_code == 429 and ASK["title"] in html and ASK["body"] in html
    forged = visitor.post("/questions/ask/", ASK, HTTP_ORIGIN="https://evil.example").content.decode()
    assert ASK["body"] not in forged
