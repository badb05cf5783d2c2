"""The moderation log links each entry to what it is about, in a fixed number of queries; a deleted
target says so; the author of an anonymous question is never linked by name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.desk import services
from forum.desk.comment_services import comment_delete, comment_hide
from forum.moderation.models import ModerationAction
from forum.people.services import expert_apply, expert_verify
from forum.questions.comment_services import comment_post
from forum.questions.models import Tag
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def log_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/moderation/log/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_it_links_each_entry_to_its_question_answer_clarification_member_or_application(moderator, moderator_user):
    question = make_question(title="A question the log links to, hidden")
    services.post_hide(moderator=moderator_user, post=question, reason="Off topic")
    answer = make_answer(question=make_question(), author=UserFactory())
    services.post_hide(moderator=moderator_user, post=answer, reason="Unkind")
    comment = comment_post(question=answer.question, answer=answer, author=UserFactory(), by_asker=False, body="Hm?")
    comment_hide(moderator=moderator_user, comment=comment, reason="Noise")
    member = UserFactory(username="named-member")
    services.user_suspend(moderator=moderator_user, user=member, days=1, reason="Spam")
    applicant = UserFactory()
    profile = expert_apply(user=applicant, title="Sexologist", credentials="MSc", licence_number="1",
                           licence_body="Board", jurisdiction="NL", areas=[Tag.objects.first()])  # fmt: skip
    expert_verify(moderator=moderator_user, profile=profile)
    _, html = log_queries(moderator)
    assert f'<a href="{question.get_absolute_url()}">question #{question.pk}</a>' in html
    assert f'<a href="/answers/{answer.pk}/">answer #{answer.pk}</a>' in html
    assert (
        f'<a href="/answers/{answer.pk}/clarifications/#comment-{comment.pk}">clarification #{comment.pk}</a>' in html
    )
    assert '<a href="/users/named-member/">member named-member</a>' in html
    assert '<a href="/moderation/experts/">' in html


def test_it_says_deleted_for_a_deleted_target_and_never_links_an_anonymous_author(moderator, moderator_user):
    question = make_question(title="A question a moderator deletes from the desk")
    services.post_delete(moderator=moderator_user, post=question, reason="Spam")
    comment = comment_post(question=make_question(), author=UserFactory(), by_asker=False, body="Spam here")
    comment_delete(moderator=moderator_user, comment=comment, reason="Spam")
    asked = make_question(author=UserFactory(username="hidden-asker"), anonymous=True)
    services.question_author_suspend(moderator=moderator_user, question=asked, days=1, reason="Abuse")
    _, html = log_queries(moderator)
    assert f'question #{question.pk} <span class="log-target-gone">(deleted)</span>' in html
    assert f'clarification #{comment.pk} <span class="log-target-gone">(deleted)</span>' in html
    assert f'<a href="{asked.get_absolute_url()}">the author of question #{asked.pk}</a>' in html
    assert "hidden-asker" not in html


def test_it_renders_the_linked_log_in_a_fixed_number_of_queries(moderator, moderator_user):
    def add(n):
        for _ in range(n):
            question = make_question()
            answer = make_answer(question=question, author=UserFactory())
            services.post_hide(moderator=moderator_user, post=answer, reason="Unkind")
            comment = comment_post(question=question, author=UserFactory(), by_asker=False, body="A note")
            comment_hide(moderator=moderator_user, comment=comment, reason="Noise")
            services.question_lock(moderator=moderator_user, question=question, reason="Heated")
            services.user_suspend(moderator=moderator_user, user=UserFactory(), days=1, reason="Spam")

    add(1)
    small, _ = log_queries(moderator)
    add(12)
    large, html = log_queries(moderator)
    assert small == large and ModerationAction.objects.count() >= 50
    assert html.count("<a href=") > 50
