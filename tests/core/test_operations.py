import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.test import RequestFactory

from forum.core.logging import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]


def test_it_reports_healthy_when_the_database_answers(visitor, db):
    response = visitor.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_reports_503_without_details_when_the_database_is_unreachable(tmp_path):
    # A real process whose DATABASE_URL points at a socket where no server listens.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode().strip())"
    )
    env = dict(os.environ, DEBUG="1", DJANGO_SETTINGS_MODULE="forum.settings")
    env["DATABASE_URL"] = f"postgres://postgres@{str(tmp_path).replace('/', '%2F')}/nothing"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "503 unavailable"


def test_it_rejects_post_on_healthz(visitor, db):
    assert visitor.post("/healthz").status_code == 405


def test_it_serves_robots_txt_keeping_private_pages_out(visitor, db):
    response = visitor.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /questions/key/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_it_shows_the_custom_404_page(visitor, db):
    response = visitor.get("/no-such-page/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()
    assert b'<main id="main"' in response.content


def test_it_renders_the_base_page_with_its_landmarks(visitor, db):
    response = visitor.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="skip-link" href="#main"' in html
    assert '<header class="site-header" role="banner">' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert 'role="search"' in html
    assert '<main id="main"' in html
    assert 'role="contentinfo"' in html
    for link in ("/guidelines/", "/privacy/", "/about/", "/questions/ask/"):
        assert f'href="{link}"' in html


def test_it_serves_the_about_pages(visitor, db):
    for path, heading in (("/about/", "About"), ("/guidelines/", "Community guidelines"), ("/privacy/", "Privacy")):
        response = visitor.get(path)
        assert response.status_code == 200
        assert f"<h1>{heading}" in response.content.decode()


def test_it_logs_json_without_client_address_or_question_key():
    request = RequestFactory().post(
        "/questions/key/s3cr3t-token/", data={"body": "very private words"}, REMOTE_ADDR="203.0.113.9"
    )
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", (request.path,), None)
    record.request = request
    record.status_code = 404
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["status"] == 404
    assert entry["method"] == "POST"
    assert "203.0.113.9" not in line
    assert "s3cr3t-token" not in line
    assert "very private words" not in line
