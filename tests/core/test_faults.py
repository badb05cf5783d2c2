"""Faults: PostgreSQL stops while gunicorn serves → calm 503s, nothing half-written; it starts → the site recovers.

A real gunicorn process against its own throwaway PostgreSQL cluster (scripts/localdb.py), so
stopping that database does not disturb the test database.
"""

import http.cookiejar
import importlib.util
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _localdb():
    spec = importlib.util.spec_from_file_location("localdb", ROOT / "scripts" / "localdb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A tiny cookie-keeping HTTP client for a live server.

    Production cookies are `Secure` (sent only over TLS); this plain-HTTP loopback client
    sends them back anyway, as the TLS proxy in front of gunicorn would.
    """

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        url = self.base + path
        req = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310 - our loopback server
        if self.jar:
            req.add_header("Cookie", "; ".join(f"{c.name}={c.value}" for c in self.jar))
        try:
            response = urllib.request.urlopen(req, timeout=20)  # noqa: S310 - our loopback server
        except urllib.error.HTTPError as error:
            response = error
        with response:
            self.jar.extract_cookies(response, req)
            return response.status, response.read().decode()


@pytest.fixture(scope="module")
def live_site():
    localdb = _localdb()
    root = Path(tempfile.mkdtemp(prefix="forum-faultdb-", dir="/tmp"))
    cluster = localdb.Cluster(root, throwaway=True)
    cluster.prepare()
    cluster.start()
    static_root = tempfile.mkdtemp(prefix="forum-static-")
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DATABASE_URL": cluster.url,
        "DEBUG": "0",
        "SECRET_KEY": "fault-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static_root,
        "CONN_MAX_AGE": "60",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    for command in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "forum.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield {"base": base, "cluster": cluster, "env": env, "python": python, "server": server}
    finally:
        server.terminate()
        server.wait(timeout=10)
        cluster.started_here = True
        cluster.stop()


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
    _localdb().pg("pg_ctl", "-D", str(live_site["cluster"].data), "-m", "fast", "-w", "stop", capture_output=True)
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
