"""Malformed requests get a 400 in the site's layout, never a 500.

Through Django's test client, a header or cookie value written as "\\xff" stands for the raw
byte 0xFF, exactly as a WSGI server hands it over (bytes as ISO-8859-1).
"""

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT

from tests.factories import make_question

pytestmark = pytest.mark.django_db

LAYOUT = "Community guidelines"  # in base.html's footer


def client():
    return Client(raise_request_exception=False)


def assert_site_400(response):
    assert response.status_code == 400, response.status_code
    html = response.content.decode()
    assert LAYOUT in html and "couldn't read that request" in html
    assert "Traceback" not in html


def multipart(fields: dict[str, bytes]) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in fields.items()
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize(
    "cookie",
    [
        "sessionid=abcdefgh\x00ijklmnop",  # used to reach the session query: a 500
        'sessionid="abcdefgh\\000ijklmnop"',  # the same NUL, as an octal escape Django unquotes
        "sessionid=abcdefgh\xff\xfeijklmnop",  # not UTF-8
        "csrftoken=abc\x01def; sessionid=x",  # control characters: a malformed header
    ],
)
def test_it_answers_a_damaged_cookie_with_400_and_expires_it(cookie):
    for path in ("/", "/questions/", "/questions/ask/"):
        response = client().get(path, HTTP_COOKIE=cookie)
        assert_site_400(response)
    name = cookie.split("=")[0]
    assert response.cookies[name]["max-age"] == 0  # the browser drops it and recovers


def test_it_answers_a_nul_in_a_session_cookie_set_by_the_client_api_with_400():
    visitor = client()
    visitor.cookies["sessionid"] = "a\x00bcdefghijk"
    assert_site_400(visitor.get("/"))


@pytest.mark.parametrize(
    "header",
    [{"HTTP_USER_AGENT": "Mozilla\x00"}, {"HTTP_ACCEPT_LANGUAGE": "en\xff"}, {"HTTP_REFERER": "http://x/\x00"}],
)
def test_it_answers_nul_or_invalid_utf8_in_a_header_with_400(header):
    assert_site_400(client().get("/questions/", **header))


def test_it_answers_nul_or_invalid_utf8_in_the_query_string_and_nul_in_the_path_with_400():
    assert_site_400(client().get("/search/", {"q": "pain\x00"}))
    assert_site_400(client().get("/search/?q=pain%FF"))
    assert_site_400(client().get("/search/?bad%00name=1"))
    assert_site_400(client().get("/questions/%00/"))
    assert client().get("/questions/%FF%FE/").status_code == 404  # Django re-escapes it: no such page


def test_it_answers_nul_or_invalid_utf8_in_a_multipart_field_with_400():
    question = make_question()
    for value in (b"A title with a NUL \x00 inside", b"A title that is not UTF-8 \xff\xfe at all"):
        body = multipart({"title": value, "body": b"Some words."})
        assert_site_400(client().generic("POST", "/questions/ask/", body, content_type=MULTIPART_CONTENT))
    assert_site_400(client().post(f"/report/question/{question.pk}/", {"reason": "spam", "note": "a\x00b"}))


def test_it_answers_nul_or_invalid_utf8_in_a_urlencoded_form_with_400():
    form = "application/x-www-form-urlencoded"
    assert_site_400(client().generic("POST", "/questions/ask/", b"title=a%00b", content_type=form))
    assert_site_400(client().generic("POST", "/questions/ask/", b"title=a%FFb", content_type=form))
    assert_site_400(client().generic("POST", "/questions/ask/", b"title=a\xffb", content_type=form))


def test_it_serves_well_formed_non_ascii_as_usual():
    visitor = client()
    assert visitor.get("/search/", {"q": "café ♥ 性"}).status_code == 200
    assert visitor.get("/tags/caf%C3%A9/").status_code == 404  # a UTF-8 path is no problem either
    assert visitor.get("/questions/", HTTP_ACCEPT_LANGUAGE="fr", HTTP_USER_AGENT="caf\xc3\xa9").status_code == 200
    body = multipart({"title": "Ça va? ♥".encode(), "csrfmiddlewaretoken": b"x"})
    response = visitor.generic("POST", "/questions/ask/", body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 200  # past the check: the form comes back with its errors


def test_it_gives_djangos_own_400s_the_site_layout_too():
    assert_site_400(client().get("/", HTTP_HOST="bad host\x01"))
    assert_site_400(client().get("/", HTTP_HOST="not-allowed.example"))
