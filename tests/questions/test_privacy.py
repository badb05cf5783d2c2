"""Promise 1: an anonymous question never shows who wrote it."""

import pytest
from django.test import Client

from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def test_it_never_shows_the_author_of_a_members_anonymous_question():
    author = UserFactory(username="zephyr-distinct-name", email="zephyr.distinct@example.org")
    question = make_question(author=author, anonymous=True, title="Can stress make it hard to finish during sex?")
    make_answer(question=question, author=UserFactory(username="kind-answerer"))
    tag = question.tags.first()

    pages = {
        "thread": question.get_absolute_url(),
        "list": "/questions/",
        "list-votes": "/questions/?sort=votes",
        "tag": f"/tags/{tag.slug}/",
        "tags": "/tags/",
        "home": "/",
    }
    readers = {"visitor": Client(), "other member": Client()}
    readers["other member"].force_login(UserFactory())
    for reader_name, client in readers.items():
        for page_name, url in pages.items():
            html = client.get(url).content.decode()
            assert question.title in html or page_name == "tags", (reader_name, page_name)
            for secret in ("zephyr-distinct-name", "zephyr.distinct", "zephyr"):
                assert secret not in html, f"{secret} leaked on {page_name} for {reader_name}"
    # The author sees their own question the same way: "Anonymous", not their name, in the thread.
    own = Client()
    own.force_login(author)
    thread = own.get(question.get_absolute_url()).content.decode()
    assert "by Anonymous" in thread


def test_it_never_shows_a_visitor_key_holder_anything_about_answerers_email():
    question = make_question()
    make_answer(question=question, author=UserFactory(username="helpful-one", email="helpful.one@example.org"))
    html = Client().get(f"/questions/key/{question.key}/").content.decode()
    assert "helpful-one" in html
    assert "helpful.one@example.org" not in html
