"""Security headers on every page: a strict CSP without inline scripts, and the usual companions."""

import re

import pytest

from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def test_it_sends_a_strict_content_security_policy_and_companion_headers(visitor):
    response = visitor.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/", "/questions/", "/questions/ask/", "/tags/", "/experts/", "/accounts/login/",
                                  "/accounts/signup/", "THREAD", "SEARCH"])  # fmt: skip
def test_it_has_no_inline_scripts_or_styles_on_main_pages(visitor, path):
    question = make_question(title="Why do I feel anxious before intimacy?")
    make_answer(question=question, author=UserFactory())
    path = {"THREAD": question.get_absolute_url(), "SEARCH": "/search/?q=anxious"}.get(path, path)
    html = visitor.get(path).content.decode()
    for script in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
        attributes, body = script
        data_block = re.search(r'type="application/(ld\+)?json"', attributes)
        assert data_block or (not body.strip() and "src=" in attributes), f"inline script on {path}: {script}"
    assert not re.search(r"\sstyle=", html), f"inline style attribute on {path}"
    assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"
