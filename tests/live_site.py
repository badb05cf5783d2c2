"""A real gunicorn serving the forum against its own throwaway PostgreSQL cluster.

Used by the fault and soak tests: they stop the database or push steady load without
disturbing pytest's own test database.
"""

import contextlib
import http.cookiejar
import importlib.util
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def localdb():
    spec = importlib.util.spec_from_file_location("localdb", ROOT / "scripts" / "localdb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
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


@contextlib.contextmanager
def gunicorn_site(workers: int = 2, env: dict[str, str] | None = None):
    """`env`: more settings for the site (e.g. TRUSTED_PROXIES)."""
    root = Path(tempfile.mkdtemp(prefix="forum-livedb-", dir="/tmp"))
    cluster = localdb().Cluster(root, throwaway=True)
    cluster.prepare()
    cluster.start()
    static_root = tempfile.mkdtemp(prefix="forum-static-")
    port = free_port()
    extra = env or {}
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DATABASE_URL": cluster.url,
        "DEBUG": "0",
        "SECRET_KEY": "fault-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static_root,
        "CONN_MAX_AGE": "60",
        **extra,
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    for command in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "forum.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--timeout",
            "30",
        ],
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
