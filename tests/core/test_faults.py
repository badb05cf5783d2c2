"""Faults: PostgreSQL stops while gunicorn serves → calm 503s, nothing half-written; it starts → the site recovers.

A real gunicorn process against its own throwaway PostgreSQL cluster (tests/live_site.py), so
stopping that database does not disturb the test database.
"""

import re
import subprocess
import time

import pytest

from tests.live_site import ROOT, Browser, gunicorn_site, localdb

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live_site():
    with gunicorn_site() as site:
        yield site


def _count_questions(site) -> int:
    script = (
        "import django; django.setup(); from forum.questions.models import Question; print(Question.objects.count())"
    )
    env = {**site["env"], "DJANGO_SETTINGS_MODULE": "forum.settings"}
    command = [site["python"], "-c", script]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return int(result.stdout.strip().splitlines()[-1])


def test_it_serves_503s_while_postgres_is_down_and_recovers_without_a_restart(live_site):
    browser = Browser(live_site["base"])
    status, html = browser.request("/questions/ask/")
    assert status == 200
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    tag = re.search(r'name="tags" value="(\d+)"', html).group(1)
    before = _count_questions(live_site)

    # Stop the server only (Cluster.stop would also delete a throwaway cluster's files).
    localdb().pg("pg_ctl", "-D", str(live_site["cluster"].data), "-m", "fast", "-w", "stop", capture_output=True)
    try:
        for path in ("/", "/questions/", "/healthz"):
            status, page = browser.request(path)
            assert status == 503, path
            assert "Traceback" not in page
        status, page = browser.request("/")
        assert "back in a moment" in page
        title, body = "Is it normal to feel numb during sex sometimes?", "Details I do not want to lose if it fails."
        status, page = browser.request(
            "/questions/ask/",
            {"csrfmiddlewaretoken": csrf, "form_token": token, "title": title, "body": body, "tags": [tag]},
        )
        assert status == 503
        assert "Nothing was saved" in page and body in page  # the user's text comes back to them
        assert 'class="site-header"' in page and 'class="site-footer"' in page  # the site's layout, with no query
    finally:
        live_site["cluster"].started_here = False
        live_site["cluster"].start()

    for _ in range(30):  # the same gunicorn workers reconnect by themselves
        status, _ = browser.request("/")
        if status == 200:
            break
        time.sleep(0.2)
    assert status == 200
    assert browser.request("/healthz")[0] == 200
    assert _count_questions(live_site) == before  # nothing half-written
    assert live_site["server"].poll() is None  # never restarted
