"""Synonyms (forum/questions/synonyms.py): how people put it finds how experts wrote it."""

import pytest
from django.test import Client

from forum.questions import search, synonyms
from forum.questions.admin import SearchSynonymForm
from forum.questions.models import SearchSynonym
from tests.factories import UserFactory, make_question

pytestmark = pytest.mark.django_db


def titles(query: str) -> list[str]:
    return [q.title for q in search.search_page(query=query, language="en").page.object_list]


def test_the_starters_can_be_put_back_without_doubles():
    from importlib import import_module

    from django.apps import apps

    before = SearchSynonym.objects.count()
    import_module("forum.questions.migrations.0018_search_synonyms").add_starters(apps, None)
    assert SearchSynonym.objects.count() == before


def test_the_starter_groups_are_there_and_valid():
    groups = list(SearchSynonym.objects.values_list("terms", flat=True))
    assert ["cry", "cried", "crying", "tears", "sobbing", "weep", "weeping"] in groups
    for terms in groups:
        assert synonyms.MIN_TERMS <= len(terms) <= synonyms.MAX_TERMS, terms
        assert all(synonyms.valid_term(term) for term in terms), terms


def test_a_lay_word_finds_the_thread_written_in_other_words():
    make_question(title="Why did I burst into tears afterwards?", body="It was gentle and I wanted it.")
    make_question(title="Something unrelated", body="Nothing about the feeling at all.")
    assert titles("why did she cry after we had sex") == ["Why did I burst into tears afterwards?"]


def test_a_phrase_of_the_group_matches_word_by_word():
    make_question(title="I get a bladder infection every time", body="Three courses of antibiotics this year.")
    assert titles("i keep getting a uti") == ["I get a bladder infection every time"]
    found = synonyms.expand(("how", "to", "stop", "coming", "too", "fast"), "en")
    assert [sorted(expansion.covers) for expansion in found] == [[3, 4, 5]]


def test_the_group_counts_once_and_each_word_is_covered_once():
    found = synonyms.expand(("Crying", "tears", "porn"), "en")
    assert [sorted(e.covers) for e in found] == [[0, 1], [2]]
    assert found[0].text.startswith("cry or cried or crying or tears")


def test_accents_and_case_do_not_matter_and_languages_stay_apart():
    assert synonyms.expand(("CONDÓN",), "es")[0].terms[:2] == ("condón", "condon")
    assert synonyms.expand(("condón",), "en") == []


def test_a_query_with_or_is_read_as_typed():
    make_question(title="Why did I burst into tears afterwards?", body="It was gentle and I wanted it.")
    assert titles("cry or laugh") == []  # no synonyms in an explicit boolean query


def test_a_change_in_the_admin_shows_at_once_in_this_process():
    make_question(title="Talking about kink with a new partner", body="How to bring it up gently.")
    assert titles("fetish") == []
    SearchSynonym.objects.create(language="en", terms=["fetish", "kink"])
    assert titles("fetish") == ["Talking about kink with a new partner"]


@pytest.mark.parametrize(
    "terms, error",
    [
        ("only one", "between 2 and 12"),
        ("\n".join(f"word{chr(97 + i)}" for i in range(13)), "between 2 and 12"),
        ("fine\n<script>", "Only letters"),
        ("fine\nor", "Only letters"),
        ('fine\n"quoted"', "Only letters"),
        ("fine\n" + "x" * 61, "at most 60"),
    ],
)
def test_the_admin_form_refuses_bad_terms_with_a_message(terms, error):
    form = SearchSynonymForm(data={"language": "en", "terms": terms})
    assert not form.is_valid()
    assert error in str(form.errors["terms"])


def test_the_admin_form_tidies_spaces_and_repeats():
    form = SearchSynonymForm(data={"language": "en", "terms": "  sex   drive \nlibido\nlibido\n\n"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["terms"] == ["sex drive", "libido"]


def test_staff_keep_them_in_the_admin_and_members_cannot(site_admin):
    assert site_admin.get("/admin/questions/searchsynonym/").status_code == 200
    response = site_admin.post(
        "/admin/questions/searchsynonym/add/", {"language": "en", "terms": "fetish\nkink\nkinks"}
    )
    assert response.status_code == 302, response.content[:2000]
    assert SearchSynonym.objects.filter(terms=["fetish", "kink", "kinks"]).exists()
    member = Client()
    member.force_login(UserFactory())
    assert member.get("/admin/questions/searchsynonym/").status_code == 302  # to the admin's login
