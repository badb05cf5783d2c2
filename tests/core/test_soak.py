"""A bounded soak: steady load on gunicorn from this process over loopback; no 5xx, no runaway memory.

SOAK_SECONDS (default 30) sets the duration; CI runs the default. The load is a fixed request
rate, not a flood: the point is to see errors and memory creep, not to measure speed
(that is `make bench`).
"""

import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest

from tests.live_site import ROOT, gunicorn_site

pytestmark = pytest.mark.slow

RATE_PER_SECOND = 40
MEMORY_GROWTH_BOUND_KB = 30 * 1024  # per worker, after warm-up


def _worker_rss_kb(master_pid: int) -> dict[int, int]:
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True)
    rss = {}
    for pid in (int(p) for p in children.stdout.split()):
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss[pid] = int(line.split()[1])
    return rss


def _seed(site) -> list[str]:
    env = {**site["env"], "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "forum.settings"}
    subprocess.run([site["python"], "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    script = (
        "import django; django.setup(); from forum.questions.models import Question, Tag;"
        "print('\\n'.join([q.get_absolute_url() for q in Question.objects.published()]"
        " + ['/tags/' + t.slug + '/' for t in Tag.objects.all()[:3]]))"
    )
    out = subprocess.run([site["python"], "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return ["/", "/questions/", "/questions/?sort=active", "/experts/", "/feeds/latest/", *out.stdout.split()]


def test_it_serves_a_steady_load_without_errors_or_memory_growth():
    seconds = float(os.environ.get("SOAK_SECONDS", "30"))
    with gunicorn_site(workers=2) as site:
        paths = _seed(site)
        statuses: Counter = Counter()
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def fetch(path: str) -> None:
            try:
                with urllib.request.urlopen(site["base"] + path, timeout=10) as response:  # noqa: S310 - loopback
                    response.read()
                    code = response.status
            except urllib.error.HTTPError as error:
                code = error.code
            except OSError:
                code = 0
            with lock:
                statuses[code] += 1

        def pump() -> None:
            interval = 4 / RATE_PER_SECOND  # four pumps share the rate
            n = 0
            while time.monotonic() < stop_at:
                fetch(paths[n % len(paths)])
                n += 1
                time.sleep(interval)

        for path in paths:  # warm every page once, then take the baseline
            fetch(path)
        baseline = _worker_rss_kb(site["server"].pid)
        pumps = [threading.Thread(target=pump) for _ in range(4)]
        for thread in pumps:
            thread.start()
        for thread in pumps:
            thread.join()
        after = _worker_rss_kb(site["server"].pid)

    total = sum(statuses.values())
    print(f"soak: {total} requests in {seconds:.0f}s, statuses {dict(statuses)}, rss kB {baseline} -> {after}")
    assert total >= seconds * RATE_PER_SECOND * 0.5
    assert set(statuses) == {200}, statuses
    for pid, rss in after.items():
        if pid in baseline:
            assert rss - baseline[pid] < MEMORY_GROWTH_BOUND_KB, (pid, baseline[pid], rss)
