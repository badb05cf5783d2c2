#!/usr/bin/env python3
"""A project-local PostgreSQL with no setup (standard library only).

    python3 scripts/localdb.py system              check/install the system packages we need
    python3 scripts/localdb.py dev  -- CMD ...     run CMD against the checkout's own cluster
    python3 scripts/localdb.py test -- CMD ...     run CMD against a throwaway cluster

`dev` keeps its data in `.localdb/` (ignored by git) between runs; `test` makes a fresh
cluster under /tmp and removes it afterwards. The cluster this script started is stopped when
CMD ends, on Ctrl-C too. If `DATABASE_URL` is already set, it is used as it is and nothing is
started.

Two database roles, created idempotently (also on a `.localdb/` from before they existed):
`forum_owner` owns the database and every table and runs migrations; `forum_app` (the web
process) may read and write the tables (default privileges of forum_owner) but owns nothing,
and migration moderation/0004 takes UPDATE, DELETE and TRUNCATE on the audit log away from it.
CMD gets `DATABASE_OWNER_URL` (forum_owner) and `DATABASE_URL`: forum_app for `dev`, the owner
for `test` (pytest-django creates and migrates the test database; tests that need the app role
log in as forum_app or `SET ROLE forum_app`, which the test cluster's owner is allowed).

The `rum` extension (Debian's postgresql-<major>-rum, installed with the other system packages)
is not trusted: the superuser creates it in template1 and the forum's database, and migration
questions/0018 builds the search index with it.

The server listens on a unix socket only, so checkouts never fight over a port. initdb and
pg_ctl refuse to run as root: as root they run as the `postgres` system user.
"""

from __future__ import annotations

import base64
import glob
import hashlib
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DB_NAME = "forum"
OWNER_ROLE = "forum_owner"
APP_ROLE = os.environ.get("DATABASE_APP_ROLE") or "forum_app"  # the same setting the migrations read
APT_PACKAGES = ["postgresql", "libpq-dev", "gcc", "python3-venv", "chromium", "gettext", "redis-server", "nginx"]
IS_ROOT = os.geteuid() == 0


def say(message: str) -> None:
    print(f"[localdb] {message}", file=sys.stderr, flush=True)


def fail(message: str) -> None:
    print(f"[localdb] {message}", file=sys.stderr, flush=True)
    sys.exit(2)


# --- system packages -------------------------------------------------------------------


def pg_bindir() -> Path | None:
    override = os.environ.get("PG_BINDIR")
    if override:
        return Path(override)
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def pg_major(bindir: Path) -> int | None:
    """The server's major version: from Debian's /usr/lib/postgresql/<major>/bin, else `pg_config`."""
    if bindir.parent.name.isdigit():
        return int(bindir.parent.name)
    pg_config = bindir / "pg_config"
    if not pg_config.exists():
        return None
    version = subprocess.run([str(pg_config), "--version"], capture_output=True, text=True).stdout
    found = re.search(r"PostgreSQL (\d+)", version)
    return int(found.group(1)) if found else None


def pg_sharedir(bindir: Path, major: int) -> Path:
    pg_config = bindir / "pg_config"
    if pg_config.exists():
        result = subprocess.run([str(pg_config), "--sharedir"], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip():
            return Path(result.stdout.strip())
    return Path(f"/usr/share/postgresql/{major}")


def rum_package(major: int) -> str:
    """Debian's package of the RUM index (search ranking) follows the server's major version."""
    return f"postgresql-{major}-rum"


def rum_installed(sharedir: Path) -> bool:
    return (sharedir / "extension" / "rum.control").exists()


def missing_system_parts(sharedir: Path | None = None) -> list[str]:
    """Debian packages to install. `sharedir`: the server's, found from pg_bindir() if not given.
    Without a server the RUM package has no name yet: ensure_system asks again once it is in."""
    missing = []
    bindir = pg_bindir()
    major = pg_major(bindir) if bindir is not None else None
    if bindir is None:
        missing.append("postgresql")
    elif major is not None and not rum_installed(sharedir or pg_sharedir(bindir, major)):
        missing.append(rum_package(major))  # the extension of the search index (migration questions/0018)
    if shutil.which("pg_config") is None:
        missing.append("libpq-dev")
    if shutil.which("gcc") is None:
        missing.append("gcc")
    venv_ok = subprocess.run([sys.executable, "-c", "import ensurepip, venv"], capture_output=True).returncode
    if venv_ok != 0:
        missing.append("python3-venv")
    if not Path("/usr/bin/chromium").exists() and shutil.which("chromium") is None:
        missing.append("chromium")  # the browser tests (tests/e2e) drive Debian's Chromium
    if shutil.which("msgfmt") is None:
        missing.append("gettext")  # compiles the translations (locale/*.po) and checks them in `make lint`
    # The loopback cluster (scripts/cluster.py: `make cluster`, `make bench-cluster`, tests/cluster).
    if shutil.which("redis-server") is None and not Path("/usr/bin/redis-server").exists():
        missing.append("redis-server")
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        missing.append("nginx")
    return missing


def apt_install(packages: list[str], update: bool = True) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    conf = Path("/etc/postgresql-common/createcluster.conf")
    # We never want Debian's own cluster on port 5432: each checkout runs its own.
    if not conf.exists():
        conf.parent.mkdir(parents=True, exist_ok=True)
        conf.write_text("create_main_cluster = false\n")
    say(f"installing {' '.join(packages)} with apt-get (running as root)")
    if update:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def install_hint(missing: list[str]) -> str:
    return f"Please install the system packages first: sudo apt-get install -y {' '.join(missing)}"


def ensure_system() -> None:
    missing = missing_system_parts()
    if not missing:
        return
    if IS_ROOT and shutil.which("apt-get"):
        apt_install(missing)
        still = missing_system_parts()
        # A second step for what could only be named once the server was in (postgresql-<major>-rum).
        named_now = [package for package in still if package not in missing]
        if named_now:
            apt_install(named_now, update=False)
            still = missing_system_parts()
        if still:
            fail(f"still missing after apt-get: {' '.join(still)}")
        return
    fail(install_hint(missing))


# --- running as the right user ---------------------------------------------------------


def as_pg_user() -> dict:
    """Keyword arguments for subprocess so the server never runs as root."""
    if not IS_ROOT:
        return {}
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        fail("running as root needs the 'postgres' system user (apt-get install -y postgresql creates it)")
    return {"user": "postgres", "group": "postgres", "extra_groups": []}


def chown_to_pg(path: Path) -> None:
    if IS_ROOT:
        shutil.chown(path, "postgres", "postgres")


def reachable_by_pg(path: Path) -> bool:
    if not IS_ROOT:
        return True
    probe = subprocess.run(["test", "-w", str(path), "-a", "-x", str(path)], **as_pg_user())
    return probe.returncode == 0


def shared_buffers_mb() -> int:
    """PostgreSQL's page cache for the kept clusters (make run, make bench): a quarter of the
    machine's memory, at most 1 GB. The default 128 MB is for tiny machines: at 100,000
    questions the questions table alone is 336 MB, and a search read ~500 of its pages through
    the kernel instead (search p95 at 100,000: rare word 50.8 -> 44.4 ms). The memory is taken
    as pages are used, not at start."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 128
    return max(128, min(1024, memory // 4 // 2**20))


def pg(binary: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(pg_bindir() / binary), *args], **as_pg_user(), **kwargs)


# --- a cluster -------------------------------------------------------------------------


class Cluster:
    def __init__(self, root: Path, throwaway: bool):
        self.root = root
        self.data = root / "data"
        self.throwaway = throwaway
        sock = root / "sock"
        if len(str(sock)) > 90:  # unix socket paths are limited to 107 bytes
            digest = hashlib.sha256(str(root).encode()).hexdigest()[:12]
            sock = Path(tempfile.gettempdir()) / f"forum-sock-{digest}"
        self.sock = sock
        self.started_here = False
        self.extra_options = ""  # more `-c name=value` for the server (scripts/cluster.py's primary and replica)

    @property
    def url(self) -> str:
        """The superuser's URL (the benchmark's and the fault tests' own clusters use it)."""
        return self.url_as("postgres")

    def url_as(self, role: str) -> str:
        return f"postgres://{role}@{urllib.parse.quote(str(self.sock), safe='')}/{DB_NAME}"

    def prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.sock.mkdir(parents=True, exist_ok=True)
        for path in (self.root, self.sock):
            os.chmod(path, 0o700)
            chown_to_pg(path)
        if not reachable_by_pg(self.root):
            fail(
                f"the postgres user cannot reach {self.root}; move the checkout out of a "
                "private (0700) directory such as /root, or set DATABASE_URL"
            )
        if not (self.data / "PG_VERSION").exists():
            self.data.mkdir(exist_ok=True)
            chown_to_pg(self.data)
            args = ["-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
            args += ["--locale=C.UTF-8"]
            if self.throwaway:
                args.append("--no-sync")
            result = pg("initdb", *args, capture_output=True, text=True)
            if result.returncode != 0:
                fail(f"initdb failed:\n{result.stdout}{result.stderr}")

    def running(self) -> bool:
        return pg("pg_ctl", "-D", str(self.data), "status", capture_output=True).returncode == 0

    def start(self) -> None:
        if self.running():
            say(f"reusing the running cluster in {self.data}")
            return
        options = f"-k {self.sock} -c listen_addresses=''"
        if self.throwaway:
            # More connections than the default 100: the concurrency tests open one per thread.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        else:
            options += f" -c shared_buffers={shared_buffers_mb()}MB"
        if self.extra_options:
            options += f" {self.extra_options}"
        result = pg(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
            capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            fail(f"PostgreSQL did not start:\n{result.stderr}\n{log}")
        self.started_here = True
        exists = pg(
            "psql", "-h", str(self.sock), "-U", "postgres", "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'",
            capture_output=True, text=True,
        )  # fmt: skip
        if exists.stdout.strip() != "1":
            pg("createdb", "-h", str(self.sock), "-U", "postgres", DB_NAME, check=True)

    def psql(self, database: str, script: str) -> None:
        """Run SQL as the superuser; stop with its error if a statement fails."""
        result = pg(
            "psql", "-h", str(self.sock), "-U", "postgres", "-d", database, "-X", "-q",
            "-v", "ON_ERROR_STOP=1", "-f", "-",
            input=script, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            fail(f"setting up the database failed in {database}:\n{result.stderr}")
        for line in result.stderr.splitlines():
            if "NOTICE:" in line:
                say(line.split("NOTICE:", 1)[1].strip())

    def setup_roles(self, for_tests: bool) -> None:
        """The owner and app roles, idempotently. See the module docstring."""
        self.psql("postgres", roles_sql(for_tests))
        # template1 too: databases created later in this cluster (pytest's test database) copy it.
        for database in ("template1", DB_NAME):
            self.psql(database, DEFAULT_PRIVILEGES_SQL.format(owner=OWNER_ROLE, app=APP_ROLE))
        self.create_extensions()
        self.psql(DB_NAME, ADOPT_SQL.format(owner=OWNER_ROLE, app=APP_ROLE))

    def create_extensions(self) -> None:
        """The extensions only a superuser may create, in template1 and the forum's database:
        rum (migration questions/0018 builds the search index with it when it is there)."""
        for database in ("template1", DB_NAME):
            self.psql(database, "CREATE EXTENSION IF NOT EXISTS rum;")

    def stop(self) -> None:
        if self.started_here:
            pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", capture_output=True)
            self.started_here = False
        if self.throwaway:
            shutil.rmtree(self.root, ignore_errors=True)
            shutil.rmtree(self.sock, ignore_errors=True)


# --- database roles --------------------------------------------------------------------


def roles_sql(for_tests: bool) -> str:
    for role in (OWNER_ROLE, APP_ROLE):
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
            fail(f"{role!r} is not a plain role name (lower-case letters, digits, underscores)")
    if APP_ROLE == OWNER_ROLE:
        fail(f"DATABASE_APP_ROLE must not be the owner role {OWNER_ROLE}")
    if for_tests:
        # pytest-django creates the test database as the owner; tests `SET ROLE` to the app role.
        owner_extra = f"ALTER ROLE {OWNER_ROLE} CREATEDB;\nGRANT {APP_ROLE} TO {OWNER_ROLE};"
    else:
        owner_extra = f"ALTER ROLE {OWNER_ROLE} NOCREATEDB;"
    return f"""
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN CREATE ROLE {OWNER_ROLE}; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN CREATE ROLE {APP_ROLE}; END IF;
END $$;
ALTER ROLE {OWNER_ROLE} LOGIN NOSUPERUSER NOCREATEROLE;
ALTER ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
{owner_extra}
ALTER DATABASE {DB_NAME} OWNER TO {OWNER_ROLE};
GRANT CONNECT ON DATABASE {DB_NAME} TO {APP_ROLE};
"""


# Tables and sequences the owner creates from now on (every later migration, createcachetable)
# are readable and writable by the app. Never functions, schemas or ownership.
DEFAULT_PRIVILEGES_SQL = """
GRANT USAGE ON SCHEMA public TO {app};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {app};
"""

# A database migrated before the roles existed (or by the superuser) has tables owned by
# `postgres`: hand them to the owner, and grant the app what default privileges would have.
# Sequences of identity and serial columns follow their table; extensions' objects stay.
ADOPT_SQL = """
DO $$
DECLARE
    item record;
    adopted integer := 0;
BEGIN
    FOR item IN
        SELECT c.oid::regclass AS name,
               CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                              WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind
        FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND c.relowner <> '{owner}'::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO {owner}', item.kind, item.name);
        adopted := adopted + 1;
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure AS name
        FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND p.proowner <> '{owner}'::regrole
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO {owner}', item.name);
    END LOOP;
    IF adopted > 0 THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
        GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {app};
        -- The grant above must not undo migration moderation/0004: the audit log stays append-only.
        IF to_regclass('public.moderation_moderationaction') IS NOT NULL THEN
            REVOKE UPDATE, DELETE, TRUNCATE ON moderation_moderationaction FROM {app};
        END IF;
        RAISE NOTICE '% tables and sequences now owned by {owner}, read and written by {app}', adopted;
    END IF;
END $$;
"""


def dev_root() -> Path:
    root = PROJECT / ".localdb"
    if IS_ROOT:
        # The postgres user must be able to walk down to the data directory.
        probe = PROJECT
        while probe != probe.parent:
            if not reachable_by_pg_dir(probe):
                digest = hashlib.sha256(str(PROJECT).encode()).hexdigest()[:12]
                alt = Path("/var/tmp") / f"forum-localdb-{digest}"
                say(f"{PROJECT} is private to root; keeping the development database in {alt}")
                return alt
            probe = probe.parent
    return root


def reachable_by_pg_dir(path: Path) -> bool:
    probe = subprocess.run(["test", "-x", str(path)], **as_pg_user())
    return probe.returncode == 0


# --- running a command -----------------------------------------------------------------


def database_urls(cluster: Cluster, mode: str) -> dict[str, str]:
    owner = cluster.url_as(OWNER_ROLE)
    return {"DATABASE_URL": cluster.url_as(APP_ROLE) if mode == "dev" else owner, "DATABASE_OWNER_URL": owner}


def run_with(cluster_env: dict[str, str], command: list[str], extra_env: dict[str, str]) -> int:
    env = dict(os.environ)
    for key, value in extra_env.items():
        env.setdefault(key, value)
    env.update(cluster_env)
    child = subprocess.Popen(command, env=env, start_new_session=False)

    def forward(signum, _frame):
        child.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                continue
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"system", "dev", "test", "url"}:
        print(__doc__, file=sys.stderr)
        return 2
    mode = argv[0]
    if mode == "system":
        ensure_system()
        return 0
    command = argv[argv.index("--") + 1 :] if "--" in argv else []
    if mode != "url" and not command:
        fail("give a command after --")

    extra_env = {"PYTHONUNBUFFERED": "1"}
    if mode == "dev":
        extra_env["DEBUG"] = "1"
    else:
        # A fresh key per test run: tests must never depend on a fixed secret.
        extra_env["SECRET_KEY"] = "test-" + secrets.token_urlsafe(40)
        # And a fresh key for askers' email addresses (a Fernet key: 32 random bytes, url-safe base64).
        extra_env["ASKER_EMAIL_KEYS"] = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()

    if os.environ.get("DATABASE_URL"):
        if mode == "url":
            print(os.environ["DATABASE_URL"])
            return 0
        return run_with({}, command, extra_env)

    ensure_system()
    if mode == "test":
        root = Path(tempfile.mkdtemp(prefix="forum-testdb-", dir="/tmp"))
        cluster = Cluster(root, throwaway=True)
    else:
        cluster = Cluster(dev_root(), throwaway=False)

    started = time.monotonic()
    try:
        cluster.prepare()
        cluster.start()
        cluster.setup_roles(for_tests=mode == "test")
        say(f"PostgreSQL ready in {time.monotonic() - started:.1f}s at {cluster.sock}")
        urls = database_urls(cluster, "dev" if mode == "url" else mode)
        if mode == "url":
            print(urls["DATABASE_URL"])
            return 0
        return run_with(urls, command, extra_env)
    finally:
        if mode != "url":
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
