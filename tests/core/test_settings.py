"""Settings come from the environment and refuse to run unsafely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    inherited_out = {"SECRET_KEY", "ASKER_EMAIL_KEYS", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in inherited_out}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3Jp9vQz-production-like-secret-8sd7f6g5h4j3k2l1mnbvcxzqwertyuiop",
    "ASKER_EMAIL_KEYS": "x3YTWWYPxZf2l7YQ9oFTQx7CE1JIaVu3p0xxb0nBmDg=",
    "ALLOWED_HOSTS": "forum.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://forum.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_a_development_secret_key_when_debug_is_off():
    result = run_manage("check", DEBUG="0", SECRET_KEY="django-insecure-abc")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_it_refuses_to_start_without_the_asker_email_key_when_debug_is_off():
    result = run_manage("check", **dict(PRODUCTION, ASKER_EMAIL_KEYS=""))
    assert result.returncode != 0
    assert "ASKER_EMAIL_KEYS is not set" in result.stderr


def test_it_refuses_an_asker_email_key_that_is_not_a_fernet_key_and_never_prints_it():
    result = run_manage("check", **dict(PRODUCTION, ASKER_EMAIL_KEYS="not-a-key-but-a-secret"))
    assert result.returncode != 0
    assert "key number 1 is not a Fernet key" in result.stderr
    assert "not-a-key-but-a-secret" not in result.stderr


def test_it_starts_in_debug_without_a_secret_key():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_it_passes_check_deploy_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_run_without_a_database_url():
    env = dict(PRODUCTION, DATABASE_URL="")
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr


@pytest.mark.django_db
def test_page_churn_cannot_evict_the_generation_or_rate_limit_counters():
    """Pages and counters live in separate caches: filling the page cache past its limit
    (as a crawler with many query strings would) leaves counters and limits alone."""
    from django.conf import settings
    from django.core.cache import caches

    from forum.core.pagecache import EVERYTHING, generations

    assert settings.RATELIMIT_USE_CACHE == "counters"
    generation = generations(())
    default = caches["default"]
    limit = default._max_entries
    for n in range(limit + 10):
        default.set(f"page-churn-{n}", b"x", 60)
    assert caches["counters"].get(f"forum:gen:{EVERYTHING}") == generation[0]


def test_it_refuses_a_trusted_proxy_that_is_not_an_address_or_network():
    result = run_manage("check", DEBUG="1", TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8, proxy.example.org")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'proxy.example.org' is not an IP address or network" in result.stderr
    assert run_manage("check", DEBUG="1", TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8, ::1").returncode == 0


def test_the_chrome_is_kept_per_process_in_production_and_not_at_all_under_debug():
    """templates/base.html's cached chrome: a developer's edit of the layout shows at the next
    reload (`make run`, DEBUG on); in production each process keeps it (never a shared cache)."""
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.CACHES['fragments']['BACKEND'])",
    ]
    production = run_manage(*show, **PRODUCTION)
    debug = run_manage(*show, DEBUG="1")
    assert production.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache", production.stderr[-500:]
    assert debug.stdout.strip() == "django.core.cache.backends.dummy.DummyCache", debug.stderr[-500:]


def _cache_locations(**env) -> dict:
    caches = "settings.CACHES['default']['LOCATION'], settings.CACHES['counters']['LOCATION']"
    script = f"from django.conf import settings; print({caches})"
    result = run_manage("shell", "-c", script, **dict(PRODUCTION, **env))
    assert result.returncode == 0, result.stderr
    default, counters = result.stdout.strip().splitlines()[-1].split()
    return {"default": default, "counters": counters}


def test_the_counters_live_in_a_redis_database_that_emptying_the_pages_never_touches():
    """forget_all_pages empties the pages' Redis database (FLUSHDB): the rate limits must survive it."""
    assert _cache_locations() == {"default": "redis://127.0.0.1:6379/0", "counters": "redis://127.0.0.1:6379/1"}
    assert _cache_locations(CACHE_URL="redis://cache.internal:6380/4")["counters"] == "redis://cache.internal:6380/5"
    assert (
        _cache_locations(COUNTERS_CACHE_URL="redis://counters.internal/0")["counters"] == "redis://counters.internal/0"
    )
    result = run_manage("check", **dict(PRODUCTION, COUNTERS_CACHE_URL=PRODUCTION["CACHE_URL"]))
    assert result.returncode != 0 and "COUNTERS_CACHE_URL must not be CACHE_URL" in result.stderr


def test_replicas_need_redis_for_pages_counters_and_limits():
    result = run_manage(
        "check", **dict(PRODUCTION, CACHE_URL="db://forum_cache", DATABASE_REPLICA_URLS="postgres://r/forum")
    )
    assert result.returncode != 0 and "DATABASE_REPLICA_URLS needs CACHE_URL=redis://" in result.stderr
