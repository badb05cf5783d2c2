"""The desk end to end, in Python: pre-moderation, then reports → auto-hide → restore → the log."""

import pytest
from django.test import Client

from forum.core.tokens import new_form_token
from forum.questions.models import Question, Tag
from tests.factories import UserFactory, make_answer

pytestmark = pytest.mark.django_db


def test_a_visitors_question_waits_for_approval_then_reports_hide_an_answer_until_restored(moderator, visitor):
    title = "Is it okay to not want sex for months after a baby?"
    visitor.post(
        "/questions/ask/",
        {"title": title, "body": "It has been five months and I feel nothing.", "tags": [Tag.objects.first().pk],
         "form_token": new_form_token()},
    )  # fmt: skip
    question = Question.objects.get()
    assert question.status == "pending"
    assert title not in Client().get("/questions/").content.decode()
    assert title in moderator.get("/moderation/").content.decode()

    moderator.post(f"/moderation/question/{question.pk}/approve/")
    assert title in Client().get("/questions/").content.decode()

    answer = make_answer(question=question, author=UserFactory(), body="An abusive reply that should be hidden.")
    for n in range(3):
        reporter = Client()
        reporter.force_login(UserFactory(username=f"reporter{n}"))
        reporter.post(f"/report/answer/{answer.pk}/", {"reason": "harassment"})
    assert "An abusive reply" not in Client().get(question.get_absolute_url()).content.decode()

    moderator.post(f"/moderation/answer/{answer.pk}/restore/", {"reason": "Reviewed: it is fine"})
    assert "An abusive reply" in Client().get(question.get_absolute_url()).content.decode()

    log = moderator.get("/moderation/log/").content.decode()
    log = log[log.index("<tbody>") :]  # the rows, not the filter's choices
    positions = [log.index(label) for label in ("Restored", "Hidden automatically", "Approved")]
    assert positions == sorted(positions)  # newest first: approve, then auto-hide, then restore
