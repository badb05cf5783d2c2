"""scripts/localdb.py gives the kept clusters (make run, make bench) a quarter of the machine's
memory as PostgreSQL's page cache, at most 1 GB, never below PostgreSQL's own default."""

import pytest

from tests.live_site import localdb

db = localdb()
GB = 2**30


@pytest.mark.parametrize(("memory", "megabytes"), [(64 * GB, 1024), (4 * GB, 1024), (2 * GB, 512), (GB // 4, 128)])
def test_a_quarter_of_the_memory_at_most_one_gigabyte(monkeypatch, memory, megabytes):
    monkeypatch.setattr(db.os, "sysconf", lambda name: 4096 if name == "SC_PAGE_SIZE" else memory // 4096)
    assert db.shared_buffers_mb() == megabytes


def test_the_default_when_the_memory_is_unknown(monkeypatch):
    def unknown(name):
        raise ValueError(name)

    monkeypatch.setattr(db.os, "sysconf", unknown)
    assert db.shared_buffers_mb() == 128
