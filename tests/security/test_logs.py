"""Promise 2 for logs: what the app writes never holds a client address, a request body or a question key.

A handler with the app's own JsonFormatter is attached to the root and "django" loggers (the
ones settings.LOGGING configures), then requests that make Django log are sent from a
distinctive address: 404s on a real key's URL, 403s, 405s, a 400, a 429, a CSRF failure and
500s. Every formatted line is then searched.
"""

import json
import logging

import pytest
from django.test import Client

from forum.core.logging import JsonFormatter
from tests.factories import UserFactory, make_question

pytestmark = pytest.mark.django_db

IP = "203.0.113.88"
FORWARDED = "198.51.100.99"
BODY = "ultra-private-body-text"


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    handler = _Capture()
    loggers = [logging.getLogger(), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


def _client(**extra):
    return Client(raise_request_exception=False, REMOTE_ADDR=IP, HTTP_X_FORWARDED_FOR=f"{FORWARDED}, {IP}", **extra)


def _statuses(lines):
    return {json.loads(line).get("status") for line in lines}


def _secrets_in(lines, *secrets):
    return [line for line in lines if any(secret in line for secret in secrets)]


def test_it_logs_errors_without_the_address_the_body_or_the_question_key(log_lines, monkeypatch):
    from forum.desk import services as moderation_services
    from forum.questions import selectors

    published = make_question()
    pending = make_question(status="pending")
    key = pending.key
    visitor = _client()
    member = _client()
    member.force_login(UserFactory())
    body = {"title": f"Is this {BODY} a question?", "body": f"{BODY} " * 5, "key": key, "note": BODY}

    # 404: a real key with a typo after it, and an answer to a question that isn't open.
    assert visitor.get(f"/questions/key/{key}/typo").status_code == 404
    assert visitor.get(f"/questions/key/{key}/typo", {"q": BODY}).status_code == 404
    assert member.post(f"/questions/{pending.pk}/answer/", {"body": BODY * 2}).status_code == 404
    # 403: not the asker (the key of another question in the body), and a CSRF failure.
    assert member.post(f"/questions/{published.pk}/edit/", body).status_code == 403
    assert member.post(f"/questions/{published.pk}/delete/", body).status_code == 403
    strict = _client(enforce_csrf_checks=True)
    assert strict.post(f"/report/question/{published.pk}/", {"reason": "other", "note": BODY}).status_code == 403
    # 405: the key page takes no POST, an action takes no GET.
    assert visitor.post(f"/questions/key/{key}/", body).status_code == 405
    assert visitor.get(f"/questions/{published.pk}/delete/", {"key": key}).status_code == 405
    # 400: an answer too short to post, carrying the body text.
    assert member.post(f"/questions/{published.pk}/answer/", {"body": BODY[:10]}).status_code == 400
    # 429: more reports from one source than the limit allows.
    statuses = {visitor.post(f"/report/question/{published.pk}/", body).status_code for _ in range(21)}
    assert 429 in statuses, statuses

    # 500: the key page, and a report carrying the body, fail with an unexpected error.
    def broken(*args, **kwargs):
        raise RuntimeError("the question store failed")

    monkeypatch.setattr(selectors, "question_for_key", broken)
    monkeypatch.setattr(moderation_services, "flag_create", broken)
    assert visitor.get(f"/questions/key/{key}/", {"q": BODY}).status_code == 500
    assert member.post(f"/report/question/{published.pk}/", {**body, "reason": "other"}).status_code == 500
    monkeypatch.undo()

    lines = list(log_lines)
    assert {400, 403, 404, 405, 429, 500} <= _statuses(lines), _statuses(lines)
    assert any("/questions/key/[redacted]" in line for line in lines), "the key's URL was logged, redacted"
    assert any('"exception"' in line for line in lines), "the 500 was logged with its traceback"
    leaked = _secrets_in(lines, IP, FORWARDED, BODY, key)
    assert not leaked, "\n".join(leaked)


def test_it_redacts_a_key_in_a_mistyped_link(log_lines):
    key = make_question(status="pending").key
    visitor = _client()
    for path in (f"/Questions/Key/{key}/", f"/questions/KEY/{key}/"):
        assert visitor.get(path).status_code == 404
    leaked = _secrets_in(log_lines, key)
    assert log_lines and not leaked, "\n".join(leaked)


def test_it_answers_a_nul_byte_with_a_client_error_not_a_500(log_lines):
    visitor = _client()
    statuses = {
        url: visitor.get(url).status_code for url in ("/questions/?tag=%00", "/search/?q=x&tag=%00", "/users/a%00b/")
    }
    assert all(400 <= status < 500 for status in statuses.values()), statuses
    assert not _secrets_in(log_lines, IP, FORWARDED)
