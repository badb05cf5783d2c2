"""Notification emails through the real queue and a real SMTP server: what they say and never say,
their one-click unsubscribe (RFC 8058: headers, a POST with no sign-in and no CSRF token), jobs
that hold ids only, and the experts' daily digest (manage.py send_expert_digests)."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signing import b64_encode
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forum.desk.services import question_reject
from forum.questions.models import Follow, NotificationPreference, Question, Tag
from forum.questions.notice_emails import expert_digests_queue
from forum.questions.preferences import Channel, preferences_set, unsubscribe_token
from tests.factories import UserFactory, make_answer, make_expert, make_question
from tests.mailqueue import run_worker

pytestmark = pytest.mark.usefixtures("task_queue")

ASKER = "velvet-heron-42"
TITLE = "Is it normal to need a long time to feel aroused?"
ANSWER = "Very normal: arousal often takes twenty minutes or more, and it varies."


@pytest.fixture
def tag():
    return Tag.objects.order_by("pk").first()


@pytest.fixture
def asker():
    return UserFactory(username=ASKER, email="velvet.heron@example.com")


def unsubscribe_path(mail) -> str:
    header = mail.message["List-Unsubscribe"].strip()
    match = re.fullmatch(r"<" + re.escape(settings.SITE_URL) + r"(/unsubscribe/[^>]+/)>", header)
    assert match, header
    assert match.group(1) in mail.body, "the body carries the same link"
    return match.group(1)


def job_table() -> str:
    return "\n".join(str(row) for row in DBTaskResult.objects.values_list())


def test_it_unsubscribes_in_one_post_without_signing_in(asker, smtp_server):
    smtp_server.start()
    question = make_question(author=asker, title=TITLE)
    make_answer(question=question, author=UserFactory(), body=ANSWER)
    assert TITLE not in job_table() and ANSWER not in job_table()
    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == [asker.email]
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert TITLE not in mail.body and ANSWER not in mail.body and TITLE not in mail.message["Subject"]
    path = unsubscribe_path(mail)

    mail_client = Client(enforce_csrf_checks=True)  # a mail client: no cookie, no CSRF token
    page = mail_client.get(path)
    assert page.status_code == 200 and "Turn these emails off" in page.content.decode()
    assert not NotificationPreference.objects.filter(user=asker).exists(), "a GET (a link scanner) changes nothing"
    done = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "answers and clarifications on questions you asked" in done.content.decode()
    assert "/me/notifications/settings/" in done.content.decode()
    choices = NotificationPreference.objects.get(user=asker)
    assert (choices.my_questions_email, choices.my_questions_site, choices.accepted_email) == (False, True, True)

    make_answer(question=question, author=UserFactory(), body="A second answer, which is only shown in the site.")
    run_worker()
    assert len(smtp_server.messages) == 1
    assert asker.notifications.count() == 2


def test_it_refuses_a_tampered_or_foreign_token_on_a_site_page(asker):
    token = unsubscribe_token(user_id=asker.pk, channel=Channel.MY_QUESTIONS)
    payload = token.split(":")[0]

    def forged(value: str) -> str:  # another payload under this token's signature
        return token.replace(payload, b64_encode(value.encode()).decode())

    other_member, other_channel = forged(f'[{asker.pk + 1},"my_questions"]'), forged(f'[{asker.pk},"followed"]')
    for bad in (other_member, other_channel, token[:-2] + "xx", "nonsense", forged('"just a string"')):
        response = Client().post(f"/unsubscribe/{bad}/")
        assert response.status_code == 400, bad
        assert "We don't recognise that unsubscribe link" in response.content.decode()
        assert 'class="site-header"' in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_it_sends_nothing_to_a_member_who_stopped_following_before_the_job_ran(asker, smtp_server):
    smtp_server.start()
    question = make_question(author=asker, title=TITLE)
    make_answer(question=question, author=UserFactory(), body=ANSWER)
    Follow.objects.filter(user=asker).delete()
    run_worker()
    assert smtp_server.messages == []


def test_it_tells_of_a_decision_without_quoting_the_post_or_the_reason(asker, moderator_user, smtp_server):
    smtp_server.start()
    pending = make_question(author=asker, title=TITLE, status="pending")
    question_reject(moderator=moderator_user, question=pending, reason="It names a real person, sorry.")
    run_worker()
    [mail] = smtp_server.messages
    assert "it was not approved" in mail.body and f"{settings.SITE_URL}/notifications/" in mail.body
    assert TITLE not in mail.body and "real person" not in mail.body
    assert moderator_user.username not in mail.body
    assert unsubscribe_path(mail)


def test_it_emails_an_expert_a_new_question_at_once_with_its_title_and_never_its_asker(asker, tag, smtp_server):
    smtp_server.start()
    expert = make_expert(UserFactory(email="dr.alert@example.com"))
    expert.expert_profile.areas.set([tag])
    preferences_set(user_id=expert.pk, expert_questions="at_once")
    question = make_question(author=asker, anonymous=True, title=TITLE, tags=[tag])
    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == [expert.email]
    assert TITLE in mail.body and f"{settings.SITE_URL}{question.get_absolute_url()}" in mail.body
    text = mail.message.as_string()
    assert ASKER not in text and asker.email not in text and "velvet" not in text.lower()
    assert question.body not in mail.body
    path = unsubscribe_path(mail)
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    assert NotificationPreference.objects.get(user=expert).expert_questions == "off"


def daily_expert(tag, email):
    expert = make_expert(UserFactory(email=email))
    expert.expert_profile.areas.set([tag])
    return expert


def test_it_sends_the_daily_digest_once_with_the_days_titles(tag, smtp_server):
    smtp_server.start()
    other_tag = Tag.objects.exclude(pk=tag.pk).order_by("pk").first()
    expert = daily_expert(tag, "dr.daily@example.com")
    asked_by_expert = make_question(author=expert, tags=[tag], title="A question the expert asked themselves")
    first = make_question(tags=[tag], title="A first question in the expert's area")
    second = make_question(tags=[tag, other_tag], title="A second question in the expert's area")
    hidden = make_question(tags=[tag], title="A question hidden before the digest went out")
    elsewhere = make_question(tags=[other_tag], title="A question in another topic entirely")
    old = make_question(tags=[tag], title="A question from long before the digest window")
    Question.objects.filter(pk=old.pk).update(published_at=timezone.now() - datetime.timedelta(days=3))
    run_worker()  # nothing at once: the expert chose the digest (the default)
    assert smtp_server.messages == []

    call_command("send_expert_digests")
    Question.objects.filter(pk=hidden.pk).update(status="hidden")  # hidden after queuing: left out
    run_worker()
    [mail] = smtp_server.messages
    assert mail.recipients == [expert.email]
    for shown in (first, second):
        assert shown.title in mail.body and shown.get_absolute_url() in mail.body
    for left_out in (asked_by_expert, hidden, elsewhere, old):
        assert left_out.title not in mail.body
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "2 new questions" in mail.message["Subject"]

    call_command("send_expert_digests")  # run twice the same day: nothing more
    make_question(tags=[tag], title="A question published after the digest went out")
    call_command("send_expert_digests")
    run_worker()
    assert len(smtp_server.messages) == 1


def test_it_covers_the_questions_since_the_last_digest(tag, smtp_server):
    smtp_server.start()
    expert = daily_expert(tag, "dr.window@example.com")
    yesterday = timezone.now() - datetime.timedelta(hours=25)
    preferences_set(user_id=expert.pk)
    NotificationPreference.objects.filter(user=expert).update(digest_sent_at=yesterday)
    before = make_question(tags=[tag], title="A question from before the last digest")
    Question.objects.filter(pk=before.pk).update(published_at=yesterday - datetime.timedelta(hours=1))
    after = make_question(tags=[tag], title="A question from after the last digest")
    assert expert_digests_queue() == 1
    run_worker()
    [mail] = smtp_server.messages
    assert after.title in mail.body and before.title not in mail.body
    assert NotificationPreference.objects.get(user=expert).digest_sent_at > yesterday


def test_it_sends_no_digest_to_an_expert_who_chose_otherwise_or_when_nothing_is_new(tag, smtp_server):
    smtp_server.start()
    at_once = daily_expert(tag, "dr.once@example.com")
    preferences_set(user_id=at_once.pk, expert_questions="at_once")
    daily_expert(tag, "dr.quiet@example.com")  # daily, but no new question
    assert expert_digests_queue() == 1
    run_worker()
    assert smtp_server.messages == []
