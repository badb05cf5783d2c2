"""Verified experts: apply → review → verified → flagged and first → revoke or lapse → flag gone."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ExpertProfile
from forum.answers.models import Answer
from forum.moderation.models import ModerationAction
from forum.questions.models import Notification, Tag
from tests.factories import UserFactory, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db

APPLICATION = {
    "title": "Clinical sexologist",
    "credentials": "MSc Clinical Sexology, 10 years in practice",
    "licence_number": "SX-9876",
    "licence_body": "National Board of Sexology",
    "jurisdiction": "Ireland",
    "website": "https://example.org/register/sx-9876",
    "bio": "I work with **couples** and individuals.",
}


def apply(client, **overrides):
    data = {**APPLICATION, "areas": [Tag.objects.first().pk], **overrides}
    return client.post("/experts/apply/", data)


def test_the_whole_workflow(
    member, member_user, moderator, moderator_user, mailoutbox, django_capture_on_commit_callbacks
):
    asker = UserFactory(username="worried-asker", email="worried@example.org")
    question = make_question(author=asker, anonymous=True, title="Why might someone cry after sex?")
    early = make_answer(question=question, author=UserFactory(), body="A member's answer posted first here.")

    assert apply(member).status_code == 302
    profile = ExpertProfile.objects.get(user=member_user)
    assert (
        profile.status == "pending"
        and profile.bio_html == "<p>I work with <strong>couples</strong> and individuals.</p>"
    )
    page = member.get("/experts/apply/").content.decode()
    assert "Waiting for review" in page

    assert "SX-9876" in moderator.get("/moderation/experts/").content.decode()
    moderator.post(f"/moderation/experts/{profile.pk}/verify/", {"reason": "Checked the register"})
    profile.refresh_from_db()
    assert profile.status == "verified" and profile.reviewer == moderator_user
    assert profile.verified_until == timezone.localdate() + datetime.timedelta(days=365)
    assert ModerationAction.objects.get(kind="expert-verify").target_user == member_user

    Authenticator.objects.create(user=member_user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    with django_capture_on_commit_callbacks(execute=True):
        member.post(f"/questions/{question.pk}/answer/", {"body": "Tears after closeness are common: a release."})
    expert_answer = Answer.objects.get(author=member_user)
    assert expert_answer.is_expert and expert_answer.posted_as_expert
    question.refresh_from_db()
    assert question.has_expert_answer
    notification = Notification.objects.get(recipient=asker, answer=expert_answer)
    assert notification.kind == "expert_answer"
    assert "verified expert" in mailoutbox[-1].subject.lower()

    html = Client().get(question.get_absolute_url()).content.decode()
    assert "From verified experts" in html
    assert html.index(f'id="answer-{expert_answer.pk}"') < html.index(f'id="answer-{early.pk}"')
    assert "Clinical sexologist" in html and f'href="/users/{member_user.username}/"' in html
    assert "not personal medical advice" in html
    assert "Expert answered" in Client().get("/questions/").content.decode()

    moderator.post(f"/moderation/experts/{profile.pk}/revoke/", {"reason": "Licence lapsed"})
    expert_answer.refresh_from_db()
    question.refresh_from_db()
    assert not expert_answer.is_expert and not question.has_expert_answer
    html = Client().get(question.get_absolute_url()).content.decode()
    assert "From verified experts" not in html and "Verified expert" not in html
    assert "Licence lapsed" in member.get("/experts/apply/").content.decode()


def test_it_refuses_self_review(moderator, moderator_user):
    apply(moderator)
    profile = ExpertProfile.objects.get(user=moderator_user)
    page = moderator.get("/moderation/experts/").content.decode()
    assert "another moderator must review it" in page
    response = moderator.post(f"/moderation/experts/{profile.pk}/verify/", follow=True)
    assert "review your own application" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == "pending"
    assert not ModerationAction.objects.filter(kind="expert-verify").exists()


def test_it_requires_a_reason_to_reject_and_the_applicant_sees_it(member, member_user, moderator):
    apply(member)
    profile = ExpertProfile.objects.get()
    response = moderator.post(f"/moderation/experts/{profile.pk}/reject/", {"reason": ""}, follow=True)
    assert "Please give a reason" in response.content.decode()
    moderator.post(f"/moderation/experts/{profile.pk}/reject/", {"reason": "We could not find you in the register"})
    profile.refresh_from_db()
    assert profile.status == "rejected"
    page = member.get("/experts/apply/").content.decode()
    assert "We could not find you in the register" in page and "Send application" in page  # may apply again


def test_it_explains_bad_applications_and_saves_nothing(member):
    response = apply(member, credentials="", licence_number="", areas=[])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please list your credentials" in html and "Please give your registration or licence number" in html
    assert "Choose at least one area of practice" in html
    assert "Clinical sexologist" in html  # the text is kept
    assert not ExpertProfile.objects.exists()


def test_it_refuses_applying_twice_or_while_verified(member, member_user):
    apply(member)
    response = apply(member)
    assert "already applied" in response.content.decode()
    ExpertProfile.objects.update(status="verified", verified_until=timezone.localdate() + datetime.timedelta(days=30))
    response = apply(member)
    assert ExpertProfile.objects.get().status == "verified"


def test_it_requires_an_account_to_apply(visitor):
    response = visitor.get("/experts/apply/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert visitor.delete("/experts/").status_code == 405


def test_a_revoked_or_mfa_less_expert_posts_as_a_member():
    question = make_question()
    no_mfa = make_expert(mfa=False)
    answer = make_answer(question=question, author=no_mfa)
    assert not answer.is_expert
    revoked = make_expert()
    ExpertProfile.objects.filter(user=revoked).update(status="revoked")
    assert not make_answer(question=question, author=revoked).is_expert


def test_removing_mfa_clears_the_flag_and_adding_it_back_restores_it():
    from allauth.mfa import signals

    expert = make_expert()
    question = make_question()
    answer = make_answer(question=question, author=expert)
    assert answer.is_expert
    authenticator = Authenticator.objects.get(user=expert)
    authenticator.delete()
    signals.authenticator_removed.send(sender=Authenticator, request=None, user=expert, authenticator=authenticator)
    answer.refresh_from_db()
    question.refresh_from_db()
    assert not answer.is_expert and not question.has_expert_answer
    new = Authenticator.objects.create(user=expert, type=Authenticator.Type.TOTP, data={"secret": "y"})
    signals.authenticator_added.send(sender=Authenticator, request=None, user=expert, authenticator=new)
    answer.refresh_from_db()
    assert answer.is_expert


def test_expiry_hides_the_badge_at_once_and_the_daily_job_clears_the_flag():
    expert = make_expert()
    question = make_question()
    answer = make_answer(question=question, author=expert)
    ExpertProfile.objects.filter(user=expert).update(verified_until=timezone.localdate() - datetime.timedelta(days=1))
    html = Client().get(question.get_absolute_url()).content.decode()
    assert "Verified expert" not in html  # never shown as verified once lapsed
    call_command("expire_experts")
    answer.refresh_from_db()
    question.refresh_from_db()
    assert not answer.is_expert and not question.has_expert_answer


def test_the_expert_section_costs_no_extra_queries():
    def count(question):
        with CaptureQueriesContext(connection) as ctx:
            Client().get(question.get_absolute_url())
        return len(ctx.captured_queries)

    plain = make_question(title="A thread without any expert answers")
    experts = make_question(title="A thread with ten expert answers in it")
    make_answer(question=plain, author=UserFactory())
    for _ in range(10):
        make_answer(question=experts, author=make_expert())
    make_answer(question=experts, author=UserFactory())
    assert count(plain) == count(experts)


def test_the_expert_filter_and_directory(visitor):
    expert = make_expert(title="Couples therapist")
    answered = make_question(title="A question an expert answered well")
    make_question(title="A question only members answered so far")
    make_answer(question=answered, author=expert)
    listing = visitor.get("/questions/?expert=1").content.decode()
    assert "A question an expert answered well" in listing
    assert "A question only members answered so far" not in listing
    directory = visitor.get("/experts/").content.decode()
    assert expert.username in directory and "Couples therapist" in directory


def test_an_experts_profile_shows_credentials_and_answers_but_never_anonymous_questions(visitor):
    expert = make_expert(title="Physician")
    make_question(author=expert, anonymous=True, title="My own private worry asked anonymously")
    make_question(author=expert, anonymous=False, title="A question I asked under my name")
    make_answer(question=make_question(title="Someone else's question I answered"), author=expert)
    html = visitor.get(f"/users/{expert.username}/").content.decode()
    assert "Physician" in html and "MSc Clinical Sexology" in html
    assert "Someone else&#x27;s question I answered" in html or "Someone else's question I answered" in html
    assert "A question I asked under my name" in html
    assert "My own private worry" not in html
    assert "SX-1234" not in html  # the licence number is for moderators
    assert visitor.get("/users/no-such-member/").status_code == 404
