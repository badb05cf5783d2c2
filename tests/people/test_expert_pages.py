"""The people behind the answers: photos, bios and verification dates on the pages; experts told
about two-factor authentication; decisions that reach the applicant in the site and by email."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ExpertProfile
from forum.people.services import expert_revoke, expert_verify
from forum.questions.models import Notification
from forum.questions.revision_services import answer_edit
from tests.factories import UserFactory, log_in, make_answer, make_expert, make_question
from tests.mailqueue import run_worker
from tests.people.experts import applicant, give_photo

NOTE = "Your answers show the expert badge only once two-factor authentication is on"
BIO = "I work with couples and individuals on desire, pain and pleasure."


def verified_expert(username="expert-eve", *, mfa=True, photo=True):
    user = make_expert(UserFactory(username=username), mfa=mfa)
    ExpertProfile.objects.filter(user=user).update(
        bio=BIO, bio_html=f"<p>{BIO}</p>", decided_at=timezone.make_aware(datetime.datetime(2026, 3, 4, 12))
    )
    if photo:
        give_photo(user)
    return user


@pytest.mark.django_db
def test_the_experts_page_shows_each_experts_photo_title_bio_areas_and_verification_date(visitor):
    expert = verified_expert()
    verified_expert("expert-without-photo", photo=False)
    photo = expert.expert_profile.photo
    html = visitor.get("/experts/").content.decode()
    assert f'src="/experts/photos/{photo.sha256}.jpg" alt="Photo of expert-eve"' in html
    assert BIO in html and "Clinical sexologist" in html
    assert "Credentials verified on 4 March 2026" in html
    assert "expert-without-photo" in html
    assert "SX-1234" not in html and "Board of Sexology" not in html  # what only moderators see


@pytest.mark.django_db
def test_the_experts_page_costs_the_same_queries_for_one_or_many_experts(visitor, django_assert_max_num_queries):
    verified_expert()
    with django_assert_max_num_queries(2) as one:
        visitor.get("/experts/")
    for n in range(5):
        verified_expert(f"expert-{n}")
    with django_assert_max_num_queries(len(one)):
        visitor.get("/experts/")


@pytest.mark.django_db
def test_the_profile_shows_the_photo_bio_and_when_the_credentials_were_verified(visitor):
    expert = verified_expert()
    html = visitor.get("/users/expert-eve/").content.decode()
    assert f"/experts/photos/{expert.expert_profile.photo.sha256}.jpg" in html
    assert 'alt="Photo of expert-eve"' in html
    assert f"<p>{BIO}</p>" in html
    assert "Credentials verified on 4 March 2026" in html and "body that issued it in Netherlands" in html


@pytest.mark.django_db
def test_an_applicants_profile_shows_no_photo(visitor):
    user = applicant()
    photo = give_photo(user)
    assert photo.sha256 not in visitor.get(f"/users/{user.username}/").content.decode()


@pytest.mark.django_db
def test_an_expert_answer_shows_the_photo_and_reviewed_date_when_edited(visitor):
    expert = verified_expert()
    question = make_question(title="Is it normal to lose desire after a baby?")
    answer = make_answer(question=question, author=expert, body="Yes, very common. Here is what tends to help.")
    member_answer = make_answer(question=question, author=UserFactory(), body="It happened to us too, it passed.")
    html = visitor.get(question.get_absolute_url()).content.decode()
    assert f'src="/experts/photos/{expert.expert_profile.photo.sha256}.jpg" alt="Photo of expert-eve"' in html
    assert "reviewed" not in html
    answer_edit(answer=answer, editor=expert, body="Yes, very common. Here is what tends to help, with sources.")
    answer_edit(answer=member_answer, editor=member_answer.author, body="It happened to us too; it passed in time.")
    html = Client().get(question.get_absolute_url()).content.decode()
    today = timezone.localdate()
    assert f">reviewed {today.day} {today.strftime('%b')} {today.year}</a>" in html
    assert html.count(">reviewed ") == 1  # a member's edit stays "edited"
    assert ">edited</a>" in html


@pytest.mark.django_db
def test_a_lapsed_experts_answer_shows_no_photo(visitor):
    expert = verified_expert()
    question = make_question(title="What if it hurts every time we try?")
    make_answer(question=question, author=expert, body="Pain is a signal worth listening to; see a doctor.")
    ExpertProfile.objects.filter(user=expert).update(verified_until=timezone.localdate() - datetime.timedelta(days=1))
    html = visitor.get(question.get_absolute_url()).content.decode()
    assert "/experts/photos/" not in html


# --- experts told, not silently unflagged -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "told"),
    [("expert_without_mfa", True), ("applicant_without_mfa", True), ("expert_with_mfa", False), ("member", False)],
)
def test_the_answer_form_tells_an_expert_without_two_factor_that_the_badge_needs_it(who, told):
    if who == "expert_without_mfa":
        user = verified_expert(mfa=False, photo=False)
    elif who == "applicant_without_mfa":
        user = applicant()
    elif who == "expert_with_mfa":
        user = verified_expert(photo=False)
    else:
        user = UserFactory()
    question = make_question(title="How do I talk about contraception with a new partner?")
    client = log_in(Client(), user)
    html = client.get(question.get_absolute_url()).content.decode()
    assert (NOTE in html) is told
    assert ('href="/accounts/2fa/"' in html) is told
    apply_page = client.get("/experts/apply/").content.decode()
    assert (NOTE in apply_page) is (told and who != "member")


@pytest.mark.django_db
def test_the_note_goes_once_two_factor_is_on():
    user = applicant()
    question = make_question(title="How do I talk about contraception with a new partner?")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "unused"})
    html = log_in(Client(), user).get(question.get_absolute_url()).content.decode()
    assert NOTE not in html


@pytest.mark.django_db
def test_the_note_costs_no_query_on_the_thread():
    plain, told = UserFactory(), applicant()
    question = make_question(title="How do I talk about contraception with a new partner?")
    counts = []
    for user in (plain, told):
        client = log_in(Client(), user)
        with CaptureQueriesContext(connection) as queries:
            client.get(question.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- decisions reach the applicant ----------------------------------------------------------


def test_a_verification_reaches_the_applicant_in_the_site_and_by_email(task_queue, smtp_server, moderator_user):
    smtp_server.start()
    user = applicant()
    profile = ExpertProfile.objects.get(user=user)
    expert_verify(moderator=moderator_user, profile=profile, reason="Registration checked with the board.")
    [notice] = Notification.objects.filter(recipient=user, kind=Notification.Kind.EXPERT_DECISION)
    assert notice.decision == "verified"
    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == [user.email]
    assert "you are now a verified expert" in mail.body
    assert f"{settings.SITE_URL}/accounts/2fa/" in mail.body  # the badge needs it
    assert moderator_user.username not in mail.body
    page = log_in(Client(), user).get("/notifications/").content.decode()
    assert "verified your expert application" in page


def test_a_revocation_reaches_the_expert_in_the_site_and_by_email(task_queue, smtp_server, moderator_user):
    smtp_server.start()
    expert = verified_expert(photo=False)
    expert_revoke(moderator=moderator_user, profile=expert.expert_profile, reason="Licence no longer valid.")
    [notice] = Notification.objects.filter(recipient=expert, kind=Notification.Kind.EXPERT_DECISION)
    assert notice.decision == "revoked" and notice.message == "Licence no longer valid."
    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == [expert.email] and "your expert verification was withdrawn" in mail.body
    page = log_in(Client(), expert).get("/notifications/").content.decode()
    assert "withdrew your expert verification" in page
