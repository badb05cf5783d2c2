"""Following a thread: asking and answering follow it, a button follows and stops following it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.questions.models import Follow
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db


def follows(user, question) -> bool:
    return Follow.objects.filter(user=user, question=question).exists()


def test_it_follows_the_thread_a_member_asks_even_anonymously(member_user):
    question = make_question(author=member_user, anonymous=True)
    assert follows(member_user, question)
    assert Follow.objects.filter(question=question).count() == 1


def test_it_follows_the_thread_a_member_answers_once_however_often(member_user):
    question = make_question()
    make_answer(question=question, author=member_user)
    make_answer(question=question, author=member_user, body="A second answer from the same member here.")
    assert Follow.objects.filter(user=member_user, question=question).count() == 1


def test_it_follows_and_stops_following_with_the_button(member, member_user):
    question = make_question(title="A thread a member decides to follow")
    page = member.get(question.get_absolute_url()).content.decode()
    assert "Follow this thread" in page and f"/questions/{question.pk}/follow/" in page

    response = member.post(f"/questions/{question.pk}/follow/")
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert follows(member_user, question)
    assert member.post(f"/questions/{question.pk}/follow/").status_code == 302  # twice: still one row
    assert Follow.objects.filter(user=member_user, question=question).count() == 1
    page = member.get(question.get_absolute_url()).content.decode()
    assert "Stop following this thread" in page and f"/questions/{question.pk}/unfollow/" in page

    response = member.post(f"/questions/{question.pk}/unfollow/")
    assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
    assert not follows(member_user, question)


def test_it_goes_back_to_a_page_of_this_site_only(member, member_user):
    question = make_question()
    Follow.objects.create(user=member_user, question=question)
    response = member.post(f"/questions/{question.pk}/unfollow/", {"next": "/me/following/"})
    assert response["Location"] == "/me/following/"
    for elsewhere in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = member.post(f"/questions/{question.pk}/follow/", {"next": elsewhere})
        assert response["Location"] == question.get_absolute_url(), elsewhere


def test_it_refuses_the_wrong_method_and_sends_visitors_to_sign_in(member, visitor):
    question = make_question()
    assert member.get(f"/questions/{question.pk}/follow/").status_code == 405
    assert member.get(f"/questions/{question.pk}/unfollow/").status_code == 405
    response = visitor.post(f"/questions/{question.pk}/follow/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Follow.objects.exclude(user=question.author).exists()


def test_it_lets_no_one_follow_a_thread_they_cannot_see(outsider, outsider_user, member_user):
    hidden = make_question(author=member_user, status="hidden")
    pending = make_question(status="pending")
    for question in (hidden, pending):
        assert outsider.post(f"/questions/{question.pk}/follow/").status_code == 404
        assert not follows(outsider_user, question)
    assert outsider.post("/questions/999999/follow/").status_code == 404


def test_it_tells_the_thread_page_whether_the_member_follows_in_one_query(member, member_user, visitor):
    question = make_question()
    with CaptureQueriesContext(connection) as ctx:
        assert member.get(question.get_absolute_url()).status_code == 200
    assert sum('"questions_follow"' in q["sql"] for q in ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        page = visitor.get(question.get_absolute_url()).content.decode()
    assert not any('"questions_follow"' in q["sql"] for q in ctx.captured_queries)
    assert "Follow this thread" not in page  # visitors' cached pages show no member's button


def test_it_keeps_following_to_the_one_member(member_user):
    question = make_question()
    others = UserFactory.create_batch(3)
    for other in others:
        make_answer(question=question, author=other)
    assert set(Follow.objects.filter(question=question).values_list("user_id", flat=True)) == {o.pk for o in others}


def test_it_makes_earlier_askers_and_answerers_followers_in_the_migration(member_user, outsider_user):
    from importlib import import_module

    from django.apps import apps

    asked = make_question(author=member_user)
    answered = make_question()
    make_answer(question=answered, author=outsider_user)
    visitors = make_question()
    Follow.objects.all().delete()  # as before following existed
    migration = import_module("forum.questions.migrations.0011_notification_preferences_and_decisions")
    migration.follow_own_threads(apps, None)
    migration.follow_own_threads(apps, None)  # twice: the same rows
    pairs = set(Follow.objects.values_list("user_id", "question_id"))
    assert pairs == {(member_user.pk, asked.pk), (outsider_user.pk, answered.pk)}
    assert visitors.author_id is None
