"""The notifications page and the header's unread count: every kind, the moderator's reason, links,
pages of fixed cost, and a count that clears once the member marks them read."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.desk import services as desk
from forum.questions.models import Notification
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
UNREAD = re.compile(r"(\d+) unread")


def header(page: str) -> str:
    return page.split("<main", 1)[0]


def test_it_shows_every_kind_with_its_link_and_the_moderators_reason(member, member_user, moderator_user):
    question = make_question(author=member_user, title="A thread of mine with an answer in it")
    answer = make_answer(question=question, author=UserFactory())
    mine = make_answer(question=make_question(title="Someone else's thread I answered"), author=member_user)
    desk.post_hide(moderator=moderator_user, post=mine, reason="Please <b>cite</b> a source.")
    page = member.get("/notifications/").content.decode()
    assert "New answer on" in page and f'href="/answers/{answer.pk}/"' in page
    assert "A moderator hid your answer on" in page
    assert "The moderator's note:" in page
    assert "Please &lt;b&gt;cite&lt;/b&gt; a source." in page
    assert moderator_user.username not in page.split("<main", 1)[1], "the moderator is never named"


def test_it_does_not_show_the_title_of_a_thread_hidden_since(member, member_user, moderator_user):
    question = make_question(title="A thread that moderators hid later on")
    make_answer(question=question, author=member_user)
    make_answer(question=question, author=UserFactory(), body="A later answer that the member hears of.")
    desk.post_hide(moderator=moderator_user, post=question, reason="Off topic.")
    page = member.get("/notifications/").content.decode()
    assert "A thread that moderators hid later on" not in page
    assert "a thread that is no longer shown" in page


def test_it_shows_the_member_only_their_own_notifications(member, outsider_user):
    question = make_question(author=outsider_user, title="The outsider's own question, not yours")
    make_answer(question=question, author=UserFactory())
    assert "not yours" not in member.get("/notifications/").content.decode()


def test_it_counts_unread_in_the_header_until_they_are_marked_read(member, member_user):
    question = make_question(author=member_user)
    assert not UNREAD.search(header(member.get("/").content.decode()))
    make_answer(question=question, author=UserFactory())
    make_answer(question=question, author=UserFactory(), body="Another answer with enough words in it.")
    assert UNREAD.search(header(member.get("/").content.decode())).group(1) == "2"
    page = member.get("/notifications/").content.decode()
    assert "Mark all 2 as read" in page
    assert UNREAD.search(header(member.get("/").content.decode())).group(1) == "2", "reading the page changes nothing"
    response = member.post("/notifications/read/")
    assert response.status_code == 302
    assert not UNREAD.search(header(member.get("/").content.decode()))
    assert not Notification.objects.filter(recipient=member_user, read_at__isnull=True).exists()


def test_it_costs_a_visitor_no_query_for_the_count(visitor):
    make_question()
    with CaptureQueriesContext(connection) as ctx:
        visitor.get("/")
    assert not any('"questions_notification"' in q["sql"] for q in ctx.captured_queries)


def test_it_pages_notifications_in_a_fixed_number_of_queries(member, member_user):
    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert member.get("/notifications/").status_code == 200
        return len(ctx.captured_queries), ctx

    question = make_question(author=member_user)
    make_answer(question=question, author=UserFactory())
    small, _ = cost()
    Notification.objects.bulk_create(
        [Notification(recipient=member_user, kind=Kind.NEW_ANSWER, question=question) for _ in range(80)]
    )
    large, ctx = cost()
    # session, user (with the header's unread count), the count, the page (+ threads)
    assert small == large == 4, "\n".join(q["sql"] for q in ctx.captured_queries)
    assert 'rel="next"' in member.get("/notifications/").content.decode()
    assert member.get("/notifications/?page=3").status_code == 200


def test_it_refuses_the_wrong_method_and_visitors(member, visitor):
    assert member.post("/notifications/").status_code == 405
    assert member.get("/notifications/read/").status_code == 405
    assert visitor.get("/notifications/")["Location"].startswith("/accounts/login/")


def test_it_links_each_decision_to_what_the_member_can_open(member, member_user, moderator_user):
    rejected = make_question(author=member_user, status="pending", title="A question of mine that was turned down")
    desk.question_reject(moderator=moderator_user, question=rejected, reason="Too personal.")
    removed = make_question(author=member_user, title="A question of mine a moderator removed")
    desk.post_delete(moderator=moderator_user, post=removed, reason="Spam.")
    page = member.get("/notifications/").content.decode()
    assert f'href="{rejected.get_absolute_url()}"' in page
    assert member.get(rejected.get_absolute_url()).status_code == 200, "the asker opens their rejected question"
    assert "A question of mine a moderator removed" in page and removed.get_absolute_url() not in page
