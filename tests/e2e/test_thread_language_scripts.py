"""The scripts of the ask and private pages speak the reader's language (issue 16): the words they
put into the page come from Django's JavaScript catalog (/jsi18n/<language>.js, loaded by base.html
before every script), not from English written in the script.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import make_question

TITLE = "How do I tell my partner what happened to me before we met?"


def _in(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": "language", "value": language, "url": live_server.url}])


@pytest.mark.parametrize(
    ("language", "heading"),
    [("es", "Ya se ha preguntado algo parecido; quizá alguna de estas te responda:"), ("ar", "سُئل من قبل")],
)
def test_the_similar_questions_appear_under_the_title_in_the_readers_language(
    open_page, live_server, language, heading
):
    similar = make_question(title="How do I tell my partner about what happened before we met?")
    page = open_page(DESKTOP)
    _in(page, live_server, language)
    page.goto("/questions/ask/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("#id_title").fill(TITLE)  # typed: similar.js asks the server, no button pressed
    region = page.locator("#similar-questions")
    expect(region.get_by_role("link", name=re.compile(re.escape(similar.title)))).to_be_visible()
    expect(region.locator(".similar-heading")).to_contain_text(heading)
    expect(region).not_to_contain_text("Already asked")


@pytest.mark.parametrize("mode", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_private_link_is_copied_with_a_spanish_word(open_page, live_server, mode):
    asked = make_question(title="¿Cómo le digo a mi pareja lo que me pasó antes de conocernos?")
    page = open_page(mode)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    _in(page, live_server, "es")
    page.goto(f"/questions/key/{asked.key}/")
    expect(page.get_by_role("heading", name="La página privada de tu pregunta")).to_be_visible()
    page.get_by_role("button", name="Copiar enlace").click()
    expect(page.get_by_role("status").filter(has_text="Copiado")).to_be_visible()
