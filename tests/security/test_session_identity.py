"""A visitor who asks and then signs in, in the same browser, is not linked to that account."""

import pytest
from django.contrib.sessions.models import Session

from forum.questions.models import Question
from tests.factories import PASSWORD, UserFactory
from tests.questions.test_ask import ask_data

pytestmark = pytest.mark.django_db


def _decoded_sessions() -> list[dict]:
    return [session.get_decoded() for session in Session.objects.all()]


def test_it_forgets_the_asked_questions_when_the_visitor_signs_in(visitor):
    user = UserFactory(email="later@example.com")
    asked = visitor.post("/questions/ask/", ask_data())
    assert asked.status_code == 302
    key_url = asked["Location"]
    question = Question.objects.get()
    assert question.pk in visitor.session["held_questions"]  # the asking session can manage it

    response = visitor.post("/accounts/login/", {"login": "later@example.com", "password": PASSWORD})
    assert response.status_code == 302 and visitor.session["_auth_user_id"] == str(user.pk)

    sessions = _decoded_sessions()
    assert sessions, "the signed-in session is stored"
    for data in sessions:
        assert "held_questions" not in data, data
    question.refresh_from_db()
    assert question.author_id is None
    # Signed in, the browser no longer manages the visitor's question; the private link still does.
    assert visitor.get(f"/questions/{question.pk}/edit/").status_code in (403, 404)
    assert visitor.get(key_url).status_code == 200
