"""scripts/localdb.py installs the RUM extension's package with the others: its name follows the
server's major version, and it counts as installed when the server's sharedir has rum.control."""

from pathlib import Path

import pytest

from tests.live_site import localdb

db = localdb()


def test_it_names_the_package_after_the_servers_major_version():
    assert db.rum_package(15) == "postgresql-15-rum"
    assert db.rum_package(17) == "postgresql-17-rum"


def test_it_reads_the_major_version_from_debians_layout():
    assert db.pg_major(Path("/usr/lib/postgresql/16/bin")) == 16


@pytest.mark.skipif(db.pg_bindir() is None, reason="no PostgreSQL server installed")
def test_it_lists_the_package_when_the_sharedir_has_no_rum_control(tmp_path):
    (tmp_path / "extension").mkdir()
    package = db.rum_package(db.pg_major(db.pg_bindir()))
    assert package in db.missing_system_parts(sharedir=tmp_path)
    (tmp_path / "extension" / "rum.control").write_text("default_version = '1.3'\n")
    assert package not in db.missing_system_parts(sharedir=tmp_path)


@pytest.mark.skipif(db.pg_bindir() is None, reason="no PostgreSQL server installed")
def test_it_finds_the_servers_own_sharedir():
    bindir = db.pg_bindir()
    major = db.pg_major(bindir)
    sharedir = db.pg_sharedir(bindir, major)
    assert (sharedir / "extension" / "plpgsql.control").exists()  # every server has it


def test_it_tells_someone_not_root_which_package_to_install():
    hint = db.install_hint(["postgresql-15-rum"])
    assert hint == "Please install the system packages first: sudo apt-get install -y postgresql-15-rum"


def test_as_root_it_installs_the_package_once_the_server_is_in(monkeypatch):
    """Without a server the package has no name yet: a second apt step installs it."""
    server, rum, steps = [], [], []

    def apt_install(packages, update=True):
        steps.append((list(packages), update))
        if "postgresql" in packages:
            server.append(Path("/usr/lib/postgresql/15/bin"))
        if "postgresql-15-rum" in packages:
            rum.append(True)

    monkeypatch.setattr(db, "IS_ROOT", True)
    monkeypatch.setattr(db.shutil, "which", lambda name: f"/usr/bin/{name}")  # apt-get, gcc, msgfmt …
    monkeypatch.setattr(db, "pg_bindir", lambda: server[0] if server else None)
    monkeypatch.setattr(db, "rum_installed", lambda sharedir: bool(rum))
    monkeypatch.setattr(db, "apt_install", apt_install)
    db.ensure_system()
    assert "postgresql" in steps[0][0] and "postgresql-15-rum" not in steps[0][0]
    assert steps[1:] == [(["postgresql-15-rum"], False)]
