"""Load generators and their numbers: wrk with a Lua script that counts statuses, or Python threads."""

from __future__ import annotations

import http.client
import http.cookies
import json
import math
import os
import shutil
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

from .common import MARK, BenchError, say

WRK_SCRIPT = r"""
-- Counts non-2xx responses per thread; done() prints one JSON line for scripts/bench.py.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  s3xx = 0
  s4xx = 0
  s5xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if status >= 500 then s5xx = s5xx + 1 elseif status >= 400 then s4xx = s4xx + 1 else s3xx = s3xx + 1 end
  end
end

function done(summary, latency, requests)
  local n, n3, n4, n5 = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    n = n + thread:get("non2xx")
    n3 = n3 + thread:get("s3xx")
    n4 = n4 + thread:get("s4xx")
    n5 = n5 + thread:get("s5xx")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "non2xx": %d, "s3xx": %d, "s4xx": %d, "s5xx": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, n, n3, n4, n5,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean,
    e.connect, e.read, e.write, e.timeout))
end
"""

# Appended to WRK_SCRIPT for a mix of pages: each wrk thread requests the paths given after
# `--` in turn (one prebuilt request per path), so the load is spread evenly over them.
WRK_ROTATE = r"""
local count_init = init
local requests = {}
local turn = 0

function init(args)
  count_init(args)
  for i, path in ipairs(args) do
    requests[i] = wrk.format(nil, path)
  end
end

function request()
  turn = turn % #requests + 1
  return requests[turn]
end
"""


def form_request(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    form: dict | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
):
    """One request as a browser without JavaScript makes it, on a connection of its own: its
    cookies and CSRF token sent, a form urlencoded, the cookies the answer sets kept in `cookies`.
    Returns the response (already read) and its body."""
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if "csrftoken" in cookies:
        headers["X-CSRFToken"] = cookies["csrftoken"]
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
    finally:
        conn.close()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
        jar.load(header)
        for key, morsel in jar.items():
            cookies[key] = morsel.value
    return response, content


def http_get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response, response.read()
    finally:
        conn.close()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))]


def summarize(latencies: list[float], statuses: dict[int, int], elapsed: float) -> dict:
    latencies.sort()
    requests = len(latencies)
    non2xx = sum(n for status, n in statuses.items() if not 200 <= status <= 299)
    return {
        "requests": requests,
        "rps": round(requests / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "non2xx": non2xx,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def python_load(port: int, path: str | list[str], connections: int, duration: float) -> dict:
    """A tiny closed-loop load generator (when wrk is not there): one thread per connection.

    Given a list of paths, each connection requests them in turn, starting at its own."""
    paths = [path] if isinstance(path, str) else path
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def worker(first: int):
        mine, codes = [], {}
        turn = first
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status = http_get(port, paths[turn % len(paths)])[0]
            except OSError:
                status = 0
            mine.append(time.perf_counter() - started)
            codes[status] = codes.get(status, 0) + 1
            turn += 1
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summarize(latencies, statuses, time.monotonic() - started)


def wrk_load(wrk: str, script: Path, port: int, path: str, connections: int, duration: int,
             script_args: tuple[str, ...] = ()) -> dict:  # fmt: skip
    """wrk on one path, or (script_args: the paths, with WRK_ROTATE in the script) on several in turn."""
    threads = max(1, min(2, connections))
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", str(script),
           f"http://127.0.0.1:{port}{path}"]  # fmt: skip
    if script_args:
        cmd += ["--", *script_args]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith(MARK)), None)
    if result.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {path}: {result.stderr.strip() or result.stdout.strip()}")
    raw = json.loads(line[len(MARK) :])
    seconds = raw["duration_us"] / 1e6
    socket_errors = sum(raw["socket_errors"].values())
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "non2xx": raw["non2xx"],
        "statuses": {"3xx": raw["s3xx"], "4xx": raw["s4xx"], "5xx": raw["s5xx"]},
        "socket_errors": socket_errors,
    }


def find_wrk(smoke: bool, loader: str) -> str | None:
    if loader == "python":
        return None
    wrk = shutil.which("wrk")
    if wrk or (smoke and loader == "auto"):
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing wrk with apt-get (running as root)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        installed = subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True)
        if installed.returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True)
        wrk = shutil.which("wrk")
        if wrk:
            return wrk
    raise BenchError("wrk is not installed: run `sudo apt-get install -y wrk` (or use --smoke, which needs no wrk)")
