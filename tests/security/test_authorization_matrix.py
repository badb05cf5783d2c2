"""Every URL of the site, as every persona, with every method that matters: one table, one status per cell.

Each row is (url name, kwargs builder, method, {persona: expected}). A cell holds an HTTP status,
or LOGIN (302 to the sign-in page), MFA (302 to the TOTP setup page) or MFA_CODE (302 to allauth's
page asking for an authenticator code, for a session that has not passed MFA); a plain 302 means "a
redirect that is *not* to the sign-in page" (the action worked, or was refused with a message).

The table lives in tests/security/authz/: the personas, cells and world in `world`, the rows by area
in `rows_site` (public pages, threads, asking, the asker's tools, members' actions, reporting,
allauth), `rows_me` (a member's own space, following, notification choices, unsubscribing) and
`rows_desk` (the moderation desk). This module runs them.

Every persona gets its own world (one test per persona, each in its own transaction), and every
request runs in a savepoint that is rolled back afterwards with the client's cookies restored,
so a state-changing POST never changes what a later row sees.

`test_it_lists_every_named_route_in_the_matrix` walks the URL resolver: a new URL without a row
in the matrix fails with its name.
"""

import copy

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.authz.rows_desk import DESK_ROWS
from tests.security.authz.rows_me import ME_ROWS
from tests.security.authz.rows_people import PEOPLE_ROWS
from tests.security.authz.rows_site import ALLAUTH_KEPT, ALLAUTH_ROWS, MEMBER_ROWS, PUBLIC_ROWS
from tests.security.authz.rows_trust import TRUST_ROWS
from tests.security.authz.world import LOGIN, MFA, MFA_CODE, MFA_CODE_PAGE, MFA_SETUP, PERSONAS, build_world

pytestmark = pytest.mark.django_db

MATRIX = [*PUBLIC_ROWS, *MEMBER_ROWS, *TRUST_ROWS, *ME_ROWS, *PEOPLE_ROWS, *DESK_ROWS, *ALLAUTH_ROWS]


@pytest.fixture
def world(member_user, outsider_user, moderator_user, moderator_without_mfa, moderator_without_mfa_session,
          revealing_moderator):  # fmt: skip
    return build_world(member_user, outsider_user, moderator_user, moderator_without_mfa,
                       moderator_without_mfa_session, revealing_moderator)  # fmt: skip


# --- running a row ----------------------------------------------------------------------------


def _request(client, row, world):
    url = reverse(row.name, kwargs=row.kwargs(world) or None) + (row.query(world) if row.query else "")
    data = row.data(world) if row.data else {}
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            if row.method in ("GET", "POST"):
                response = getattr(client, row.method.lower())(url, data)
            else:
                response = getattr(client, row.method.lower())(url)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return url, response


def _problem(response, expected) -> str | None:
    status = response.status_code
    location = response.get("Location", "")
    if expected == LOGIN:
        if status == 302 and location.startswith("/accounts/login/"):
            return None
        return f"expected a redirect to sign in, got {status} {location}".rstrip()
    if expected == MFA:
        if status == 302 and location == MFA_SETUP:
            return None
        return f"expected a redirect to {MFA_SETUP}, got {status} {location}".rstrip()
    if expected == MFA_CODE:
        if status == 302 and location.startswith(MFA_CODE_PAGE):
            return None
        return f"expected a redirect to {MFA_CODE_PAGE}…, got {status} {location}".rstrip()
    if status != expected:
        return f"expected {expected}, got {status} {location}".rstrip()
    if status == 302 and location.startswith("/accounts/login/"):
        return "expected a redirect, got one to the sign-in page"
    return None


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_every_url_as_the_matrix_says(persona, world):
    client = world.clients[persona]
    failures = []
    for row in MATRIX:
        url, response = _request(client, row, world)
        problem = _problem(response, row.expect[persona])
        if problem:
            failures.append(f"{row.method} {url} ({row}) as {persona}: {problem}")
    assert not failures, f"{len(failures)} cell(s) differ from the matrix:\n" + "\n".join(failures)


# --- completeness -----------------------------------------------------------------------------


def _named_routes(patterns, prefix="", namespace=None):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _named_routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name


def _route_is_ours(route: str, name: str) -> bool:
    if route.startswith(("admin/", "__debug__/", "static/", "media/")):
        return False
    if route.startswith("accounts/"):
        return name in ALLAUTH_KEPT
    return True


def test_it_lists_every_named_route_in_the_matrix():
    routes = dict((name, route) for route, name in _named_routes(get_resolver().url_patterns))
    ours = {name: route for name, route in routes.items() if _route_is_ours(route, name)}
    covered = {row.name for row in MATRIX}
    missing = sorted(f"{name} (/{ours[name]})" for name in set(ours) - covered)
    assert not missing, "Add these URLs to the authorization matrix: " + ", ".join(missing)
    stale = sorted(covered - set(routes))
    assert not stale, f"The matrix names URLs that no longer exist: {stale}"
    assert covered >= ALLAUTH_KEPT


def test_it_checks_every_persona_in_every_row():
    for row in MATRIX:
        assert set(row.expect) == set(PERSONAS), row
        assert row.method in ("GET", "POST", "PUT", "DELETE"), row
    methods = {(row.name, row.method) for row in MATRIX}
    for name in {row.name for row in MATRIX}:
        assert (name, "GET") in methods or (name, "POST") in methods, name
