"""The crisis lane: posts whose words mention self-harm or danger wait at the top of the queue,
marked, with their wait, until a moderator's logged action handles them; the asker sees help
at once, and a moderator can write them a supportive note."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from forum.core import effects
from forum.core.templatetags.forum_time import waited
from forum.core.tokens import new_form_token
from forum.desk import crisis_selectors, crisis_services
from forum.desk.selectors import queue
from forum.moderation.models import ModerationAction, WatchedWord
from forum.questions import asker_mail
from forum.questions.answer_services import answer_post
from forum.questions.comment_services import comment_post
from forum.questions.models import Notification, Question, SupportNote, Tag
from forum.questions.revision_services import answer_edit
from forum.questions.services import question_update
from tests.factories import UserFactory, make_answer, make_question

pytestmark = pytest.mark.django_db

CRISIS_TITLE = "I want to kill myself and I do not know who to tell"


@pytest.fixture(autouse=True)
def crisis_words(moderator_user):
    for phrase in ("kill myself", "end my life"):
        WatchedWord.objects.get_or_create(phrase=phrase, action="crisis")  # in the starter list


def in_lane(post) -> bool:
    post.refresh_from_db()
    return post.crisis_at is not None and post.crisis_handled_at is None


def post(client, url, **data):
    return client.post(url, {"next": "/moderation/", **data}, follow=True)


# --- marking at write time ------------------------------------------------------------------


def test_it_marks_a_question_answer_and_clarification_that_mention_a_crisis_at_write():
    question = make_question(title=CRISIS_TITLE)
    ordinary = make_question(title="How do I talk to my partner about this?")
    answer = answer_post(question=ordinary, author=UserFactory(), body="Some days I want to end my life, honestly.")
    comment = comment_post(question=ordinary, author=UserFactory(), by_asker=False, body="I could kill myself.")
    calm = make_answer(question=ordinary, author=UserFactory())
    assert in_lane(question) and in_lane(answer) and in_lane(comment)
    assert not in_lane(ordinary) and not in_lane(calm)
    assert question.status == "published"  # a member's or visitor's post is not held for it


def test_it_marks_a_post_when_an_edit_brings_crisis_words_and_keeps_its_place_after(member_user):
    answer = make_answer(question=make_question(), author=member_user)
    assert not in_lane(answer)
    answer_edit(answer=answer, editor=member_user, body="I think I will end my life tonight, please.")
    assert in_lane(answer)
    first = answer.crisis_at
    answer_edit(answer=answer, editor=member_user, body="I think I will end my life tonight, sorry.")
    answer.refresh_from_db()
    assert answer.crisis_at == first  # still waiting: it keeps its place in the lane
    question = make_question(author=member_user)
    tag = Tag.objects.order_by("pk").first()
    question_update(question=question, title=CRISIS_TITLE, body="Some details, long enough.", tags=[tag])
    assert in_lane(question)


# --- the queue ------------------------------------------------------------------------------


def test_it_lists_the_crisis_lane_first_oldest_first_with_its_wait_whatever_the_status(moderator):
    pending = make_question(title=CRISIS_TITLE, status="pending")
    published = make_question(title="Some days I want to end my life, what do I do", author=UserFactory())
    Question.objects.filter(pk=pending.pk).update(crisis_at=timezone.now() - datetime.timedelta(hours=2, minutes=5))
    html = moderator.get("/moderation/").content.decode()
    lane = html[html.index('id="crisis"') : html.index('id="pending"')]
    assert "waiting 2 h 5 min" in lane and lane.count("badge-crisis") == 2
    assert lane.index(pending.title) < lane.index(published.title)  # oldest first
    pending_section = html[html.index('id="pending"') : html.index('id="reported"')]
    assert pending.title not in pending_section  # listed once, in the lane
    counts = html[html.index('class="mod-counts"') : html.index("</ul>", html.index('class="mod-counts"'))]
    assert counts.index("crisis") < counts.index("pending") and "<strong>2</strong> crisis" in counts


def test_it_caps_the_lane_and_keeps_the_oldest_on_top_against_a_flood():
    oldest = make_question(title=CRISIS_TITLE)
    Question.objects.filter(pk=oldest.pk).update(crisis_at=timezone.now() - datetime.timedelta(days=1))
    flooders = [UserFactory() for _ in range(3)]
    question = make_question()
    for i in range(crisis_selectors.CRISIS_LIMIT + 5):
        comment_post(question=question, author=flooders[i % 3], by_asker=False, body=f"kill myself {i}")
    data = queue()
    assert len(data["crisis"]) == crisis_selectors.CRISIS_LIMIT
    assert data["crisis"][0].pk == oldest.pk
    assert data["counts"]["crisis"] == crisis_selectors.CRISIS_LIMIT + 6


@pytest.mark.parametrize("action", ["approve", "reject", "seen", "note"])
def test_it_takes_a_post_out_of_the_lane_when_a_moderator_handles_it_and_logs_it(moderator, moderator_user, action):
    question = make_question(title=CRISIS_TITLE, status="pending")
    urls = {
        "approve": (f"/moderation/question/{question.pk}/approve/", {}),
        "reject": (f"/moderation/question/{question.pk}/reject/", {"reason": "Please reword it."}),
        "seen": (f"/moderation/question/{question.pk}/crisis-seen/", {}),
        "note": (f"/moderation/question/{question.pk}/support-note/", {"body": crisis_services.CANNED_NOTES[0]}),
    }
    url, data = urls[action]
    assert post(moderator, url, **data).status_code == 200
    assert not in_lane(question)
    entry = ModerationAction.objects.order_by("-id").first()
    kinds = {"approve": "approve", "reject": "reject", "seen": "crisis-seen", "note": "support-note"}
    assert (entry.kind, entry.moderator, entry.question_id) == (kinds[action], moderator_user, question.pk)
    assert question.title not in moderator.get("/moderation/").content.decode().split('id="pending"')[0]


def test_it_marks_answers_and_clarifications_as_seen_and_says_when_already_handled(moderator):
    answer = answer_post(question=make_question(), author=UserFactory(), body="I could end my life, honestly now.")
    comment = comment_post(question=answer.question, author=UserFactory(), by_asker=False, body="kill myself")
    for kind, item in (("answer", answer), ("comment", comment)):
        assert "Done." in post(moderator, f"/moderation/{kind}/{item.pk}/crisis-seen/").content.decode()
        assert not in_lane(item)
        again = post(moderator, f"/moderation/{kind}/{item.pk}/crisis-seen/").content.decode()
        assert "no longer in the crisis lane" in again
    assert ModerationAction.objects.filter(kind="crisis-seen").count() == 2


def test_an_automatic_hide_leaves_the_post_in_the_lane():
    question = make_question(title=CRISIS_TITLE)
    effects.audit(None, ModerationAction.Kind.AUTO_HIDE, question=question)
    assert in_lane(question)


def test_the_crisis_views_refuse_the_wrong_method_visitors_and_members(moderator, member, visitor):
    question = make_question(title=CRISIS_TITLE)
    assert moderator.get(f"/moderation/question/{question.pk}/crisis-seen/").status_code == 405
    assert moderator.put(f"/moderation/question/{question.pk}/support-note/").status_code == 405
    assert moderator.post("/moderation/vote/1/crisis-seen/").status_code == 404
    base = f"/moderation/question/{question.pk}"
    for url in (f"{base}/crisis-seen/", f"{base}/support-note/"):
        assert visitor.post(url, {"body": "x" * 30}).status_code == 302  # to sign in
        assert member.post(url, {"body": "x" * 30}).status_code == 403
    assert in_lane(question) and not SupportNote.objects.exists()


def test_the_wait_reads_in_hours_and_minutes():
    now = timezone.now()
    assert waited(now - datetime.timedelta(hours=2, minutes=5), now) == "2 h 5 min"
    assert waited(now - datetime.timedelta(minutes=7), now) == "7 min"
    assert waited(now - datetime.timedelta(days=1, hours=3), now) == "1 d 3 h"
    assert waited(now, now) == "less than a minute"


# --- the asker ------------------------------------------------------------------------------


def test_the_visitor_sees_help_and_the_honest_wait_at_once_after_asking(visitor):
    tag = Tag.objects.order_by("pk").first()
    data = {"title": CRISIS_TITLE, "body": "Everything is too much since last month.", "tags": [tag.pk],
            "form_token": new_form_token()}  # fmt: skip
    response = visitor.post("/questions/ask/", data, follow=True)
    html = response.content.decode()
    assert "Your private question page" in html
    assert "go to the top of our moderators' list" in html and "a few hours" in html
    assert html.index("crisis-support-heading") < html.index("key-status")  # first on the page


def test_a_member_sees_help_on_their_own_post_and_others_do_not(member, member_user, outsider):
    question = make_question(title=CRISIS_TITLE, author=member_user)
    html = member.get(question.get_absolute_url()).content.decode()
    assert "If you need help now" in html and "go to the top of our moderators' list" in html
    assert "go to the top of our moderators' list" not in outsider.get(question.get_absolute_url()).content.decode()


def test_the_page_says_a_moderator_read_it_once_handled(visitor, moderator_user):
    question = make_question(title=CRISIS_TITLE)
    crisis_services.crisis_mark_seen(moderator=moderator_user, post=question)
    html = visitor.get(f"/questions/key/{question.key}/").content.decode()
    assert "A moderator has read your message" in html


# --- supportive notes -----------------------------------------------------------------------


def test_a_moderator_writes_a_note_the_visitor_reads_signed_the_moderators(
    moderator, moderator_user, visitor, mailoutbox, django_capture_on_commit_callbacks
):
    question = make_question(title=CRISIS_TITLE, status="pending")
    asker_mail.asker_contact_set(question=question, key=question.key, email="asker@example.org")
    form = moderator.get(f"/moderation/question/{question.pk}/support-note/?start=1")
    assert form.status_code == 200 and crisis_services.CANNED_NOTES[1][:40] in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            f"/moderation/question/{question.pk}/support-note/", {"body": "You are *not* alone. Call a line now."}
        )
    assert response.status_code == 302
    note = SupportNote.objects.get()
    assert note.written_by == moderator_user and note.body_html == "You are <em>not</em> alone. Call a line now."
    html = visitor.get(f"/questions/key/{question.key}/").content.decode()
    assert "A note from the moderators" in html and "<em>not</em> alone" in html and "the moderators" in html
    assert moderator_user.username not in html
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["asker@example.org"]
    assert "wrote you a note" in mailoutbox[0].subject and "alone" not in mailoutbox[0].body
    assert ModerationAction.objects.get(kind="support-note").reason == ""  # the note's words stay out of the log


def test_a_member_asker_gets_a_notice_with_the_note(moderator, member_user, member):
    question = make_question(title=CRISIS_TITLE, author=member_user)
    moderator.post(f"/moderation/question/{question.pk}/support-note/", {"body": crisis_services.CANNED_NOTES[2]})
    notice = Notification.objects.get(recipient=member_user)
    assert notice.decision == "support-note" and notice.message == crisis_services.CANNED_NOTES[2]
    html = member.get("/notifications/").content.decode()
    assert "wrote you a note about" in html and "The moderators wrote" in html


def test_a_note_keeps_the_text_and_says_what_is_wrong(moderator):
    question = make_question(title=CRISIS_TITLE)
    response = moderator.post(f"/moderation/question/{question.pk}/support-note/", {"body": "Too short"})
    html = response.content.decode()
    assert response.status_code == 200 and "at least 20 characters" in html and "Too short" in html
    assert not SupportNote.objects.exists() and in_lane(question)


def test_a_note_answers_only_the_askers_own_clarification(moderator_user):
    question = make_question(title="How do I talk to my partner about this?")
    other = comment_post(question=question, author=UserFactory(), by_asker=False, body="I will kill myself")
    with pytest.raises(ValidationError):
        crisis_services.support_note_write(
            moderator=moderator_user, question=question, body=crisis_services.CANNED_NOTES[0], comment=other
        )
    mine = comment_post(question=question, author=None, by_asker=True, body="I could kill myself")
    crisis_services.support_note_write(
        moderator=moderator_user, question=question, body=crisis_services.CANNED_NOTES[0], comment=mine
    )
    assert not in_lane(mine) and in_lane(other)


def test_no_note_on_a_deleted_question(moderator):
    question = make_question(title=CRISIS_TITLE, status="removed")
    response = moderator.get(f"/moderation/question/{question.pk}/support-note/")
    assert response.status_code == 404


def test_notes_are_rate_limited(moderator, settings):
    question = make_question(title=CRISIS_TITLE)
    body = {"body": crisis_services.CANNED_NOTES[0]}
    codes = [moderator.post(f"/moderation/question/{question.pk}/support-note/", body).status_code for _ in range(31)]
    assert codes[:30] == [302] * 30 and codes[30] == 429


def test_staff_find_no_notes_in_the_admin():
    """Who wrote which asker a note is for the log, not for browsing: the notes have no admin page."""
    assert SupportNote not in admin.site._registry
