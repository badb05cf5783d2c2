"""Who hears of what, in the site: followers of new answers and clarifications, an answerer of
their accepted answer, members of decisions on their posts and applications, experts of new
questions in their areas; each as they chose, and never learning who asked anonymously."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from forum.answers.models import Comment
from forum.desk import services as desk
from forum.people.services import expert_apply, expert_reject, expert_verify
from forum.questions import notifications
from forum.questions.answer_services import answer_accept, answer_post
from forum.questions.models import Follow, Notification, NotificationPreference, Question, Tag
from forum.questions.preferences import preferences_set
from tests.factories import UserFactory, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def notices(user, kind=None):
    found = Notification.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


@pytest.fixture
def tag():
    return Tag.objects.order_by("pk").first()


def test_it_tells_every_follower_but_the_writer_of_a_new_answer(member_user, outsider_user):
    question = make_question(author=member_user, anonymous=True)
    Follow.objects.create(user=outsider_user, question=question)
    writer = UserFactory()
    answer = make_answer(question=question, author=writer)
    for follower in (member_user, outsider_user):
        [notice] = notices(follower)
        assert (notice.kind, notice.question_id, notice.answer_id) == (Kind.NEW_ANSWER, question.pk, answer.pk)
    assert notices(writer) == []
    expert_answer = make_answer(question=question, author=make_expert())
    assert [n.answer_id for n in notices(writer, Kind.EXPERT_ANSWER)] == [expert_answer.pk]


def test_it_tells_nobody_who_stopped_following(member_user):
    question = make_question(author=member_user)
    Follow.objects.filter(user=member_user).delete()
    make_answer(question=question, author=UserFactory())
    assert notices(member_user) == []


def test_it_tells_five_hundred_followers_for_the_queries_it_tells_one(django_capture_on_commit_callbacks):
    def thread_with(n):
        question = make_question(title=f"A popular thread with {n} followers in it")
        users = User.objects.bulk_create([User(username=f"follower-{n}-{i}", email=f"f{n}-{i}@example.com")
                                          for i in range(n)])  # fmt: skip
        Follow.objects.bulk_create([Follow(user=u, question=question) for u in users])
        NotificationPreference.objects.bulk_create([NotificationPreference(user=u, followed_email=True) for u in users])
        return question

    counts = []
    for n in (1, 500):
        question, author = thread_with(n), UserFactory()
        with CaptureQueriesContext(connection) as ctx, django_capture_on_commit_callbacks() as callbacks:
            answer_post(question=question, author=author, body="An answer that five hundred people hear of.")
        counts.append(len(ctx.captured_queries))
        assert Notification.objects.filter(question=question).count() == n
        assert len(callbacks) == 2  # the pages' generations, and ONE email job for all the followers
    assert counts[0] == counts[1], counts


def test_it_tells_followers_of_a_clarification_but_not_its_writer(member_user, outsider_user):
    question = make_question(author=member_user)
    commenter = UserFactory()
    Follow.objects.create(user=commenter, question=question)
    comment = Comment.objects.create(question=question, author=commenter, body="Which country?", body_html="")
    notifications.announce_comment(comment=comment)
    [notice] = notices(member_user)
    assert (notice.kind, notice.comment_id) == (Kind.NEW_COMMENT, comment.pk)
    assert notices(commenter) == [] and notices(outsider_user) == []


def test_it_tells_an_answerer_their_answer_helped_in_the_site_and_by_email(
    member_user, django_capture_on_commit_callbacks
):
    question = make_question(author=member_user)
    answerer = UserFactory(email="answerer@example.com")
    answer = make_answer(question=question, author=answerer)
    with django_capture_on_commit_callbacks(execute=True):
        answer_accept(question=question, answer=answer)
    [notice] = notices(answerer, Kind.ANSWER_ACCEPTED)
    assert notice.answer_id == answer.pk
    [email] = [m for m in mail.outbox if m.to == ["answerer@example.com"]]
    assert f"/answers/{answer.pk}/" in email.body and question.title not in email.body


def test_it_tells_a_member_of_each_decision_on_their_posts_with_the_reason(member_user, moderator_user):
    pending = make_question(author=member_user, status="pending", title="A question that waits for a moderator")
    desk.question_reject(moderator=moderator_user, question=pending, reason="Please ask without real names.")
    [rejected] = notices(member_user, Kind.POST_DECISION)
    assert (rejected.decision, rejected.message, rejected.question_id) == (
        "rejected", "Please ask without real names.", pending.pk
    )  # fmt: skip
    approved = make_question(author=member_user, status="pending", title="Another question that waits here")
    desk.question_approve(moderator=moderator_user, question=approved)
    answer = make_answer(question=make_question(), author=member_user)
    desk.post_hide(moderator=moderator_user, post=answer, reason="Medical claims without a source.")
    desk.post_delete(moderator=moderator_user, post=approved, reason="Internal note for the log only.")
    decisions = {(n.decision, n.question_id, n.answer_id, n.message) for n in notices(member_user, Kind.POST_DECISION)}
    assert decisions == {
        ("rejected", pending.pk, None, "Please ask without real names."),
        ("approved", approved.pk, None, ""),
        ("hidden", answer.question_id, answer.pk, "Medical claims without a source."),
        ("deleted", approved.pk, None, ""),
    }


def test_it_has_no_one_to_tell_of_a_decision_on_a_visitors_question(moderator_user):
    question = make_question(status="pending")
    desk.question_reject(moderator=moderator_user, question=question, reason="Not a question.")
    assert not Notification.objects.filter(kind=Kind.POST_DECISION).exists()


def test_it_tells_an_applicant_the_decision_on_their_expert_application(moderator_user, tag):
    fields = {"title": "Therapist", "credentials": "MSc", "licence_number": "1", "licence_body": "Board",
              "jurisdiction": "NL", "areas": [tag]}  # fmt: skip
    verified, turned_down = UserFactory(), UserFactory()
    expert_verify(moderator=moderator_user, profile=expert_apply(user=verified, **fields))
    expert_reject(
        moderator=moderator_user, profile=expert_apply(user=turned_down, **fields), reason="No licence found."
    )
    [yes] = notices(verified, Kind.EXPERT_DECISION)
    [no] = notices(turned_down, Kind.EXPERT_DECISION)
    assert (yes.decision, no.decision, no.message, no.question_id) == (
        "verified",
        "rejected",
        "No licence found.",
        None,
    )


def expert_in(tag, **choice):
    expert = make_expert()
    expert.expert_profile.areas.set([tag])
    if choice:
        preferences_set(user_id=expert.pk, **choice)
    return expert


def test_it_tells_experts_of_a_new_question_in_their_areas_once(tag, moderator_user):
    other_tag = Tag.objects.exclude(pk=tag.pk).order_by("pk").first()
    daily, at_once, off = (
        expert_in(tag),
        expert_in(tag, expert_questions="at_once"),
        expert_in(tag, expert_questions="off"),
    )
    elsewhere = expert_in(other_tag)
    question = make_question(tags=[tag])
    assert [n.question_id for n in notices(daily, Kind.NEW_QUESTION)] == [question.pk]
    assert [n.question_id for n in notices(at_once, Kind.NEW_QUESTION)] == [question.pk]
    assert notices(off) == [] and notices(elsewhere) == []

    held = make_question(tags=[tag], status="pending")  # pre-moderated: nothing until approved
    assert Notification.objects.filter(question=held).count() == 0
    desk.question_approve(moderator=moderator_user, question=held)
    assert Notification.objects.filter(question=held, kind=Kind.NEW_QUESTION).count() == 2
    desk.post_hide(moderator=moderator_user, post=held, reason="Checking something.")
    desk.post_restore(moderator=moderator_user, post=held)
    assert Notification.objects.filter(question=held, kind=Kind.NEW_QUESTION).count() == 2, "published once"


def test_it_does_not_alert_the_expert_who_asked(tag):
    expert = expert_in(tag)
    make_question(author=expert, tags=[tag], anonymous=True)
    assert notices(expert) == []


def test_it_respects_each_members_choices(member_user, outsider_user, django_capture_on_commit_callbacks):
    question = make_question(author=member_user)
    Follow.objects.create(user=outsider_user, question=question)
    preferences_set(user_id=member_user.pk, my_questions_site=False, my_questions_email=True)
    preferences_set(user_id=outsider_user.pk, followed_site=True, followed_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question=question, author=UserFactory())
    assert notices(member_user) == [] and len(notices(outsider_user)) == 1
    assert [m.to for m in mail.outbox] == [[member_user.email]]

    mail.outbox.clear()
    preferences_set(user_id=member_user.pk, my_questions_email=False)
    preferences_set(user_id=outsider_user.pk, followed_email=True)
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question=question, author=UserFactory(), body="A third answer with enough words in it.")
    assert [m.to for m in mail.outbox] == [[outsider_user.email]]


def test_it_emails_by_default_for_your_questions_but_not_for_threads_you_only_follow(
    member_user, outsider_user, django_capture_on_commit_callbacks
):
    question = make_question(author=member_user)
    Follow.objects.create(user=outsider_user, question=question)
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question=question, author=UserFactory())
    assert [m.to for m in mail.outbox] == [[member_user.email]]
    assert len(notices(outsider_user)) == 1


def test_it_sends_nothing_for_a_question_that_is_no_longer_published(member_user, django_capture_on_commit_callbacks):
    question = make_question(author=member_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_answer(question=question, author=UserFactory())
    Question.objects.filter(pk=question.pk).update(status="hidden")
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_it_keeps_follows_notices_and_choices_out_of_the_admin():
    """A follow or a notice ties a member to a thread, the asker to their anonymous question too."""
    from django.contrib import admin

    for model in (Follow, Notification, NotificationPreference):
        assert not admin.site.is_registered(model), model
