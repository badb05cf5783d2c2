"""Shared personas. Each returns a logged-in (or anonymous) test client."""

import pytest
from django.test import Client

from tests.factories import UserFactory


def pytest_configure(config):
    """Production settings (DEBUG off), minus what needs a TLS proxy or collectstatic."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    # Password hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
