"""Only the audited reveal shows the author of a member's anonymous question."""

import pytest
from django.test import Client

from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def test_no_page_but_the_reveal_shows_an_anonymous_author(moderator, revealing_moderator):
    author = UserFactory(username="quasar-unique-author", email="quasar.unique@example.org")
    question = make_question(author=author, anonymous=True, title="A sensitive question a member asked anonymously")
    make_answer(question=question, author=UserFactory())
    tag = question.tags.first()
    member = Client()
    member.force_login(UserFactory())
    public_pages = [
        "/",
        "/questions/",
        f"/tags/{tag.slug}/",
        question.get_absolute_url(),
        f"/report/question/{question.pk}/",
    ]
    desk_pages = ["/moderation/", "/moderation/log/", f"/moderation/question/{question.pk}/edit/"]
    for client in (Client(), member):
        for url in public_pages:
            assert "quasar" not in client.get(url).content.decode(), url
    for client in (moderator, revealing_moderator):
        for url in public_pages + desk_pages:
            assert "quasar" not in client.get(url).content.decode(), url
    revealed = revealing_moderator.post(f"/moderation/question/{question.pk}/reveal/", {"reason": "Abuse report"})
    assert "quasar-unique-author" in revealed.content.decode()
    assert "quasar" not in revealing_moderator.get("/moderation/log/").content.decode()
