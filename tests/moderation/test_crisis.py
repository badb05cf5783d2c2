"""Crisis resources: on sensitive threads, and on the ask page when the draft mentions a crisis phrase."""

import pytest

from forum.core.tokens import new_form_token
from forum.moderation.models import CrisisResource, WatchedWord
from forum.questions.models import Tag
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def test_it_shows_help_lines_on_threads_in_sensitive_topics_or_with_warnings(visitor):
    assert CrisisResource.objects.exists()  # seeded by a migration, editable in the admin
    sensitive_topic = make_question(tags=[Tag.objects.get(slug="sexual-assault")])
    warned = make_question(title="A question with a content warning on it", content_warnings=["self-harm"])
    ordinary = make_question(
        title="An ordinary question about relationships", tags=[Tag.objects.get(slug="relationships")]
    )
    for question in (sensitive_topic, warned):
        assert "If you need help now" in visitor.get(question.get_absolute_url()).content.decode()
    assert "If you need help now" not in visitor.get(ordinary.get_absolute_url()).content.decode()


def test_it_shows_help_lines_on_the_ask_page_when_the_draft_mentions_a_crisis_phrase(visitor, moderator_user):
    WatchedWord.objects.get_or_create(phrase="hurt myself", action="crisis")  # in the starter list
    page = visitor.get("/questions/ask/").content.decode()
    assert "data-crisis-box" in page and '"hurt myself"' in page  # hidden, revealed by crisis.js as they type
    response = visitor.post("/questions/ask/", {"title": "I want to hurt myself after what happened", "body": "",
                                                "form_token": new_form_token()})  # fmt: skip
    html = response.content.decode()
    assert "If you need help now" in html and "data-crisis-box" not in html  # shown, not hidden
