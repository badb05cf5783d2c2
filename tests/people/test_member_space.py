"""The member's own space (/me/): what they asked — anonymous questions too, seen by them alone —,
what they answered, what they follow, their notification choices. No URL names a member."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.questions.models import Follow, NotificationPreference
from forum.questions.services import question_delete
from tests.factories import UserFactory, log_in, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db

ANONYMOUS = "asked anonymously — only you see this"
SPACE = ("/me/", "/me/questions/", "/me/answers/", "/me/following/", "/me/notifications/settings/")


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    return response.content.decode()


def test_it_lists_everything_the_member_asked_with_its_state(member, member_user, moderator_user):
    from forum.desk.services import post_hide

    named = make_question(author=member_user, anonymous=False, title="A question asked under my own name")
    secret = make_question(author=member_user, anonymous=True, title="A question I asked anonymously here")
    waiting = make_question(author=member_user, status="pending", title="A question still waiting for review")
    hidden = make_question(author=member_user, title="A question moderators hid from view")
    post_hide(moderator=moderator_user, post=hidden, reason="Names a real person.")
    gone = make_question(author=member_user, title="A question I deleted myself later")
    question_delete(question=gone)
    body = page(member, "/me/questions/")
    for question in (named, secret, waiting, hidden):
        assert question.title in body
    assert "[deleted]" not in body and gone.title not in body
    assert body.count(ANONYMOUS) == 3  # every question asked "as Anonymous" (the default)
    assert "Waiting for review" in body and "Hidden by moderators" in body and "Names a real person." in body


def test_it_shows_a_members_questions_to_no_one_else(member_user, outsider, moderator, revealing_moderator, visitor):
    make_question(author=member_user, anonymous=True, title="Only the member may see this one listed")
    for client in (outsider, moderator, revealing_moderator):
        assert "Only the member may see" not in page(client, "/me/questions/")
    for url in SPACE:
        response = visitor.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    for guess in (f"/me/questions/?user={member_user.pk}", f"/me/{member_user.pk}/questions/",
                  f"/users/{member_user.username}/questions/"):  # fmt: skip
        response = outsider.get(guess)
        assert response.status_code == 404 or "Only the member may see" not in response.content.decode(), guess


def test_it_lists_the_members_answers(member, member_user, moderator_user):
    from forum.desk.services import post_hide

    shown = make_answer(question=make_question(title="A thread the member answered in"), author=member_user)
    hidden = make_answer(question=make_question(title="Another thread the member answered"), author=member_user)
    post_hide(moderator=moderator_user, post=hidden, reason="Unkind.")
    body = page(member, "/me/answers/")
    assert f"/answers/{shown.pk}/" in body and "A thread the member answered in" in body
    assert "Hidden by moderators" in body


def test_it_lists_followed_threads_with_a_stop_button(member, member_user):
    followed = make_question(title="A thread the member follows closely")
    Follow.objects.create(user=member_user, question=followed)
    gone = make_question(title="A thread that was hidden since then")
    Follow.objects.create(user=member_user, question=gone)
    gone.status = "hidden"
    gone.save(update_fields=["status"])
    body = page(member, "/me/following/")
    assert followed.title in body and gone.title not in body and "no longer shown" in body
    assert f"/questions/{followed.pk}/unfollow/" in body
    response = member.post(f"/questions/{followed.pk}/unfollow/", {"next": "/me/following/"})
    assert response["Location"] == "/me/following/"
    assert not Follow.objects.filter(user=member_user, question=followed).exists()


def test_it_links_the_header_name_to_the_space_and_the_space_to_its_lists(member, member_user):
    home = member.get("/").content.decode()
    assert f'<a href="/me/" title="Your space">{member_user.username}</a>' in home
    body = page(member, "/me/")
    for url in (*SPACE[1:], "/notifications/"):
        assert f'href="{url}"' in body, url


@pytest.mark.parametrize(
    ("url", "grow"),
    [
        ("/me/questions/", lambda user, i: make_question(author=user, title=f"My question number {i} in the list")),
        ("/me/answers/", lambda user, i: make_answer(question=make_question(), author=user)),
        ("/me/following/", lambda user, i: Follow.objects.create(user=user, question=make_question())),
    ],
)
def test_it_shows_each_list_in_a_fixed_number_of_queries(member, member_user, url, grow):
    def cost():
        with CaptureQueriesContext(connection) as ctx:
            page(member, url)
        return len(ctx.captured_queries), ctx

    grow(member_user, 0)
    small, _ = cost()
    for i in range(1, 30):
        grow(member_user, i)
    large, ctx = cost()
    # session, user (with the header's unread count), the count, the page (+ threads)
    assert small == large == 4, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_it_refuses_the_wrong_method(member):
    for url in SPACE[:4]:
        assert member.post(url).status_code == 405, url


def test_it_saves_notification_choices(member, member_user):
    body = page(member, "/me/notifications/settings/")
    assert "New questions in your areas of practice" not in body, "only for verified experts"
    response = member.post("/me/notifications/settings/", {"my_questions_site": "on", "followed_email": "on"})
    assert response.status_code == 302
    choices = NotificationPreference.objects.get(user=member_user)
    assert (choices.my_questions_site, choices.my_questions_email, choices.followed_email) == (True, False, True)
    assert choices.expert_questions == "daily", "a member's form leaves the experts' choice alone"


def test_it_offers_verified_experts_their_question_alerts():
    expert = make_expert(UserFactory(username="dr-alerts"))
    client = log_in(Client(), expert)
    assert "New questions in your areas of practice" in page(client, "/me/notifications/settings/")
    response = client.post("/me/notifications/settings/", {"expert_questions": "at_once"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=expert).expert_questions == "at_once"
    response = client.post("/me/notifications/settings/", {"expert_questions": "hourly"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert NotificationPreference.objects.get(user=expert).expert_questions == "at_once"


def test_it_deletes_follows_and_notification_choices_with_the_account(member_user):
    from forum.people.selectors import account_deletion_summary
    from forum.people.services import account_delete
    from forum.questions.preferences import preferences_set

    make_question(author=member_user)
    preferences_set(user_id=member_user.pk, followed_email=True)
    assert ("threads followed", 1) in account_deletion_summary(member_user)
    account_delete(user=member_user, by=None)
    assert not Follow.objects.exists() and not NotificationPreference.objects.exists()
