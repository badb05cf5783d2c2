"""Reports can't be weaponised by one person: new accounts and visitors weigh a third,
suspended members nothing, and a verified expert's answer is never hidden by reports alone."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from forum.answers.models import Answer
from forum.desk import services
from forum.moderation.models import Flag, ModerationAction
from tests.factories import UserFactory, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _new_account() -> Client:
    return _signed_in(UserFactory(date_joined=timezone.now() - datetime.timedelta(hours=2)))


def _report(client: Client, answer: Answer) -> None:
    assert client.post(f"/report/answer/{answer.pk}/", {"reason": "unsafe"}).status_code == 302


def test_it_never_hides_an_expert_answer_on_reports_alone(moderator):
    expert = make_expert(UserFactory(username="dr-lee"))
    answer = make_answer(question=make_question(), author=expert, body="Crying after sex is common and has a name.")
    assert Answer.objects.get(pk=answer.pk).is_expert
    # Three visitors on three addresses and two accounts made today...
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        _report(Client(REMOTE_ADDR=address), answer)
    for _ in range(2):
        _report(_new_account(), answer)
    # ...and even three established members.
    for _ in range(3):
        _report(_signed_in(UserFactory()), answer)
    assert Flag.objects.filter(answer=answer).count() == 8
    assert Answer.objects.get(pk=answer.pk).status == "published"
    assert not ModerationAction.objects.filter(kind="auto-hide").exists()
    queue = moderator.get("/moderation/").content.decode()
    assert "Crying after sex is common" in queue and "never hide it by themselves" in queue


def test_it_does_not_hide_on_three_visitors_and_two_new_accounts(db):
    answer = make_answer(question=make_question(), author=UserFactory(), body="An ordinary member's answer.")
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        _report(Client(REMOTE_ADDR=address), answer)
    for _ in range(2):
        _report(_new_account(), answer)
    assert services.report_weights(answer) == (5, False)
    assert Answer.objects.get(pk=answer.pk).status == "published"


def test_it_needs_an_established_member_among_the_reporters(db):
    answer = make_answer(question=make_question(), author=UserFactory())
    for n in range(9):  # nine visitors' addresses weigh three members, but no member stood behind them
        _report(Client(REMOTE_ADDR=f"203.0.113.{n + 10}"), answer)
    assert services.report_weights(answer) == (9, False)
    assert Answer.objects.get(pk=answer.pk).status == "published"
    _report(_signed_in(UserFactory()), answer)
    assert Answer.objects.get(pk=answer.pk).status == "hidden"


def test_it_counts_nothing_from_a_suspended_member(moderator_user):
    answer = make_answer(question=make_question(), author=UserFactory())
    suspended = UserFactory()
    services.user_suspend(moderator=moderator_user, user=suspended, days=3, reason="Abusive replies")
    for _ in range(2):
        _report(_signed_in(UserFactory()), answer)
    _report(_signed_in(suspended), answer)  # reporting stays open to them; it just weighs nothing
    assert Flag.objects.get(reporter=suspended).weight == 0
    assert services.report_weights(answer) == (6, True)
    assert Answer.objects.get(pk=answer.pk).status == "published"


def test_it_states_the_rule_in_the_guidelines(visitor):
    page = visitor.get("/guidelines/").content.decode()
    assert "counts a third" in page and "never hidden by reports alone" in page
