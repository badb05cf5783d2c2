"""`make bench-cluster` (scripts/bench_cluster.py) in its quick form: `--smoke` starts its own
loopback cluster, measures 1 to 3 web hosts and four faults for a second or so each, prints its
tables and saves JSON. Run as a subprocess with this process's environment (DATABASE_URL and all:
the cluster makes its own databases and must ignore them).
"""

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.live_site import ROOT

pytestmark = pytest.mark.cluster

FAULTS = [
    "kill web host 2 (SIGKILL)",
    "restart Redis",
    "stop Redis for 1 s, then start it",
    "stop the replica, then start it",
    "replica 2 s behind",
]
LOADS = ["visitors' pages", "members' pages", "write mix"]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench-cluster") / "cluster.json"
    bench = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "bench_cluster.py"), "--smoke", "--json", str(path)],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        out, err = bench.communicate(timeout=100)
    except subprocess.TimeoutExpired:
        bench.send_signal(signal.SIGTERM)  # it stops its cluster on SIGTERM, as on Ctrl-C
        out, err = bench.communicate(timeout=60)
        pytest.fail(f"the smoke run took over 100 s:\n{err[-5000:]}")
    assert bench.returncode == 0, out[-3000:] + err[-5000:]
    return out, json.loads(path.read_text())


def test_it_prints_the_tables(smoke):
    out, _ = smoke
    assert "| hosts | load | req/s | p50 ms | p95 ms | requests | failed | 429 |" in out
    assert "| hosts | load | busy | nginx | web | primary | replica | redis |" in out
    assert "| fault | requests | failed reads | 429 | failed writes | half-done writes | recovery s |" in out
    assert "Bottleneck:" in out
    for hosts in (1, 2, 3):
        for load in LOADS:
            assert f"| {hosts} | {load} | " in out
    for fault in FAULTS:
        assert f"| {fault} | " in out
    assert "Total run time" in out


def test_every_scaling_run_served_requests_and_measured_the_cpu(smoke):
    _, data = smoke
    runs = {(row["hosts"], row["load"]): row for row in data["scaling"]}
    assert set(runs) == {(hosts, load) for hosts in (1, 2, 3) for load in LOADS}
    for row in runs.values():
        assert row["requests"] > 0 and row["rps"] > 0, row
        assert 0 < row["p50_ms"] <= row["p95_ms"] < 10_000, row
        share = row["cpu_share"]
        assert 0 < share["busy"] <= 100 and share["web"] > 0, share
        parts = sum(share[name] for name in ("nginx", "web", "primary", "replica", "redis", "load generator"))
        assert parts <= share["busy"] + 15, share  # the groups' time is (about) part of the machine's
    assert not any(data["scaling_invariants"].values()), data["scaling_invariants"]


def test_every_fault_ran_under_load_and_no_write_was_half_done(smoke):
    _, data = smoke
    faults = {fault["fault"]: fault for fault in data["faults"]}
    assert list(faults) == FAULTS
    for fault in faults.values():
        assert fault["requests"] > 20 and fault["reads"] > 0 and fault["writes"] > 0, fault["fault"]
        assert fault["half_done_writes"] == 0, fault["invariants"]
        assert fault["lost_writes"] == 0, fault["lost_examples"]
        assert fault["own_vote"]["missing_own_vote"] == 0, fault["own_vote"]
        assert fault["recovery_s"] is not None and 0 <= fault["recovery_s"] < 30, fault
        assert fault["error_pages_502"]["other"] == 0, fault["failures"]


def test_the_faults_goals(smoke):
    _, data = smoke
    kill, redis, redis_away, stopped, lag = data["faults"]
    # nginx tries a read again on another host; a write in flight may get the site's own 502 page.
    assert kill["failed_reads"] == 0, kill["failures"]
    assert kill["error_page_check"]["ok"], kill["error_page_check"]
    assert set(kill["error_page_check"]["checks"]) >= {"GET en", "GET es", "GET ar", "POST en"}
    # Redis restarting fails nothing (pages are rendered uncached for a moment); then a rate
    # limit counts again from nothing, on every host.
    assert redis["failed_reads"] == 0 and redis["failed_writes"] == 0, redis["failures"]
    assert redis["rate_limit"]["ok"], redis["rate_limit"]
    assert set(redis["read_p95_ms"]) == {"before", "during", "after"}
    # Redis away for longer than its clients retry: visitors get pages rendered for them, votes go
    # through, and what they changed is invalidated by the task worker once Redis is back.
    assert redis_away["failed_reads"] == 0 and redis_away["failed_writes"] == 0, redis_away["failures"]
    assert redis_away["uncached_pages"] > 0
    assert redis_away["invalidations"]["still_waiting"] == 0, redis_away["invalidations"]
    # Readers never see the replica go away.
    assert stopped["failed_reads"] == 0 and stopped["failed_writes"] == 0, stopped["failures"]
    # The replica was behind the members' votes, and every page after a vote showed it.
    assert lag["lag"]["views_checked"] > 0 and lag["lag"]["replica_behind_the_vote"] > 0, lag["lag"]
    assert lag["own_vote"]["views_after_vote"] > 0
