"""Pre-moderation can't be bypassed by editing: a visitor's edit of an approved question waits
for a moderator, while the approved text stays up."""

import pytest
from django.test import Client

from forum.moderation.models import ModerationAction, WatchedWord
from forum.questions.models import PendingEdit, Question, Tag
from tests.factories import make_question

pytestmark = pytest.mark.django_db

APPROVED_TITLE = "Is it normal to cry after sex sometimes?"
SNEAKY = "Buy cheap pills at spam dot example, best prices"


def _edit(client: Client, question: Question, *, title: str, body: str, key: str | None = None):
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True)[:1])
    data = {"title": title, "body": body, "tags": tags, **({"key": key} if key else {})}
    return client.post(f"/questions/{question.pk}/edit/", data, follow=True)


@pytest.fixture
def approved(moderator):
    question = make_question(title=APPROVED_TITLE, status="pending")  # a visitor's, pre-moderated
    assert moderator.post(f"/moderation/question/{question.pk}/approve/").status_code == 302
    question.refresh_from_db()
    assert question.status == "published"
    return question


def test_it_keeps_a_visitors_edit_out_of_sight_until_a_moderator_approves_it(approved, moderator):
    asker = Client()
    response = _edit(asker, approved, title=f"{SNEAKY}?", body=f"{SNEAKY}. Visit now.", key=approved.key)
    assert response.status_code == 200 and "until then the thread shows" in response.content.decode()

    approved.refresh_from_db()
    assert approved.title == APPROVED_TITLE and SNEAKY not in approved.body
    reader = Client()
    for url in (approved.get_absolute_url(), "/questions/", "/", "/feeds/latest/", "/search/?q=cheap+pills"):
        assert SNEAKY not in reader.get(url).content.decode(), url
    assert PendingEdit.objects.get(question=approved).title == f"{SNEAKY}?"
    key_page = asker.get(f"/questions/key/{approved.key}/").content.decode()
    assert "Your latest edit is waiting for a moderator" in key_page
    assert SNEAKY in asker.get(f"/questions/{approved.pk}/edit/").content.decode()  # they go on from it

    assert SNEAKY in moderator.get("/moderation/").content.decode()
    edit = PendingEdit.objects.get(question=approved)
    assert moderator.post(f"/moderation/edits/{edit.pk}/approve/").status_code == 302
    assert SNEAKY in reader.get(approved.get_absolute_url(), follow=True).content.decode()
    assert not PendingEdit.objects.exists()
    assert ModerationAction.objects.filter(kind="edit-approve", question=approved).count() == 1


def test_it_forgets_a_turned_down_edit_and_keeps_the_approved_text(approved, moderator):
    _edit(Client(), approved, title=f"{SNEAKY}?", body=f"{SNEAKY}.", key=approved.key)
    edit = PendingEdit.objects.get()
    response = moderator.post(f"/moderation/edits/{edit.pk}/reject/", {"reason": ""}, follow=True)
    assert "Please give a reason" in response.content.decode() and PendingEdit.objects.exists()
    moderator.post(f"/moderation/edits/{edit.pk}/reject/", {"reason": "Advertising"})
    assert not PendingEdit.objects.exists()
    approved.refresh_from_db()
    assert approved.title == APPROVED_TITLE
    again = moderator.post(f"/moderation/edits/{edit.pk}/approve/")
    assert again.status_code == 404


def test_it_applies_a_members_edit_at_once(member, member_user):
    question = make_question(author=member_user, anonymous=True)
    _edit(
        member,
        question,
        title="How do I say what I like, kindly and clearly?",
        body="New details here, written at more length so the form accepts them.",
    )
    question.refresh_from_db()
    assert question.title == "How do I say what I like, kindly and clearly?" and not PendingEdit.objects.exists()


def test_it_holds_an_edit_with_a_held_word_and_keeps_the_approved_text_up(member, member_user, moderator_user):
    WatchedWord.objects.create(phrase="meetup", action="hold", created_by=moderator_user)
    question = make_question(author=member_user, anonymous=False, title=APPROVED_TITLE)
    _edit(
        member,
        question,
        title="Anyone for a meetup tonight, message me?",
        body="A meetup near you, message me for the details and the address.",
    )
    question.refresh_from_db()
    assert question.status == "published" and question.title == APPROVED_TITLE
    assert PendingEdit.objects.get(question=question).title.startswith("Anyone for a meetup")


def test_it_applies_an_edit_of_a_question_still_waiting_for_review_directly(db):
    question = make_question(status="pending")
    _edit(
        Client(),
        question,
        title="Is it normal to feel low after intimacy?",
        body="Some more details, long enough to pass the form.",
        key=question.key,
    )
    question.refresh_from_db()
    assert question.title == "Is it normal to feel low after intimacy?" and question.status == "pending"
    assert not PendingEdit.objects.exists()
