"""Deleting a member from the admin works, and does what the privacy page says
(forum.people.services.account_delete): the account and what is theirs alone go; posts stay, without them."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import ExpertProfile, User
from forum.answers.models import Answer, Vote
from forum.desk import services as moderation
from forum.moderation.audit import log_action
from forum.moderation.models import Flag, ModerationAction, PostRevision, SourceBlock, Suspension, WatchedWord
from forum.questions.answer_services import vote_cast
from forum.questions.models import Notification, Question
from tests.factories import UserFactory, log_in, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db

NAME, EMAIL = "leaving-lee", "leaving-lee@example.com"
ANONYMOUS_TITLE = "Why do I feel empty after we are intimate?"
NAMED_TITLE = "How do I explain my boundaries kindly?"


@pytest.fixture
def leaver(moderator_user):
    """An expert member (with TOTP) who asked by name and anonymously, answered, voted, reported,
    got a notification and a suspension, and is signed in somewhere."""
    user = make_expert(UserFactory(username=NAME, email=EMAIL))
    helper, asker = UserFactory(username="helper-hana"), UserFactory(username="asker-ash")
    named = make_question(author=user, anonymous=False, title=NAMED_TITLE)
    anonymous = make_question(author=user, anonymous=True, title=ANONYMOUS_TITLE)
    theirs = make_question(author=asker, anonymous=False, title="What helps with nerves before intimacy?")
    answer = make_answer(question=theirs, author=user)
    helper_answer = make_answer(question=named, author=helper)  # notifies the leaver
    vote_cast(user=user, value=1, question=theirs)
    vote_cast(user=user, value=-1, answer=helper_answer)
    vote_cast(user=helper, value=1, answer=answer)
    moderation.flag_create(post=theirs, reason="spam", reporter=user)
    moderation.question_author_suspend(moderator=moderator_user, question=anonymous, days=3, reason="Spam")
    session = log_in(Client(), user)
    return {"user": user, "named": named, "anonymous": anonymous, "theirs": theirs, "answer": answer,
            "helper_answer": helper_answer, "session": session}  # fmt: skip


def test_it_lists_only_what_the_policy_deletes_never_a_question(site_admin, leaver):
    pk = leaver["user"].pk
    page = site_admin.get(f"/admin/accounts/user/{pk}/delete/").content.decode()
    assert f"Account: {NAME}" in page
    assert "2 votes" in page and "1 expert profiles" in page and "1 suspensions" in page
    for title in (ANONYMOUS_TITLE, NAMED_TITLE, "What helps with nerves"):
        assert title not in page
    listed = page.split('id="content"')[1].split("</form>")[0]
    assert "question" not in listed.lower()
    selected = site_admin.post("/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [pk]})
    assert selected.status_code == 200 and ANONYMOUS_TITLE not in selected.content.decode()


def test_it_deletes_the_member_as_the_policy_says(site_admin, leaver, django_capture_on_commit_callbacks):
    user, named, anonymous, theirs = leaver["user"], leaver["named"], leaver["anonymous"], leaver["theirs"]
    answer, helper_answer = leaver["answer"], leaver["helper_answer"]
    assert Question.objects.get(pk=theirs.pk).score == 1 and Answer.objects.get(pk=helper_answer.pk).score == -1
    logged = ModerationAction.objects.count()
    LogEntry.objects.log_actions(user_id=site_admin.user.pk, queryset=[user], action_flag=CHANGE, change_message="")

    with django_capture_on_commit_callbacks(execute=True):
        response = site_admin.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and response["Location"] == "/admin/accounts/user/"

    # Gone: the account and what was theirs alone.
    assert not User.objects.filter(pk=user.pk).exists()
    for model, field in [(EmailAddress, "user_id"), (Authenticator, "user_id"), (ExpertProfile, "user_id"),
                         (Notification, "recipient_id"), (Vote, "user_id"), (Suspension, "user_id")]:  # fmt: skip
        assert not model.objects.filter(**{field: user.pk}).exists(), model
    assert not any(s.get_decoded().get("_auth_user_id") == str(user.pk) for s in Session.objects.all())
    assert leaver["session"].get("/notifications/")["Location"].startswith("/accounts/login/")
    # Votes withdrawn, scores recounted; others' votes on their answer stay.
    assert Question.objects.get(pk=theirs.pk).score == 0
    assert Answer.objects.get(pk=helper_answer.pk).score == 0
    assert Answer.objects.get(pk=answer.pk).score == 1
    # Questions stay, anonymous, with no link to the account.
    for question in (named, anonymous):
        question = Question.objects.get(pk=question.pk)
        assert question.author_id is None and question.is_anonymous and question.is_published
    # The answer stays, by "a former member"; posted_as_expert stays as history, the flag goes.
    answer = Answer.objects.get(pk=answer.pk)
    assert answer.author_id is None and answer.posted_as_expert and not answer.is_expert
    assert not Question.objects.get(pk=theirs.pk).has_expert_answer
    # Their report stays for the moderators, without them.
    flag = Flag.objects.get(question=theirs)
    assert flag.reporter_id is None and flag.reporter_hash.startswith("former-member-")
    # The log is untouched; the admin's history names the account by its number only.
    assert ModerationAction.objects.count() == logged
    assert LogEntry.objects.filter(object_id=str(user.pk)).count() == 2
    assert not LogEntry.objects.filter(object_repr__contains=NAME).exists()

    # Every page copes: the thread names "a former member", nothing names them.
    for url in (theirs.get_absolute_url(), named.get_absolute_url(), anonymous.get_absolute_url(), "/",
                "/questions/", "/feeds/latest/", f"/answers/{answer.pk}/"):  # fmt: skip
        response = Client().get(url, follow=True)
        assert response.status_code == 200, url
        assert NAME not in response.content.decode(), url
    assert "a former member" in Client().get(theirs.get_absolute_url()).content.decode()
    assert Client().get(f"/users/{NAME}/").status_code == 404


def test_it_lets_the_asker_accept_and_moderators_handle_a_former_members_answer(moderator, leaver, site_admin):
    site_admin.post(f"/admin/accounts/user/{leaver['user'].pk}/delete/", {"post": "yes"})
    theirs, answer = leaver["theirs"], leaver["answer"]
    asker = log_in(Client(), theirs.author)
    assert asker.post(f"/answers/{answer.pk}/accept/").status_code == 302
    assert Answer.objects.get(pk=answer.pk).is_accepted
    assert moderator.post(f"/moderation/answer/{answer.pk}/hide/", {"reason": "Check"}).status_code == 302
    queue = moderator.get("/moderation/").content.decode()
    assert moderator.post(f"/moderation/answer/{answer.pk}/restore/").status_code == 302
    assert NAME not in queue


def test_it_keeps_a_deleted_moderators_name_on_what_they_did(site_admin, moderator_user, revealing_moderator):
    member = UserFactory(username="member-mo")
    pending = make_question(status="pending")
    visitor_question = make_question(title="Is it okay to ask this without an account?")
    Question.objects.filter(pk=visitor_question.pk).update(source_hash="a" * 64)
    visitor_question.source_hash = "a" * 64
    moderation.question_approve(moderator=moderator_user, question=pending)
    moderation.user_suspend(moderator=moderator_user, user=member, days=1, reason="Spam")
    moderation.watched_word_add(moderator=moderator_user, phrase="cheap pills", action="block")
    moderation.post_edit(moderator=moderator_user, post=pending, body="Edited, long enough to pass.", reason="Typo")
    moderation.source_block(moderator=moderator_user, question=visitor_question, hours=24, reason="Flooding")
    log_action(None, ModerationAction.Kind.AUTO_HIDE, question=visitor_question)  # truly automatic

    response = site_admin.post(f"/admin/accounts/user/{moderator_user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=moderator_user.pk).exists()

    theirs = ModerationAction.objects.filter(moderator_id=moderator_user.pk)
    assert theirs.count() == 5 and set(theirs.values_list("moderator_name", flat=True)) == {"mod-alex"}
    assert Suspension.objects.get(user=member).created_by is None
    assert WatchedWord.objects.exclude(action="crisis").get().created_by is None  # not the starter phrases
    assert SourceBlock.objects.get().created_by is None
    assert PostRevision.objects.get(role="moderator").edited_by is None

    log = revealing_moderator.get("/moderation/log/").content.decode()
    assert log.count("mod-alex (account deleted)") == 5 and log.count("<em>automatic</em>") == 1
    assert (
        "mod-alex (account deleted)" in revealing_moderator.get("/moderation/log/?moderator=mod-alex").content.decode()
    )
    admin_log = site_admin.get("/admin/moderation/moderationaction/").content.decode()
    assert admin_log.count("mod-alex (account deleted)") == 5
    assert "a former moderator" in site_admin.get("/admin/moderation/suspension/").content.decode()


def test_it_refuses_to_delete_the_admins_own_account(site_admin):
    response = site_admin.post(f"/admin/accounts/user/{site_admin.user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 and User.objects.filter(pk=site_admin.user.pk).exists()
