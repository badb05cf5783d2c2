"""A suspended member reads but does not act: no accepting, no expert application. Reporting stays open."""

import re

import pytest
from django.core.exceptions import ValidationError

from accounts.models import ExpertProfile
from forum.answers.models import Answer
from forum.desk.services import user_suspend, user_unsuspend
from forum.moderation.models import Flag
from forum.people.services import expert_apply
from forum.questions.answer_services import answer_accept, answer_unaccept
from forum.questions.models import Notification, Question, Tag
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

REASON = "Repeated harassment"
APPLICATION = {
    "title": "Clinical sexologist",
    "credentials": "MSc Clinical Sexology, kept in the form after the refusal",
    "licence_number": "SX-5555",
    "licence_body": "National Board of Sexology",
    "jurisdiction": "Ireland",
    "website": "https://example.org/register/sx-5555",
    "bio": "I work with couples.",
}


@pytest.fixture
def suspend(moderator_user):
    def suspend(user):
        return user_suspend(moderator=moderator_user, user=user, days=3, reason=REASON)

    return suspend


@pytest.fixture
def thread(member_user):
    """The member's own question, with an answer from someone else."""
    question = make_question(author=member_user, anonymous=True, title="Why does it hurt sometimes afterwards?")
    answer = make_answer(question=question, author=UserFactory())
    return question, answer


def accepted(question, answer):
    question.refresh_from_db()
    answer.refresh_from_db()
    return question.has_accepted_answer, answer.is_accepted


# --- accepting an answer ------------------------------------------------------------------------


def test_it_refuses_a_suspended_asker_accepting_in_the_service(member_user, thread, suspend):
    question, answer = thread
    suspend(member_user)
    with pytest.raises(ValidationError, match="suspended until") as refused:
        answer_accept(question=question, answer=answer)
    assert REASON in refused.value.messages[0]
    assert accepted(question, answer) == (False, False)
    assert not Notification.objects.filter(kind=Notification.Kind.ANSWER_ACCEPTED).exists()


def test_it_refuses_a_suspended_asker_unaccepting_in_the_service(member_user, thread, suspend):
    question, answer = thread
    answer_accept(question=question, answer=answer)
    suspend(member_user)
    with pytest.raises(ValidationError, match="suspended until"):
        answer_unaccept(question=question)
    assert accepted(question, answer) == (True, True)


def test_it_shows_a_suspended_asker_why_the_answer_was_not_accepted(member, member_user, thread, suspend):
    question, answer = thread
    suspend(member_user)
    response = member.post(f"/answers/{answer.pk}/accept/", follow=True)
    assert response.redirect_chain and response.status_code == 200  # back to the thread, with the message
    page = response.content.decode()
    assert "suspended until" in page and REASON in page
    assert "Marked as the answer that helped" not in page
    assert accepted(question, answer) == (False, False)
    assert not Notification.objects.filter(kind=Notification.Kind.ANSWER_ACCEPTED).exists()


def test_it_shows_a_suspended_asker_why_the_answer_stays_accepted(member, member_user, thread, suspend):
    question, answer = thread
    answer_accept(question=question, answer=answer)
    suspend(member_user)
    response = member.post(f"/answers/{answer.pk}/accept/", {"undo": "1"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "suspended until" in page and "Unmarked." not in page
    assert accepted(question, answer) == (True, True)


def test_it_lets_the_asker_accept_again_once_the_suspension_is_lifted(
    member, member_user, moderator_user, thread, suspend
):
    question, answer = thread
    suspend(member_user)
    member.post(f"/answers/{answer.pk}/accept/")
    user_unsuspend(moderator=moderator_user, user=member_user)
    response = member.post(f"/answers/{answer.pk}/accept/", follow=True)
    assert "Marked as the answer that helped" in response.content.decode()
    assert accepted(question, answer) == (True, True)


def test_a_suspended_answerer_does_not_stop_the_asker_accepting(member, member_user, moderator_user):
    """The check is on the asker: whose answer it is does not matter."""
    answerer = UserFactory()
    question = make_question(author=member_user, title="Is it normal to need time before being close again?")
    answer = make_answer(question=question, author=answerer)
    user_suspend(moderator=moderator_user, user=answerer, days=3, reason=REASON)
    assert member.post(f"/answers/{answer.pk}/accept/").status_code == 302
    assert accepted(question, answer) == (True, True)


# --- applying as an expert ----------------------------------------------------------------------


def test_it_refuses_a_suspended_members_expert_application_in_the_service(member_user, suspend):
    suspend(member_user)
    with pytest.raises(ValidationError, match="suspended until"):
        expert_apply(user=member_user, areas=[Tag.objects.first()], **APPLICATION)
    assert not ExpertProfile.objects.exists()


def test_it_leaves_a_rejected_application_as_it_was_when_a_suspended_member_reapplies(
    member_user, moderator_user, suspend
):
    profile = ExpertProfile.objects.create(
        user=member_user, title="Therapist", credentials="MA", licence_number="T-1", licence_body="Board",
        jurisdiction="Belgium", status=ExpertProfile.Status.REJECTED, decision_reason="Could not verify",
    )  # fmt: skip
    suspend(member_user)
    with pytest.raises(ValidationError, match="suspended until"):
        expert_apply(user=member_user, areas=[Tag.objects.first()], **APPLICATION)
    profile.refresh_from_db()
    assert (profile.status, profile.title, profile.licence_number) == ("rejected", "Therapist", "T-1")


def test_it_shows_a_suspended_member_why_the_application_was_refused_keeping_the_text(member, member_user, suspend):
    suspend(member_user)
    response = member.post("/experts/apply/", {**APPLICATION, "areas": [Tag.objects.first().pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'class="form-errors" role="alert"[^>]*>\s*<p>Your account is suspended until', page)
    assert REASON in page
    assert APPLICATION["credentials"] in page and 'value="SX-5555"' in page  # the text is kept
    assert not ExpertProfile.objects.exists()


# --- reporting stays open -----------------------------------------------------------------------


def test_a_suspended_member_can_still_report_a_post_on_purpose(member, member_user, suspend):
    """Whoever is suspended must always be able to tell the moderators about harm."""
    question = make_question(author=UserFactory(), title="A thread with an abusive answer in it")
    answer = make_answer(question=question, author=UserFactory(), body="An answer someone needs to report.")
    suspend(member_user)
    assert member.get(f"/report/answer/{answer.pk}/").status_code == 200
    response = member.post(f"/report/answer/{answer.pk}/", {"reason": "harassment"}, follow=True)
    assert response.redirect_chain and response.status_code == 200
    assert "Thank you. The moderators will look at your report." in response.content.decode()
    flag = Flag.objects.get()
    assert flag.reporter == member_user and flag.reason == "harassment" and flag.answer_id == answer.pk
    assert Answer.objects.get(pk=answer.pk).status == "published"
    assert Question.objects.get(pk=question.pk).status == "published"
