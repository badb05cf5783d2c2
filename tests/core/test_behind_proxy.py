"""Behind a reverse proxy, on real sockets: each client keeps its own rate limit, and forging
X-Forwarded-For buys nothing; each gets its own source hash.

gunicorn serves the forum with TRUSTED_PROXIES=127.0.0.1 (tests/live_site.py). A small
threaded proxy in this file listens on loopback and, like nginx's
`proxy_add_x_forwarded_for`, appends the address of whoever connected to it. Clients bind
their sockets to different loopback addresses (all of 127/8 is loopback on Linux): A is
127.0.0.2, B 127.0.0.3; the forger talks to gunicorn directly from 127.0.0.4.
Search allows 60 requests a minute per source.
"""

import ast
import contextlib
import http.client
import http.server
import re
import subprocess
import threading
import urllib.parse

import pytest

from tests.live_site import ROOT, free_port, gunicorn_site

pytestmark = pytest.mark.slow

PROXY_ADDRESS = "127.0.0.1"
CLIENT_A, CLIENT_B, FORGER, SNEAK = "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"}
SEARCH = "/search/?q=first+time"
ENOUGH = 130  # 60 a window: a window ending midway only moves the refusal into the next one


@contextlib.contextmanager
def reverse_proxy(upstream_port: int):
    """A threaded HTTP proxy on 127.0.0.1 that appends the connecting peer to X-Forwarded-For."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.forward()

        def do_POST(self):
            self.forward()

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            claimed = ", ".join(self.headers.get_all("X-Forwarded-For") or [])
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"x-forwarded-for"}}
            headers["X-Forwarded-For"] = f"{claimed}, {self.client_address[0]}" if claimed else self.client_address[0]
            upstream = http.client.HTTPConnection(
                "127.0.0.1", upstream_port, timeout=20, source_address=(PROXY_ADDRESS, 0)
            )
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                data = response.read()
            finally:
                upstream.close()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP | {"content-length", "date", "server"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((PROXY_ADDRESS, free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def get(port: int, source: str, path: str = SEARCH, forwarded: str | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=(source, 0))
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def until_refused(send) -> tuple[int, http.client.HTTPResponse]:
    """Send requests (send(n) → response) until one is refused; (how many passed, the refusal)."""
    for n in range(ENOUGH):
        response = send(n)
        if response.status == 429:
            return n, response
        assert response.status == 200, response.status
    pytest.fail(f"{ENOUGH} requests and never refused")


@pytest.fixture(scope="module")
def site():
    with (
        gunicorn_site(workers=2, env={"TRUSTED_PROXIES": PROXY_ADDRESS}) as live,
        reverse_proxy(int(live["base"].rsplit(":", 1)[1])) as proxy_port,
    ):
        yield {"gunicorn": int(live["base"].rsplit(":", 1)[1]), "proxy": proxy_port, "env": live["env"],
               "python": live["python"]}  # fmt: skip


def test_it_gives_each_client_behind_the_proxy_its_own_limit(site):
    passed, refused = until_refused(lambda n: get(site["proxy"], CLIENT_A))
    assert passed >= 60 and 0 < int(refused.getheader("Retry-After")) <= 60
    assert get(site["proxy"], CLIENT_B).status == 200  # B's own bucket is untouched
    assert get(site["proxy"], CLIENT_A).status == 429  # A's is still spent


def test_it_ignores_what_a_client_claims_in_front_of_the_proxy(site):
    # Every request claims a new address; the proxy appends the real one, which is what counts.
    passed, _ = until_refused(lambda n: get(site["proxy"], SNEAK, forwarded=f"198.51.100.{n % 250}"))
    assert passed >= 60
    assert get(site["proxy"], SNEAK).status == 429


def test_it_ignores_forwarded_for_sent_straight_to_the_app_by_an_untrusted_peer(site):
    # The forger claims a new address each time, or to be client B: it stays in its own peer's bucket.
    claims = [f"198.51.100.{n}" for n in range(1, 200)]
    passed, _ = until_refused(lambda n: get(site["gunicorn"], FORGER, forwarded=claims[n] if n % 2 else CLIENT_B))
    assert passed >= 60
    assert get(site["gunicorn"], FORGER).status == 429  # the same bucket as its peer address
    assert get(site["gunicorn"], FORGER, forwarded=CLIENT_A).status == 429
    assert get(site["proxy"], CLIENT_B).status == 200  # B never paid for the forger's claims


def ask(port: int, source: str, title: str, forwarded: str | None = None) -> int:
    """Ask a question as a visitor from `source`: the ask page, then its form with the CSRF cookie."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=(source, 0))
    connection.request("GET", "/questions/ask/", headers={"X-Forwarded-For": forwarded} if forwarded else {})
    page = connection.getresponse()
    html = page.read().decode()
    connection.close()
    cookie = "; ".join(value.split(";", 1)[0] for name, value in page.getheaders() if name.lower() == "set-cookie")
    fields = {name: re.search(rf'name="{name}" value="([^"]+)"', html).group(1)
              for name in ("csrfmiddlewaretoken", "form_token")}  # fmt: skip
    fields |= {"title": title, "body": "Details of the situation, long enough to pass the form.",
               "tags": re.search(r'name="tags" value="(\d+)"', html).group(1)}  # fmt: skip
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=(source, 0))
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"}
    if forwarded is not None:
        headers["X-Forwarded-For"] = forwarded
    connection.request("POST", "/questions/ask/", body=urllib.parse.urlencode(fields), headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def stored_source_hashes(site) -> dict[str, str]:
    code = (
        "from forum.questions.models import Question; print(dict(Question.objects.values_list('title', 'source_hash')))"
    )
    result = subprocess.run([site["python"], "manage.py", "shell", "-c", code], cwd=ROOT, env=site["env"],
                            capture_output=True, text=True, check=True)  # fmt: skip
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_it_gives_two_clients_behind_the_proxy_different_source_hashes_and_a_forger_its_peers(site):
    assert ask(site["proxy"], CLIENT_A, "Is it normal to feel shy the first time, from A?") == 302
    assert ask(site["proxy"], CLIENT_B, "Is it normal to feel shy the first time, from B?") == 302
    assert ask(site["gunicorn"], FORGER, "Is it normal to feel shy the first time, forged?", forwarded=CLIENT_A) == 302
    assert ask(site["gunicorn"], FORGER, "Is it normal to feel shy the first time, plain?") == 302
    hashes = stored_source_hashes(site)
    from_a = hashes["Is it normal to feel shy the first time, from A?"]
    from_b = hashes["Is it normal to feel shy the first time, from B?"]
    assert len(from_a) == 64 and len(from_b) == 64 and from_a != from_b
    # Claiming to be A straight to gunicorn earns the forger its own peer's hash, not A's.
    forged = hashes["Is it normal to feel shy the first time, forged?"]
    assert forged == hashes["Is it normal to feel shy the first time, plain?"] != from_a
