"""What members hear about, said by the write that caused it, inside its transaction.

In-site notices are rows, written in bulk (a thread with 500 followers costs one SELECT and one
INSERT, not 500); emails are tasks queued with the write (forum.core.effects.task), one per event,
which the worker fans out into one job per recipient (forum/questions/notice_emails.py). Tasks carry
ids only, and look everything up when they run: a post hidden or deleted meanwhile sends nothing,
and no post text ever reaches the job table.

Nobody learns who asked an anonymous question: no notice or email names an asker, and the asker
hears about their thread through their own Follow, as any follower does. Each member's choices
(forum/questions/preferences.py) decide what shows in the site and what is emailed.
"""

from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import ExpertProfile, User
from forum.answers.models import Answer, Comment
from forum.core import effects

from . import asker_mail, notice_emails, preferences
from .models import Follow, Notification, NotificationPreference, Question

Kind = Notification.Kind
_PREFIX = "user__notification_preference__"


def announce_answer(*, question: Question, answer: Answer) -> None:
    """A newly visible answer: its thread's followers hear of it (not the one who wrote it)."""
    asker_mail.on_thread_activity(question=question, what="answer")  # an accountless asker who left an address
    kind = Kind.EXPERT_ANSWER if answer.is_expert else Kind.NEW_ANSWER
    _tell_followers(question=question, writer_id=answer.author_id, kind=kind, answer_id=answer.pk)


def announce_comment(*, comment: Comment) -> None:
    """A newly visible clarification (answers.Comment): its thread's followers hear of it."""
    question = comment.question
    if not comment.by_asker:  # an accountless asker who left an address; never for their own
        asker_mail.on_thread_activity(question=question, what="comment")
    _tell_followers(question=question, writer_id=comment.author_id, kind=Kind.NEW_COMMENT, comment_id=comment.pk)


def _tell_followers(*, question: Question, writer_id: int | None, kind: str, **post: int) -> None:
    followers = Follow.objects.filter(question_id=question.pk, user__is_active=True)
    if writer_id is not None:  # None: the accountless asker, or a former member
        followers = followers.exclude(user_id=writer_id)
    rows = followers.values("user_id", *preferences.joined_fields(_PREFIX))
    notices, emailed = [], []
    for row in rows:
        choices = preferences.from_row(row, _PREFIX)
        channel = preferences.channel_of(kind, asker=row["user_id"] == question.author_id)
        if preferences.shows_in_site(choices, channel):
            notices.append(Notification(recipient_id=row["user_id"], kind=kind, question_id=question.pk, **_ids(post)))
        if preferences.emails(choices, channel):
            emailed.append(row["user_id"])
    Notification.objects.bulk_create(notices)
    if emailed:
        effects.task(notice_emails.notify_many, kind=kind, question_id=question.pk, user_ids=sorted(emailed), **post)


def _ids(post: dict[str, int]) -> dict[str, int]:
    return {name: value for name, value in post.items() if value is not None}


def announce_accepted(*, question: Question, answer: Answer) -> None:
    """The asker marked `answer` as the one that helped: its author hears of it."""
    if answer.author_id is None or answer.author_id == question.author_id:  # None: a former member
        return
    _tell_one(answer.author_id, Kind.ANSWER_ACCEPTED, question_id=question.pk, answer_id=answer.pk)


def announce_decision(*, post: Question | Answer, decision: str, reason: str = "") -> None:
    """A moderator approved, rejected, hid or deleted a member's post. `reason` is shown to them
    alone (a rejection's or a hide's); the moderator is never named. A visitor's question has no
    one to tell here: its key page shows its state."""
    if post.author_id is None:
        return
    question_id = post.pk if isinstance(post, Question) else post.question_id
    answer_id = post.pk if isinstance(post, Answer) else None
    ids = {"question_id": question_id, "answer_id": answer_id}
    _tell_one(post.author_id, Kind.POST_DECISION, decision=decision, reason=reason, **ids)


def announce_support_note(*, question: Question, body: str) -> None:
    """A moderator wrote the asker a supportive note: an accountless asker who left an address gets
    an email (the note itself waits on their private page); a member, a notice holding the note
    and an email as they chose for decisions. The moderator is never named."""
    if question.key_hash:
        asker_mail.on_thread_activity(question=question, what="note")
    elif question.author_id is not None:
        _tell_one(question.author_id, Kind.POST_DECISION, decision=SUPPORT_NOTE, reason=body, question_id=question.pk)


SUPPORT_NOTE = "support-note"  # the decision a supportive note's notice carries


def announce_expert_decision(*, user_id: int, decision: str, reason: str = "") -> None:
    """A moderator verified, turned down or withdrew a member's expert verification."""
    _tell_one(user_id, Kind.EXPERT_DECISION, decision=decision, reason=reason)


def _tell_one(user_id: int, kind: str, *, decision: str = "", reason: str = "", **post: int | None) -> None:
    choices = preferences.preference_for(user_id)
    channel = preferences.channel_of(kind)
    ids = _ids({k: v for k, v in post.items() if v is not None})
    if preferences.shows_in_site(choices, channel):
        Notification.objects.create(recipient_id=user_id, kind=kind, decision=decision, message=reason[:500], **ids)
    if preferences.emails(choices, channel):
        extra = {"decision": decision} if decision else {}
        effects.task(notice_emails.notify_one, user_id=user_id, kind=kind, **ids, **extra)


def announce_question(*, question: Question) -> None:
    """A question just published for the first time: verified experts whose areas of practice
    include one of its topics hear of it (not its asker, who may be one of them), each as they
    chose: a notice and an email at once, a notice and the daily digest, or nothing."""
    daily = NotificationPreference.ExpertQuestions.DAILY
    experts = (
        User.objects.filter(
            is_active=True,
            expert_profile__status=ExpertProfile.Status.VERIFIED,
            expert_profile__verified_until__gte=timezone.localdate(),
            expert_profile__areas__questions=question.pk,
        )
        .exclude(pk=question.author_id)
        .annotate(choice=Coalesce("notification_preference__expert_questions", Value(daily)))
        .exclude(choice=NotificationPreference.ExpertQuestions.OFF)
        .values_list("pk", "choice")
        .distinct()
    )
    notices, at_once = [], []
    for user_id, choice in experts:
        notices.append(Notification(recipient_id=user_id, kind=Kind.NEW_QUESTION, question_id=question.pk))
        if choice == NotificationPreference.ExpertQuestions.AT_ONCE:
            at_once.append(user_id)
    Notification.objects.bulk_create(notices)
    if at_once:
        effects.task(notice_emails.notify_many, kind=Kind.NEW_QUESTION, question_id=question.pk, user_ids=at_once)
