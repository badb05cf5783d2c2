"""Real-browser journeys: pytest-playwright driving Debian's Chromium against pytest-django's live server.

- The browser is /usr/bin/chromium (`apt-get install -y chromium`; `make test` installs it when run
  as root). Never `playwright install`: it downloads a browser of its own, which cannot work here.
- Every test here is marked `e2e` (`make test PYTEST_ARGS="-m e2e"` runs only these, `-m "not e2e"`
  skips them) and runs against `live_server`, so it is transactional: data is committed (the server
  thread sees it) and the tables are emptied afterwards; `_e2e_database` puts back what the data
  migrations wrote (the starter topics) before each test.
- A test that takes `mode` runs three times: desktop with JavaScript, a phone (390x844) with
  JavaScript, and desktop with JavaScript turned off: every form must work without scripts.
- `screenshot(page, step)` saves test-artifacts/screenshots/<test-name>[-<step>]-<viewport>.png
  (git-ignored); when a test fails, every page it opened is saved there too (`...-failed-...`).
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections

from tests.factories import PASSWORD, UserFactory

# Sync Playwright runs an event loop in the main thread; without this Django refuses ORM calls in tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parents[1] / "test-artifacts" / "screenshots"
TIMEOUT_MS = 10_000  # actions; `expect` keeps Playwright's 5 s


@dataclass(frozen=True)
class Mode:
    name: str
    width: int
    height: int
    js: bool = True
    phone: bool = False

    @property
    def viewport(self) -> str:
        return f"{self.name}-{self.width}x{self.height}"

    @property
    def context_args(self) -> dict:
        args = {"viewport": {"width": self.width, "height": self.height}, "java_script_enabled": self.js}
        if self.phone:
            args.update(is_mobile=True, has_touch=True)
        return args


DESKTOP = Mode("desktop", 1280, 800)
PHONE = Mode("phone", 390, 844, phone=True)
NOJS = Mode("nojs", 1280, 800, js=False)
MODES = [DESKTOP, PHONE, NOJS]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so that `open_page` knows whether to save screenshots."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's Chromium, headless and quiet (no updates, sync or phoning home). Overrides pytest-playwright's."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` as root, or `sudo apt-get install -y chromium`.")
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative URLs (page.goto("/questions/")) go to the live server. Overrides pytest-playwright's."""
    return live_server.url


@pytest.fixture
def url(live_server):
    """url("/questions/") -> the absolute URL on the live server, for comparing with page.url."""
    return lambda path="/": live_server.url + path


# --- the database ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup) -> dict[str, str]:
    """What the data migrations wrote (starter topics, groups...), serialized when the test database was made.

    pytest-django serializes it because the tests here request `django_db_serialized_rollback`, and
    Django keeps it on the connection object. But Playwright's sync API runs an event loop in the main
    thread, and under a running loop `django.db.connections` is context-local: once Playwright has
    started, the tests get a new connection object without it, and Django silently restores nothing.
    So it is read here, before Playwright starts (see the `playwright` override), for `_e2e_database`.
    """
    return {alias: getattr(connections[alias], "_test_serialized_contents", "") for alias in connections}


@pytest.fixture(scope="session")
def playwright(_migrated_data, playwright):
    """pytest-playwright's own fixture, started only once the test database exists (see `_migrated_data`)."""
    return playwright


@pytest.fixture(autouse=True)
def _e2e_database(browser, live_server, django_db_serialized_rollback, _migrated_data):
    """Every test here talks to the live server, on a database holding just what the migrations wrote.

    Serialized rollback puts the migrations' data back before each test. For the first test after
    Playwright started Django could not (see `_migrated_data`): do it here, on a database emptied
    first (an earlier transactional test leaves re-created content types behind), and hand the data
    to the new connection object so that Django does it for the following tests.
    Rate-limit counters live in the database cache, which a flush keeps: start them at zero too.
    """
    for alias, contents in _migrated_data.items():
        connection = connections[alias]
        if contents and not hasattr(connection, "_test_serialized_contents"):
            call_command("flush", database=alias, interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(contents)
            connection._test_serialized_contents = contents
    for alias in ("default", "counters"):
        caches[alias].clear()  # rate-limit counters too: every journey starts with none used


@pytest.fixture(scope="package", autouse=True)
def _leave_the_database_as_found(django_db_blocker):
    """After the last test here, leave the database as any transactional test does: empty, with the
    content types and permissions that post_migrate creates (a serialized rollback's flush skips it)."""
    yield
    with django_db_blocker.unblock():
        for alias in connections:
            if hasattr(connections[alias], "_test_serialized_contents"):
                del connections[alias]._test_serialized_contents
                emit_post_migrate_signal(verbosity=0, interactive=False, db=alias)
        connections.close_all()  # else this context's connection outlives the test database


# --- pages, modes, screenshots --------------------------------------------------------------


@pytest.fixture(params=MODES, ids=[m.name for m in MODES])
def mode(request) -> Mode:
    """Run the test three times: desktop, phone (390x844) and desktop with JavaScript disabled."""
    return request.param


def _test_name(node) -> str:
    """The test function's name, plus its parameters other than the browser and the mode (the viewport)."""
    callspec = getattr(node, "callspec", None)
    extra = [str(v) for k, v in callspec.params.items() if k not in {"browser_name", "mode"}] if callspec else []
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join([node.originalname, *extra]))


def _save(page, name: str) -> Path:
    path = SCREENSHOTS / f"{name}-{page.e2e_mode.viewport}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


@pytest.fixture
def open_page(new_context, request):
    """open_page(mode=DESKTOP) -> a page in a fresh browser context (its own cookies: a new visitor).

    An uncaught JavaScript error on any of the test's pages makes the test error at teardown.
    """
    pages, script_errors = [], []

    def _open(m: Mode = DESKTOP):
        context = new_context(**m.context_args)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.e2e_mode = m
        page.on("pageerror", lambda error: script_errors.append(f"{page.url}: {error}"))
        pages.append(page)
        return page

    yield _open

    call = request.node.stash.get(REPORTS, {}).get("call")
    if call is not None and call.failed:
        for number, page in enumerate(pages, start=1):
            if not page.is_closed():
                try:
                    print("saved", _save(page, f"{_test_name(request.node)}-failed-{number}"))
                except Exception as error:  # a failed screenshot must not hide the test's failure
                    print(f"could not save a screenshot of {page.url}: {error}")
    assert not script_errors, "JavaScript errors:\n" + "\n".join(script_errors)


@pytest.fixture
def screenshot(request):
    """screenshot(page, step="") saves test-artifacts/screenshots/<test-name>[-<step>]-<viewport>.png."""

    def _shot(page, step: str = "") -> Path:
        return _save(page, _test_name(request.node) + (f"-{step}" if step else ""))

    return _shot


# --- members -----------------------------------------------------------------------------


def log_in(page, user, *, next_url: str = "/") -> None:
    """Sign in through the real /accounts/login/ form with email and password, then go to `next_url`."""
    page.goto("/accounts/login/?" + urlencode({"next": next_url}))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
    assert "/accounts/login/" not in page.url, f"{user.email} could not sign in"


@pytest.fixture
def member_page(open_page):
    """member_page(mode=DESKTOP, next_url="/", **user_fields) -> (page, user): a new verified member, signed in."""

    def _member(m: Mode = DESKTOP, *, next_url: str = "/", **fields):
        user = UserFactory(**fields)
        page = open_page(m)
        log_in(page, user, next_url=next_url)
        return page, user

    return _member
