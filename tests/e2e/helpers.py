"""Helpers for the moderation and expert journeys: members with a real TOTP authenticator, and the
two-step sign-in (password, then the authenticator code) through allauth's own pages."""

import time
from urllib.parse import urlencode

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # base32, known to the tests only
BLOCKING = {"serious", "critical"}


def with_totp(user, secret: str = TOTP_SECRET):
    """Turn on TOTP for `user` through allauth's own API (what the setup page does, minus the QR code)."""
    TOTP.activate(user, secret)
    return user


def make_moderator(username: str = "mod-sam"):
    """A member of the "moderators" group with a TOTP authenticator whose secret the tests know."""
    user = UserFactory(username=username, email=f"{username}@example.com")
    user.groups.add(Group.objects.get(name="moderators"))
    return with_totp(user)


def current_totp(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now (allauth: counter = int(time.time()) // period).

    allauth accepts only the current period (TOTP_TOLERANCE is 0): near the end of one, wait for
    the next, so that the code cannot expire between computing and submitting it.
    """
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 4:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def log_in_with_mfa(page, user, *, next_url: str = "/", secret: str = TOTP_SECRET) -> None:
    """Sign in through /accounts/login/ (email + password), then /accounts/2fa/authenticate/ (the code)."""
    page.goto("/accounts/login/?" + urlencode({"next": next_url}))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
    assert "/accounts/2fa/authenticate/" in page.url, f"{user.email}: no authenticator step, at {page.url}"
    expect(page.get_by_role("heading", name="Two-factor authentication", exact=True)).to_be_visible()
    page.locator("input[name=code]").fill(current_totp(secret))
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Sign in", exact=False).first.click()
    assert "/accounts/2fa/" not in page.url and "/accounts/login/" not in page.url, (
        f"{user.email} could not finish signing in with the authenticator code, at {page.url}"
    )


def moderator_pages(open_page):
    """For a `moderator_page` fixture in a test module (pytest finds fixtures in conftest.py, which
    stays as it is):  moderator_page(mode, next_url="/moderation/") -> (page, moderator), signed in
    with password and TOTP."""

    def _moderator(m, *, next_url: str = "/moderation/", username: str = "mod-sam"):
        user = make_moderator(username)
        page = open_page(m)
        log_in_with_mfa(page, user, next_url=next_url)
        return page, user

    return _moderator


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {', '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def serious_violations(axe, page) -> list[dict]:
    violations = axe.run(page).response["violations"]
    if violations:
        print(f"axe on {page.url}:\n{describe(violations)}")  # all of them, shown when the test fails
    return [v for v in violations if v["impact"] in BLOCKING]
