"""Issue 16, crisis resources by country and language, in a browser: a Mexican reader of the
Spanish interface sees the Mexican line first on the ask page (with JavaScript, the box opens
as they type; without, after "Check for similar questions"), follows the link to every other
line and filters them without a script; axe finds nothing serious in light and dark."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management.color import no_style
from django.db import connection
from playwright.sync_api import expect

from forum.moderation.models import WatchedWord
from tests.e2e.conftest import DESKTOP, NOJS, PHONE
from tests.e2e.helpers import describe, serious_violations

MEXICAN = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def spanish_crisis_words():
    # The starter phrases were put back with their ids: move the table's sequence past them first.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [WatchedWord]):
            cursor.execute(statement)
    WatchedWord.objects.get_or_create(phrase="quiero morir", action=WatchedWord.Action.CRISIS)


@pytest.mark.parametrize("mode", [DESKTOP, PHONE, NOJS], ids=["desktop", "phone", "nojs"])
def test_a_mexican_reader_sees_the_mexican_line_first_and_finds_the_others(mode, open_page, spanish_crisis_words):
    page = open_page(mode)
    page.context.set_extra_http_headers(MEXICAN)
    page.goto("/questions/ask/")
    assert page.evaluate("document.documentElement.lang") == "es"
    page.locator("#id_title").fill("A veces quiero morir y no sé con quién hablar")
    if not mode.js:
        page.locator("button[name=preview]").click()
    box = page.get_by_role("complementary", name="Si necesitas ayuda ahora")
    expect(box).to_be_visible()
    lines = box.locator(".crisis-lines > li")
    expect(lines.first).to_contain_text("Línea de la Vida")
    expect(lines.first).to_contain_text("800 911 2000")
    expect(lines.first).to_have_attribute("lang", "es")
    assert "988 Suicide" not in box.inner_text()  # an English line is for English readers (on /help/)

    box.get_by_role("link", name="Líneas de ayuda en otros países e idiomas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Líneas de ayuda por país e idioma")
    expect(page.get_by_role("heading", name="Estados Unidos")).to_be_visible()
    page.get_by_label("País").select_option("US")
    page.get_by_role("button", name="Mostrar").click()
    assert "country=US" in page.url
    expect(page.get_by_text("988 Suicide & Crisis Lifeline")).to_be_visible()
    expect(page.get_by_role("heading", name="México")).to_have_count(0)
    expect(page.get_by_role("heading", name="Internacional")).to_be_visible()  # they help everywhere
    if mode.phone:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize(("language", "direction"), [("es-MX", "ltr"), ("ar", "rtl"), ("en-GB", "ltr")])
def test_the_help_lines_pass_axe(open_page, axe, color_scheme, language, direction):
    page = open_page(DESKTOP)
    page.context.set_extra_http_headers({"Accept-Language": language})
    page.emulate_media(color_scheme=color_scheme)
    page.goto("/help/")
    assert page.evaluate("document.documentElement.dir") == direction
    arabic = page.locator("li[lang=ar]").first
    expect(arabic).to_be_visible()
    assert arabic.evaluate("el => getComputedStyle(el).direction") == "rtl"  # an Arabic line reads right to left
    violations = serious_violations(axe, page)
    assert not violations, f"axe found serious or critical problems on {page.url}:\n{describe(violations)}"
