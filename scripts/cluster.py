#!/usr/bin/env python3
"""The forum as it runs on several machines, on loopback, with one command (`make cluster`).

    python3 scripts/cluster.py [--hosts 3] [--workers 2] [--port 8080]

Starts, from Debian's packages (installed like the other system packages, scripts/localdb.py):

- a PostgreSQL primary and a streaming replica of it (`pg_basebackup -R -X stream`), each its
  own cluster on its own unix socket, kept in `.localdb-cluster/` between runs;
- Redis on 127.0.0.1 (pages, counters, rate limits: CACHE_URL), nothing kept on disk;
- web hosts: gunicorn instances on their own ports, each with its own workers, reading from the
  replica and writing to the primary (DATABASE_REPLICA_URLS, forum/core/replicas.py);
- the task worker (emails, printed here: the console email backend);
- nginx in front, balancing across the hosts and trying the next one when a host fails.

It prints the address; Ctrl-C stops everything it started, in reverse order. Demo data as with
`make run`. docs/deploy.md describes the same topology for real machines.

`LoopbackCluster` is also the tests' (tests/cluster/) and `make bench-cluster`'s: they start
one in a throwaway directory and use its fault switches (kill a host, restart Redis, stop the
replica, make it lag).
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"


def _load_localdb():
    spec = importlib.util.spec_from_file_location("localdb", PROJECT / "scripts" / "localdb.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


localdb = _load_localdb()


def say(message: str) -> None:
    print(f"[cluster] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, timeout: float = 30.0, pause: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(pause)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def stop_process(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    """Signal the process's group (each part is started in its own), then SIGKILL if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=timeout)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


NGINX_CONF = """\
# Written by scripts/cluster.py; docs/deploy.md explains each line.
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    upstream forum {{
{servers}
        keepalive 32;
    }}
    # The site's own page for a host that went away (forum/core/management/commands/proxy_error_pages.py),
    # in the reader's language (the `language` cookie).
    map $cookie_language $error_language {{ default en; es es; ar ar; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 6m;
        location / {{
            proxy_pass http://forum;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A host that refuses or drops the connection: the request goes to the next host.
            # nginx never re-sends a POST (non_idempotent is not listed): a write is tried once.
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_next_upstream_tries 3;
            proxy_connect_timeout 1s;
            proxy_read_timeout 40s;
            proxy_intercept_errors off;
            add_header X-Upstream $upstream_addr always;
        }}
        error_page 502 504 /proxy-errors/502.$error_language.html;
        location /proxy-errors/ {{
            internal;
            root {pages};
            add_header Cache-Control no-store always;
            add_header X-Upstream $upstream_addr always;  # which hosts were tried (make bench-cluster)
        }}
    }}
}}
"""


class LoopbackCluster:
    """Primary + replica + Redis + `hosts` web hosts + task worker + nginx, on loopback."""

    def __init__(
        self,
        root: Path,
        *,
        hosts: int = 3,
        workers: int = 2,
        port: int | None = None,
        throwaway: bool = False,
        demo: bool = True,
        env: dict[str, str] | None = None,
        quiet: bool = False,
    ):
        self.root = root
        self.host_count = hosts
        self.workers = workers
        self.port = port or free_port()
        self.throwaway = throwaway
        self.demo = demo
        self.extra_env = env or {}
        self.quiet = quiet
        self.primary = localdb.Cluster(root / "primary", throwaway=throwaway)
        self.replica = localdb.Cluster(root / "replica", throwaway=throwaway)
        self.redis_port = free_port()
        self.host_ports = [free_port() for _ in range(hosts)]
        self.hosts: list[subprocess.Popen | None] = [None] * hosts
        self.redis: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None
        self.logs = root / "logs"

    # --- addresses and settings ---------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def host_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.host_ports[index]}"

    def _secrets(self) -> dict[str, str]:
        """A secret key and an email key of the cluster's own, kept beside its data."""
        path = self.root / "secrets.env"
        if not path.exists():
            key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
            path.write_text(f"SECRET_KEY=cluster-{secrets.token_urlsafe(48)}\nASKER_EMAIL_KEYS={key}\n")
            path.chmod(0o600)
        return dict(line.split("=", 1) for line in path.read_text().split())

    def env(self) -> dict[str, str]:
        """The web hosts' and the worker's environment: production settings on loopback."""
        app = localdb.APP_ROLE
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))},
            **self._secrets(),
            "DEBUG": "0",
            "DATABASE_URL": self.primary.url_as(app),
            "DATABASE_REPLICA_URLS": self.replica.url_as(app),
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TRUSTED_PROXIES": "127.0.0.1",
            # TLS ends in front of nginx in production; on loopback there is none.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SITE_URL": self.url,
            "STATIC_ROOT": str(self.root / "static"),
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def _manage(self, *args: str, env: dict[str, str] | None = None) -> None:
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args], cwd=PROJECT, env=env or self.env(), capture_output=True, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")

    def _log(self, name: str):
        return open(self.logs / f"{name}.log", "ab")

    def _spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        with self._log(name) as log:
            return subprocess.Popen(
                command,
                cwd=PROJECT,
                env=env or self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches this script only; it stops the parts in order
            )

    # --- starting -------------------------------------------------------------------------

    def start(self) -> None:
        localdb.ensure_system()
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o711)  # the postgres user walks through to its data directories
        self.logs.mkdir(exist_ok=True)
        started = time.monotonic()
        self.start_primary()
        self.prepare_database()
        self.start_replica()
        self.start_redis()
        for index in range(self.host_count):
            self.start_host(index)
        self.start_worker()
        self.start_nginx()
        for index in range(self.host_count):
            wait_for(lambda i=index: http_ok(self.host_url(i) + "/healthz"), f"web host {index + 1}")
        wait_for(lambda: http_ok(self.url + "/healthz"), "nginx")
        say(f"ready in {time.monotonic() - started:.1f} s")

    def start_primary(self) -> None:
        # Streaming replication needs WAL senders and a replication slot's worth of WAL kept;
        # Debian's defaults (wal_level=replica, max_wal_senders=10, `local replication all trust`
        # from initdb) already allow it over the unix socket. A throwaway server (the tests')
        # runs with full_page_writes=off for speed (scripts/localdb.py), but a replica needs the
        # whole page in the WAL: the search index (RUM) logs its changes as generic WAL, and
        # without the full page the replica stops ("PANIC: WAL contains references to invalid
        # pages") the first time an answer grows the index. This option comes after localdb's.
        self.primary.extra_options = "-c wal_keep_size=256MB -c full_page_writes=on"
        self.primary.prepare()
        self.primary.start()
        self.primary.setup_roles(for_tests=False)

    def prepare_database(self) -> None:
        owner_env = {**self.env(), "DATABASE_URL": self.primary.url_as(localdb.OWNER_ROLE)}
        owner_env.pop("DATABASE_REPLICA_URLS")
        owner_env["CACHE_URL"] = "locmem://"
        say("migrating the primary")
        self._manage("migrate", "--noinput", env=owner_env)
        self._manage("collectstatic", "--noinput", "-v0", env=owner_env)
        self._manage("proxy_error_pages", str(self.root / "pages"), env=owner_env)
        if self.demo:
            demo_env = {**owner_env, "DEBUG": "1", "DATABASE_URL": self.primary.url_as(localdb.APP_ROLE)}
            self._manage("seed_demo", env=demo_env)

    def start_replica(self) -> None:
        data = self.replica.data
        if not (data / "PG_VERSION").exists():
            say("copying the primary into the replica (pg_basebackup -R -X stream)")
            self.replica.root.mkdir(parents=True, exist_ok=True)
            os.chmod(self.replica.root, 0o700)
            localdb.chown_to_pg(self.replica.root)
            result = localdb.pg(
                "pg_basebackup", "-h", str(self.primary.sock), "-U", "postgres",
                "-D", str(data), "-R", "-X", "stream", "-c", "fast",
                capture_output=True, text=True,
            )  # fmt: skip
            if result.returncode != 0:
                raise RuntimeError(f"pg_basebackup failed:\n{result.stderr}")
        # The replica answers reads (hot standby) and tells the primary which rows its queries
        # still read, so that vacuum on the primary never cancels them.
        self.replica.extra_options = "-c hot_standby=on -c hot_standby_feedback=on"
        self.replica.prepare()
        self.replica.start()

    def replica_running(self) -> bool:
        return self.replica.running()

    def stop_replica(self) -> None:
        localdb.pg("pg_ctl", "-D", str(self.replica.data), "-m", "fast", "-w", "stop", capture_output=True)

    def start_replica_again(self) -> None:
        self.replica.start()

    def replica_delay(self, seconds: float) -> None:
        """Make the replica apply WAL `seconds` late (recovery_min_apply_delay), or on time (0)."""
        self.replica_sql(f"ALTER SYSTEM SET recovery_min_apply_delay = '{int(seconds * 1000)}ms'")
        self.replica_sql("SELECT pg_reload_conf()")

    def start_redis(self) -> None:
        (self.root / "redis").mkdir(exist_ok=True)
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.redis = self._spawn(
            "redis",
            [redis, "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "", "--appendonly", "no",
             "--dir", str(self.root / "redis"), "--daemonize", "no"],
        )  # fmt: skip
        wait_for(self._redis_answers, "Redis")

    def _redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop_redis(self) -> None:
        stop_process(self.redis)

    def restart_redis(self) -> None:
        self.stop_redis()
        self.start_redis()

    def start_host(self, index: int) -> None:
        port = self.host_ports[index]
        self.hosts[index] = self._spawn(
            f"web{index + 1}",
            [str(GUNICORN), "forum.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(self.workers), "--timeout", "30",
             "--graceful-timeout", "5", "--name", f"forum-web{index + 1}"],
        )  # fmt: skip

    def kill_host(self, index: int) -> None:
        """The host dies at once (SIGKILL to gunicorn and its workers): requests in flight are cut."""
        stop_process(self.hosts[index], sig=signal.SIGKILL)

    def restart_host(self, index: int) -> None:
        self.start_host(index)
        wait_for(lambda: http_ok(self.host_url(index) + "/healthz"), f"web host {index + 1}")

    def start_worker(self) -> None:
        self.worker = self._spawn(
            "worker", [str(PYTHON), "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        )

    def start_nginx(self) -> None:
        base = self.root / "nginx"
        (base / "tmp").mkdir(parents=True, exist_ok=True)
        os.chmod(base / "tmp", 0o777)  # noqa: S103 - nginx's workers run as nobody when started by root
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in self.host_ports)
        conf = base / "nginx.conf"
        user = "user root;" if os.geteuid() == 0 else ""
        pages = self.root / "pages"
        conf.write_text(NGINX_CONF.format(root=base, servers=servers, port=self.port, pages=pages, user=user))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = self._spawn("nginx", [nginx, "-c", str(conf), "-p", str(base), "-g", "daemon off;"])

    # --- what nginx balances across, and the parts' processes (make bench-cluster) ----------

    def balance_across(self, hosts: int | list[int]) -> None:
        """nginx balances across these web hosts only: a count (the first ones) or their indexes.

        Its conf is written again with just those servers, checked (`nginx -t`) and reloaded
        (SIGHUP to the master); this returns once the old workers, which served the old list,
        are gone. The other hosts keep running, idle. `balance_across(self.host_count)` is the
        conf start() wrote."""
        indexes = list(range(hosts)) if isinstance(hosts, int) else list(hosts)
        if not indexes or any(not 0 <= i < self.host_count for i in indexes):
            raise ValueError(f"no such web hosts: {hosts!r} (there are {self.host_count})")
        if self.nginx is None or self.nginx.poll() is not None:
            raise RuntimeError("nginx is not running")
        base = self.root / "nginx"
        conf = base / "nginx.conf"
        servers = "\n".join(
            f"        server 127.0.0.1:{self.host_ports[i]} max_fails=1 fail_timeout=2s;" for i in indexes
        )
        user = "user root;" if os.geteuid() == 0 else ""
        pages = self.root / "pages"
        conf.write_text(NGINX_CONF.format(root=base, servers=servers, port=self.port, pages=pages, user=user))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        checked = subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(base)], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused its new conf:\n{checked.stderr}")
        old = _children(self.nginx.pid)
        os.kill(self.nginx.pid, signal.SIGHUP)
        wait_for(
            lambda: not (old & _children(self.nginx.pid)) and bool(_children(self.nginx.pid)),
            "nginx's reload",
            timeout=45,  # old workers finish the requests they hold (proxy_read_timeout 40 s)
        )

    def part_pids(self) -> dict[str, int | None]:
        """Each part's main process (its workers and backends are its children): nginx's master,
        each gunicorn master (web1, …), the PostgreSQL postmasters, Redis, the task worker."""

        def postmaster(cluster) -> int | None:
            try:
                return int((cluster.data / "postmaster.pid").read_text().split("\n", 1)[0])
            except (OSError, ValueError):
                return None

        def alive(proc: subprocess.Popen | None) -> int | None:
            return proc.pid if proc is not None and proc.poll() is None else None

        return {
            "nginx": alive(self.nginx),
            **{f"web{i + 1}": alive(proc) for i, proc in enumerate(self.hosts)},
            "primary": postmaster(self.primary),
            "replica": postmaster(self.replica),
            "redis": alive(self.redis),
            "task worker": alive(self.worker),
        }

    # --- SQL on either server, as the superuser -------------------------------------------

    def _sql(self, cluster, sql: str) -> str:
        result = localdb.pg(
            "psql", "-h", str(cluster.sock), "-U", "postgres", "-d", localdb.DB_NAME, "-XAtqc", sql,
            capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr}")
        return result.stdout.strip()

    def primary_sql(self, sql: str) -> str:
        return self._sql(self.primary, sql)

    def replica_sql(self, sql: str) -> str:
        return self._sql(self.replica, sql)

    # --- stopping -------------------------------------------------------------------------

    def stop(self) -> None:
        for proc in (self.nginx, self.worker, *self.hosts, self.redis):
            stop_process(proc)
        self.primary.started_here = self.replica.started_here = True
        self.replica.stop()
        self.primary.stop()
        if self.throwaway:
            shutil.rmtree(self.root, ignore_errors=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=3, help="web hosts (gunicorn instances), default 3")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per host, default 2")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1, default 8080")
    args = parser.parse_args(argv)
    cluster = LoopbackCluster(PROJECT / ".localdb-cluster", hosts=args.hosts, workers=args.workers, port=args.port)

    def interrupted(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        cluster.start()
        print(
            f"\n  The forum is running on {cluster.url}/ behind nginx: {args.hosts} web hosts "
            f"({', '.join(cluster.host_url(i) for i in range(args.hosts))}),\n"
            f"  a primary and a streaming replica, Redis on 127.0.0.1:{cluster.redis_port} and a task worker.\n"
            f"  Logs in {cluster.logs}/. Ctrl-C stops everything.\n",
            flush=True,
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        say("stopping")
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
