"""Clarifications under questions and answers: posting, who is shown, the lists, deleting."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from accounts.models import FORMER_MEMBER
from forum.answers.models import Comment
from forum.moderation.models import Suspension, WatchedWord, suspension_end
from forum.questions.comment_services import comment_post
from forum.questions.models import Follow, Question
from tests.factories import UserFactory, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db

NO_PREMODERATION = override_settings(FORUM_PREMODERATE_ANONYMOUS=False)


@pytest.fixture
def asked():
    """A visitor's published question, with its private key."""
    return make_question(title="How do I bring up contraception with a new partner?")


@pytest.fixture
def answer(asked):
    return make_answer(question=asked, author=UserFactory(username="helper"), body="Pick a calm moment and ask.")


def test_it_posts_a_members_clarification_under_the_question(member, member_user, asked):
    response = member.post(f"/questions/{asked.pk}/comment/", {"body": "Do you mean *before* you meet?"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{asked.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == Comment.Status.PUBLISHED and comment.answer is None
    assert comment.author == member_user and not comment.by_asker and not comment.by_expert
    assert comment.body_html == "Do you mean <em>before</em> you meet?"
    assert Follow.objects.filter(user=member_user, question=asked).exists()
    html = Client().get(asked.get_absolute_url()).content.decode()
    assert "Do you mean <em>before</em> you meet?" in html and 'href="/users/member/"' in html


def test_it_posts_under_an_answer_and_returns_to_it(member, answer):
    response = member.post(f"/answers/{answer.pk}/comment/", {"body": "Which moment worked for you?"})
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.answer == answer and comment.question_id == answer.question_id
    html = Client().get(answer.question.get_absolute_url()).content.decode()
    card = html[html.index(f'id="answer-{answer.pk}"') :]
    assert "Which moment worked for you?" in card


@pytest.mark.parametrize("url", ["/questions/{q}/comment/", "/answers/{a}/comment/", "/comments/{c}/delete/"])
def test_it_refuses_get_on_the_posting_urls(member, member_user, answer, url):
    comment = comment_post(question=answer.question, author=member_user, by_asker=False, body="A question back.")
    response = member.get(url.format(q=answer.question_id, a=answer.pk, c=comment.pk))
    assert response.status_code == 405


def test_it_refuses_a_visitor_who_is_not_the_asker(visitor, asked, answer):
    for url in (f"/questions/{asked.pk}/comment/", f"/answers/{answer.pk}/comment/"):
        assert visitor.post(url, {"body": "Who are you?"}).status_code == 403
        assert visitor.post(url, {"body": "Who are you?", "key": "not-the-key-at-all"}).status_code == 403
    assert not Comment.objects.exists()
    html = visitor.get(asked.get_absolute_url()).content.decode()
    assert "Sign in to ask for a clarification" in html and "Your clarification" not in html


def test_it_holds_the_accountless_askers_reply_under_premoderation(visitor, asked, answer):
    response = visitor.post(f"/answers/{answer.pk}/comment/", {"body": "Before, yes.", "key": asked.key})
    assert response.status_code == 302 and response["Location"] == f"/questions/key/{asked.key}/"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.by_asker and comment.author is None
    assert comment.source_hash  # a keyed daily hash, for source blocks
    assert "Before, yes." not in Client().get(asked.get_absolute_url()).content.decode()


@NO_PREMODERATION
def test_it_shows_the_accountless_askers_reply_as_the_asker(visitor, asked, answer):
    page = visitor.get(f"/questions/key/{asked.key}/").content.decode()
    assert f'action="/answers/{answer.pk}/comment/"' in page and f'name="key" value="{asked.key}"' in page
    response = Client().post(f"/answers/{answer.pk}/comment/", {"body": "Before, yes.", "key": asked.key})
    comment = Comment.objects.get()
    assert response["Location"] == f"/questions/key/{asked.key}/#comment-{comment.pk}"
    assert comment.status == Comment.Status.PUBLISHED
    html = Client().get(asked.get_absolute_url()).content.decode()
    assert "Before, yes." in html and "<strong>the asker</strong>" in html


def test_it_never_names_a_member_who_asked_anonymously(moderator):
    asker = UserFactory(username="quiet_river", email="quiet.river@example.com")
    question = make_question(author=asker, title="A question asked under the anonymous option")
    comment = comment_post(question=question, author=asker, by_asker=False, body="To add: it's my first time.")
    assert comment.by_asker  # the member asked it, whatever the caller said
    for client in (Client(), moderator):
        for url in (question.get_absolute_url(), f"/questions/{question.pk}/clarifications/"):
            html = client.get(url).content.decode()
            assert "my first time" in html and "<strong>the asker</strong>" in html
            assert "quiet" not in html.lower()


def test_it_names_the_asker_of_a_named_question_with_a_badge(member_user):
    question = make_question(author=member_user, anonymous=False, title="A question asked under my own name")
    comment_post(question=question, author=member_user, by_asker=True, body="Some more detail here.")
    html = Client().get(question.get_absolute_url()).content.decode()
    assert '<span class="badge badge-asker">Asker</span><a href="/users/member/">' in html


def test_it_badges_a_verified_experts_clarification(asked):
    expert = make_expert(UserFactory(username="dr_kim"))
    comment = comment_post(question=asked, author=expert, by_asker=False, body="How old are you both?")
    assert comment.by_expert
    html = Client().get(asked.get_absolute_url()).content.decode()
    assert '<span class="badge badge-expert">Verified expert</span><a href="/users/dr_kim/">' in html


def test_it_shows_a_deleted_account_as_a_former_member(asked):
    author = UserFactory()
    comment_post(question=asked, author=author, by_asker=False, body="Is this a new relationship?")
    Comment.objects.update(author=None)
    html = Client().get(asked.get_absolute_url()).content.decode()
    assert f"<strong>{FORMER_MEMBER}</strong>" in html


def test_it_keeps_the_text_and_shows_the_error_next_to_the_field(member, asked):
    response = member.post(f"/questions/{asked.pk}/comment/", {"body": "x"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="errorlist" id="id_body_error"' in html and "at least 2 characters" in html
    assert ">\nx</textarea>" in html
    assert not Comment.objects.exists()


def test_it_refuses_a_blocked_word_next_to_the_field(member, asked):
    WatchedWord.objects.create(phrase="buy pills", action=WatchedWord.Action.BLOCK)
    response = member.post(f"/questions/{asked.pk}/comment/", {"body": "You should buy pills here"})
    html = response.content.decode()
    assert response.status_code == 400 and 'id="id_body_error"' in html
    assert ">\nYou should buy pills here</textarea>" in html and not Comment.objects.exists()


def test_it_holds_a_clarification_with_a_held_word(member, asked):
    WatchedWord.objects.create(phrase="telegram", action=WatchedWord.Action.HOLD)
    member.post(f"/questions/{asked.pk}/comment/", {"body": "Message me on telegram"})
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_it_shows_crisis_resources_to_a_poster_who_mentions_danger(member, asked):
    WatchedWord.objects.get_or_create(phrase="hurt myself", action=WatchedWord.Action.CRISIS)  # in the starter list
    response = member.post(f"/questions/{asked.pk}/comment/", {"body": "Sometimes I want to hurt myself"})
    html = response.content.decode()
    assert response.status_code == 200 and "If you need help now" in html
    assert Comment.objects.get().status == Comment.Status.PUBLISHED


def test_it_refuses_a_suspended_member(member, member_user, asked):
    Suspension.objects.create(user=member_user, ends_at=suspension_end(3), reason="Rude replies.")
    response = member.post(f"/questions/{asked.pk}/comment/", {"body": "Still here."})
    assert response.status_code == 400 and "suspended" in response.content.decode()
    assert not Comment.objects.exists()


def test_it_takes_no_clarifications_on_a_closed_thread(member, asked):
    Question.objects.filter(pk=asked.pk).update(is_locked=True)
    response = member.post(f"/questions/{asked.pk}/comment/", {"body": "Hello there"})
    assert response.status_code == 400 and "closed" in response.content.decode()
    assert "Your clarification" not in member.get(asked.get_absolute_url()).content.decode()
    assert not Comment.objects.exists()


def test_it_takes_none_on_an_unpublished_question_or_a_foreign_answer(member, member_user, answer):
    pending = make_question(title="A question still waiting for review", status="pending")
    assert member.post(f"/questions/{pending.pk}/comment/", {"body": "Hello there"}).status_code == 404
    assert member.get(f"/questions/{pending.pk}/clarifications/").status_code == 404
    other = make_question(title="Another published question entirely")
    with pytest.raises(ValidationError):
        comment_post(question=other, answer=answer, author=member_user, by_asker=False, body="Mismatched")


def test_it_lists_all_of_a_posts_clarifications(member_user, answer):
    for i in range(5):
        comment_post(question=answer.question, answer=answer, author=member_user, by_asker=False, body=f"Note {i}")
    thread = Client().get(answer.question.get_absolute_url()).content.decode()
    assert "Note 2" in thread and "Note 3" not in thread
    assert f'<a href="/answers/{answer.pk}/clarifications/">Show all 5 clarifications</a>' in thread
    listing = Client().get(f"/answers/{answer.pk}/clarifications/")
    html = listing.content.decode()
    assert listing.status_code == 200 and all(f"Note {i}" in html for i in range(5))
    assert html.index("Note 0") < html.index("Note 4")
    assert "Sign in to ask for a clarification" in html


def test_it_lets_the_author_delete_and_wipes_the_text(member, member_user, outsider, visitor, asked):
    comment = comment_post(question=asked, author=member_user, by_asker=False, body="Something I regret saying")
    assert outsider.post(f"/comments/{comment.pk}/delete/").status_code == 403
    assert visitor.post(f"/comments/{comment.pk}/delete/").status_code == 302  # to sign in
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    response = member.post(f"/comments/{comment.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == asked.get_absolute_url()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED and comment.body == "" and comment.body_html == ""
    assert "Something I regret" not in Client().get(asked.get_absolute_url()).content.decode()


def test_it_limits_how_fast_one_member_posts(member, asked):
    statuses = [
        member.post(f"/questions/{asked.pk}/comment/", {"body": f"Note number {i}"}).status_code for i in range(11)
    ]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
