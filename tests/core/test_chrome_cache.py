"""The site's chrome (header, navigation, footer) is rendered once per language and process
(templates/base.html's `{% cache … using="fragments" %}`): it must never carry one reader's
page into another's, nor one language into another."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.template.base import FilterExpression, Node, NodeList, Token, TokenType, Variable
from django.template.smartif import TokenBase
from django.templatetags.cache import CacheNode
from django.test import Client

from tests.factories import UserFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# What a cached fragment may read: the same for every reader of a language in this process.
SAME_FOR_EVERY_READER = {"LANGUAGE_CODE", "SITE_NAME", "site_languages", "site_language_infos", "language"}


def _variables(nodelist) -> set[str]:
    """The first part of every variable the nodes read ("user" for {{ user.username }}), looking
    through every node's parts: filter expressions, tag arguments, conditions, the variables of a
    {% blocktranslate %}, the nodes inside."""
    found: set[str] = set()
    for node in nodelist:
        found |= _read_by(node, depth=0)
    return found


def _read_by(value, depth: int) -> set[str]:
    if depth > 6 or isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return set()
    if isinstance(value, FilterExpression):
        found = set()
        if isinstance(value.var, Variable) and value.var.lookups:
            found.add(value.var.lookups[0])
        for _function, arguments in value.filters:
            for lookup, argument in arguments:
                if lookup and argument.lookups:
                    found.add(argument.lookups[0])
        return found
    if isinstance(value, Token):
        return {value.contents.split(".")[0].split("|")[0].strip()} if value.token_type == TokenType.VAR else set()
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, (list, tuple, NodeList)):
        items = list(value)
    elif isinstance(value, (Node, TokenBase)):
        items = [v for k, v in vars(value).items() if k not in {"origin", "token", "template"}]
    else:
        return set()
    found = set()
    for item in items:
        found |= _read_by(item, depth + 1)
    return found


def _cache_nodes(nodelist):
    for node in nodelist:
        if isinstance(node, CacheNode):
            yield node
        for attr in getattr(node, "child_nodelists", ()):
            yield from _cache_nodes(getattr(node, attr, None) or [])


def _templates_with_fragments() -> list[str]:
    return sorted(
        str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html") if "{% cache" in path.read_text()
    )


def test_the_chrome_is_cached_in_the_base_layout():
    assert "base.html" in _templates_with_fragments()


@pytest.mark.parametrize("name", _templates_with_fragments())
def test_a_cached_fragment_reads_nothing_that_differs_between_readers(name):
    template = engines["django"].engine.get_template(name)
    nodes = list(_cache_nodes(template.nodelist))
    assert nodes
    for node in nodes:
        assert node.cache_name.token == '"fragments"', "the chrome lives in the per-process cache"
        assert [v.token for v in node.vary_on] == ["LANGUAGE_CODE"], "one copy per language"
        read = _variables(node.nodelist)
        assert read <= SAME_FOR_EVERY_READER, f"{node.fragment_name} reads {read - SAME_FOR_EVERY_READER}"


@pytest.mark.parametrize(
    "body",
    [
        "{{ user.username }}",
        "{% if user.is_authenticated %}hi{% endif %}",
        "{% url 'people:profile' user.username %}",
        "{{ SITE_NAME|default:user }}",
        "{% blocktranslate %}Hello {{ user }}{% endblocktranslate %}",
        "{% for x in user.groups %}{{ x }}{% endfor %}",
        "{% with name=user.username %}{{ name }}{% endwith %}",
    ],
)
def test_the_scanner_sees_a_fragment_that_reads_the_user(body):
    template = engines["django"].from_string(
        '{% load cache i18n %}{% cache None x LANGUAGE_CODE using="fragments" %}' + body + "{% endcache %}"
    )
    (node,) = _cache_nodes(template.template.nodelist)
    assert "user" in _variables(node.nodelist)


@pytest.mark.django_db
def test_each_reader_gets_their_own_header_around_the_cached_chrome():
    visitor_page = Client().get("/search/?q=consent").content.decode()
    member = UserFactory(username="kind-fern")
    client = Client()
    client.force_login(member)
    member_page = client.get("/questions/").content.decode()
    again = Client().get("/questions/").content.decode()

    assert 'value="consent"' in visitor_page and ">Sign in</a>" in visitor_page
    assert "kind-fern" in member_page and "Sign out" in member_page and ">Sign in</a>" not in member_page
    assert 'value=""' in member_page
    assert "kind-fern" not in again and "Sign out" not in again and ">Sign in</a>" in again
    assert 'name="next" value="/questions/"' in again and 'name="next" value="/search/?q=consent"' in visitor_page


@pytest.mark.django_db
def test_the_chrome_follows_the_language_back_and_forth():
    pages = {code: Client(HTTP_ACCEPT_LANGUAGE=code).get("/").content.decode() for code in ("en", "es", "ar", "en")}
    english, spanish, arabic = pages["en"], pages["es"], pages["ar"]
    assert "Community guidelines" in english and "Normas de la comunidad" not in english
    assert "Normas de la comunidad" in spanish and "Community guidelines" not in spanish
    assert "/jsi18n/es.js" in spanish and "/jsi18n/en.js" in english and "/jsi18n/ar.js" in arabic
    current = re.findall(r'value="(\w+)"[^>]*aria-current="true"', spanish)
    assert current == ["es"]


@pytest.mark.django_db
def test_a_changed_setting_renders_the_chrome_again(settings):
    Client().get("/")  # the chrome is cached now, with the site's name in it
    settings.SITE_NAME = "Quiet Questions"
    assert "<span>Quiet Questions</span>" in Client().get("/").content.decode()
