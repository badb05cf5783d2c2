"""Shared personas. Each returns a logged-in (or anonymous) test client."""

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests whose writes really commit (transactional_db: `committed_db`, the browser's
    `live_server`) run after all the others. Each one empties every table when it ends, rows of
    the data migrations (starter topics, crisis lines) included, which a later ordinary test
    may need. pytest-django orders by the `django_db` marker, so a module marked `django_db`
    whose tests use `committed_db` would otherwise run in the middle."""
    committing = {"transactional_db", "live_server"}  # live_server asks for transactional_db when it runs
    items.sort(key=lambda item: bool(committing & set(getattr(item, "fixturenames", ()))))


def pytest_configure(config):
    """Production settings (DEBUG off), minus what needs a TLS proxy or collectstatic."""
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings
    from django.core.signals import setting_changed

    # The translations tests read (locale/*.mo) are compiled from the catalogs, as `make test` does.
    messages = Path(__file__).resolve().parent.parent / "scripts" / "messages.py"
    subprocess.run([sys.executable, str(messages), "compile"], check=True)

    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    # Most tests change data through the ORM, not a POST: page caching is tested on its own
    # (tests/core/test_pagecache.py) and off elsewhere.
    settings.FORUM_PAGE_CACHE_SECONDS = 0
    settings.FORUM_CACHE_COUNTS = False
    # Background tasks run on the spot, once the write commits (forum.core.effects.task), so a
    # test sees the email in `mailoutbox` after `django_capture_on_commit_callbacks`. Tests of
    # the queue itself switch to the database backend and run the worker (tests/core/test_tasks.py).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)  # backends made at import
    # Password hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # pytest-django empties every table after a transactional test with one TRUNCATE, and the
    # audit log refuses TRUNCATE (migration moderation/0004) unless its owner asks with this
    # setting on. Only the test process's own connections carry it; the app role has no
    # TRUNCATE privilege and does not own the table, so the setting does nothing for it.
    database = settings.DATABASES["default"].setdefault("OPTIONS", {})
    database["options"] = f"{database.get('options', '')} -c forum.allow_audit_truncate=on".strip()
    # The site's chrome is rendered once per language and process (templates/base.html,
    # CACHES["fragments"]); a test that changes a setting (the site's name, the languages, the
    # URLs) gets it rendered again, as a restarted process would.
    setting_changed.connect(_fresh_chrome, weak=False)


def _fresh_chrome(**kwargs):
    from django.core.cache import caches

    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _fresh_synonyms():
    """Search reads the synonym groups once a process for a minute (forum/questions/synonyms.py)
    and the lexemes' statistics for five (lexemes.py): a group one test added, an empty table a
    transactional test left, or statistics one test analyzed must not reach the next."""
    from forum.questions import lexemes, synonyms

    synonyms.clear()
    lexemes.clear()
    yield
    synonyms.clear()
    lexemes.clear()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """LocaleMiddleware activates each request's language and nothing switches it off: a test
    that sent a request in Spanish or Arabic would leave that language to the next one."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def visitor():
    """Not signed in."""
    return Client()


@pytest.fixture
def member_user(db):
    return UserFactory(username="member", email="member@example.com")


@pytest.fixture
def member(member_user):
    client = Client()
    client.force_login(member_user)
    client.user = member_user
    return client


@pytest.fixture
def outsider_user(db):
    return UserFactory(username="outsider", email="outsider@example.com")


@pytest.fixture
def outsider(outsider_user):
    client = Client()
    client.force_login(outsider_user)
    client.user = outsider_user
    return client


def _with_mfa(user):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "unused-in-these-tests"})
    return user


def _moderator(username, *, mfa=True, reveal=False):
    from django.contrib.auth.models import Group, Permission

    user = UserFactory(username=username, email=f"{username}@example.com")
    user.groups.add(Group.objects.get(name="moderators"))
    if reveal:
        user.user_permissions.add(Permission.objects.get(codename="reveal_author"))
    return _with_mfa(user) if mfa else user


def _client_for(user):
    """Signed in as allauth would: with the authenticator code too when the user owns one."""
    from tests.factories import log_in

    client = log_in(Client(), user)
    client.user = user
    return client


@pytest.fixture
def moderator_user(db):
    return _moderator("mod-alex")


@pytest.fixture
def moderator(moderator_user):
    return _client_for(moderator_user)


@pytest.fixture
def moderator_without_mfa(db):
    return _client_for(_moderator("mod-nomfa", mfa=False))


@pytest.fixture
def moderator_without_mfa_session(db):
    """A moderator who owns an authenticator but whose session never passed it (password only)."""
    from tests.factories import log_in

    user = _moderator("mod-pwonly")
    client = log_in(Client(), user, mfa=False)
    client.user = user
    return client


@pytest.fixture
def revealing_moderator(db):
    return _client_for(_moderator("mod-reveal", reveal=True))


@pytest.fixture
def site_admin(db):
    """A superuser with an authenticator, signed in with password and code (the admin asks for both)."""
    user = UserFactory(username="site-admin", email="site-admin@example.com", is_staff=True, is_superuser=True)
    return _client_for(_with_mfa(user))


# Data migrations whose rows (topics, the moderators group, crisis resources and phrases) a test may need.
_DATA_MIGRATIONS = (
    ("forum.questions.migrations.0002_starter_topics", "add_topics"),
    ("forum.moderation.migrations.0002_moderators_group_and_crisis_resources", "forwards"),
    ("forum.moderation.migrations.0016_starter_crisis_phrases", "add_phrases"),
    ("forum.moderation.migrations.0018_crisis_resources_per_country_and_moderators", "forwards"),
    ("forum.moderation.migrations.0019_starter_crisis_phrases_in_spanish_and_arabic", "add_phrases"),
    ("forum.questions.migrations.0018_search_synonyms", "add_starters"),
)


@pytest.fixture
def committed_db(transactional_db):
    """A database whose writes really commit, so on-commit effects (page invalidation, tasks)
    run as in production. A transactional test empties every table when it ends; the rows the
    data migrations made are put back first (their functions are idempotent)."""
    restore_migrated_rows()


def restore_migrated_rows():
    """Put back the rows the data migrations made (after a transactional test emptied every table)."""
    import importlib

    from django.apps import apps

    for module, function in _DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free loopback port, not started yet (`start()`): until then the
    port refuses connections. Email goes to it through Django's SMTP backend."""
    from tests.mailqueue import SmtpServer, free_port

    server = SmtpServer(port=free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def task_queue(committed_db, settings):
    """Tasks go to the database queue (rows in PostgreSQL, really committed) and run only when
    the test runs the worker (tests.mailqueue.run_worker)."""
    from tests.mailqueue import DATABASE_QUEUE

    settings.TASKS = DATABASE_QUEUE
