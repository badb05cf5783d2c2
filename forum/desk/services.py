"""Moderator actions and reports. Each action is one service that writes one ModerationAction row.

Check, then do: every function validates its input and the item's state first (acting on an
item that someone already handled says so), then changes it and logs it in one transaction.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from forum.answers.models import Answer, Comment
from forum.core import effects, text
from forum.core.errors import AlreadyHandled
from forum.core.pagecache import thread
from forum.moderation.models import (
    FirstPostReview,
    Flag,
    ModerationAction,
    PostRevision,
    SourceBlock,
    Suspension,
    WatchedWord,
    suspension_end,
)
from forum.moderation.policy import active_suspension
from forum.questions import notifications
from forum.questions.answer_services import answer_set_status
from forum.questions.comment_services import comment_set_status
from forum.questions.models import PendingEdit, Question
from forum.questions.revision_services import post_text_write
from forum.questions.services import question_apply_text, question_set_status

Kind = ModerationAction.Kind
QStatus = Question.Status
AStatus = Answer.Status


# What a missing reason says, by who reads the reason besides the log.
_REASON_NEEDED = {
    "": gettext_noop("Please give a reason: it goes into the moderation log."),
    "asker": gettext_noop("Please give a reason the asker will see: it goes into the moderation log."),
    "member": gettext_noop("Please give a reason the member will see: it goes into the moderation log."),
}


def _require(reason: str, seen_by: str = "") -> str:
    reason = text.clean_body(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext(_REASON_NEEDED[seen_by])})
    return reason


def _state(post) -> dict[str, str]:
    """A post's status for a message ("… it is published.")."""
    return {"status": str(post.get_status_display()).lower()}


def _post_target(post) -> dict:
    if isinstance(post, Comment):
        return {"comment": post}
    return {"question": post} if isinstance(post, Question) else {"answer": post}


def _lock(post):
    return type(post).objects.select_for_update().get(pk=post.pk)


def _resolve_flags(post, status: str = Flag.Status.RESOLVED) -> int:
    return Flag.objects.filter(status=Flag.Status.OPEN, **_post_target(post)).update(
        status=status, handled_at=timezone.now()
    )


# --- reports -----------------------------------------------------------------------------


# A report's weight, in thirds of an established member's. One person can cheaply be many
# visitors (addresses) or open fresh accounts; a day-old account with a verified email costs more.
FULL_WEIGHT = 3
LIGHT_WEIGHT = 1
NEW_ACCOUNT_AGE = datetime.timedelta(days=1)


def report_weight(reporter) -> int:
    """Suspended members' reports count for nothing; visitors' and new accounts' for a third."""
    if reporter is None:
        return LIGHT_WEIGHT
    if active_suspension(reporter) is not None:
        return 0
    if reporter.date_joined > timezone.now() - NEW_ACCOUNT_AGE:
        return LIGHT_WEIGHT
    return FULL_WEIGHT


@transaction.atomic
def flag_create(*, post, reason: str, note: str = "", reporter=None, reporter_hash: str = "") -> Flag | None:
    """Report a post. Reporting twice counts once (returns None). Enough weight hides it."""
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": gettext("Please choose a reason.")})
    if reason == Flag.Reason.OTHER and not note.strip():
        raise ValidationError({"note": gettext("Please tell the moderators what is wrong.")})
    if reporter is None and not reporter_hash:
        raise ValueError("A report needs a reporter or a source hash.")
    post = _lock(post)  # serializes reports on this post, so the threshold is crossed once
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                reason=reason,
                note=text.clean_body(note).strip()[:500],
                reporter=reporter,
                reporter_hash="" if reporter else reporter_hash,
                weight=report_weight(reporter),
                **_post_target(post),
            )
    except IntegrityError:
        return None
    _auto_hide_if_needed(post)
    return flag


def report_weights(post) -> tuple[int, bool]:
    """The open reports' total weight, and whether an established member is among them."""
    totals = Flag.objects.filter(status=Flag.Status.OPEN, **_post_target(post)).aggregate(
        total=Sum("weight"), established=Count("pk", filter=Q(weight=FULL_WEIGHT))
    )
    return totals["total"] or 0, bool(totals["established"])


def _auto_hide_if_needed(post) -> None:
    """Reports alone hide a post only with the weight of FORUM_FLAGS_TO_HIDE established members,
    one of whom really reported it; a verified expert's answer or clarification is never hidden
    by reports alone (it waits in the queue for a moderator)."""
    expert = (isinstance(post, Answer) and post.is_expert) or (isinstance(post, Comment) and post.by_expert)
    if post.status != post.Status.PUBLISHED or expert:
        return
    total, established = report_weights(post)
    if not established or total < settings.FORUM_FLAGS_TO_HIDE * FULL_WEIGHT:
        return
    _set_status(post, post.Status.HIDDEN)
    effects.audit(None, Kind.AUTO_HIDE, reason="Reports from enough established members.", **_post_target(post))


def _set_status(post, status: str):
    if isinstance(post, Question):
        return question_set_status(question=post, status=status)
    if isinstance(post, Comment):
        return comment_set_status(comment=post, status=status)
    return answer_set_status(answer=post, status=status)


# --- the queue's actions ------------------------------------------------------------------


@transaction.atomic
def question_approve(*, moderator, question: Question, reason: str = "") -> Question:
    question = _lock(question)
    if question.status != QStatus.PENDING:
        raise AlreadyHandled(gettext("This question was already handled: it is %(status)s.") % _state(question))
    question = question_set_status(question=question, status=QStatus.PUBLISHED)
    effects.audit(moderator, Kind.APPROVE, question=question, reason=reason)
    notifications.announce_decision(post=question, decision="approved")
    return question


@transaction.atomic
def question_reject(*, moderator, question: Question, reason: str) -> Question:
    reason = _require(reason, "asker")
    question = _lock(question)
    if question.status != QStatus.PENDING:
        raise AlreadyHandled(gettext("This question was already handled: it is %(status)s.") % _state(question))
    question = question_set_status(question=question, status=QStatus.REJECTED)
    question.moderation_reason = reason[:500]
    question.save(update_fields=["moderation_reason"])
    effects.audit(moderator, Kind.REJECT, question=question, reason=reason)
    notifications.announce_decision(post=question, decision="rejected", reason=reason)
    return question


@transaction.atomic
def answer_approve(*, moderator, answer: Answer, reason: str = "") -> Answer:
    answer = _lock(answer)
    if answer.status != AStatus.PENDING:
        raise AlreadyHandled(gettext("This answer was already handled: it is %(status)s.") % _state(answer))
    answer = answer_set_status(answer=answer, status=AStatus.PUBLISHED)
    effects.audit(moderator, Kind.APPROVE, answer=answer, reason=reason)
    notifications.announce_decision(post=answer, decision="approved")
    return answer


@transaction.atomic
def post_hide(*, moderator, post, reason: str):
    reason = _require(reason)
    post = _lock(post)
    if post.status != post.Status.PUBLISHED:
        raise AlreadyHandled(gettext("This post is not visible now (%(status)s).") % _state(post))
    post = _set_status(post, post.Status.HIDDEN)
    if isinstance(post, Question):
        post.moderation_reason = reason[:500]
        post.save(update_fields=["moderation_reason"])
    _resolve_flags(post)
    effects.audit(moderator, Kind.HIDE, reason=reason, **_post_target(post))
    notifications.announce_decision(post=post, decision="hidden", reason=reason)
    return post


@transaction.atomic
def post_restore(*, moderator, post, reason: str = ""):
    post = _lock(post)
    if post.status != post.Status.HIDDEN:
        raise AlreadyHandled(gettext("This post is not hidden (%(status)s).") % _state(post))
    post = _set_status(post, post.Status.PUBLISHED)
    if isinstance(post, Question) and post.moderation_reason:
        post.moderation_reason = ""
        post.save(update_fields=["moderation_reason"])
    _resolve_flags(post, Flag.Status.DISMISSED)
    effects.audit(moderator, Kind.RESTORE, reason=reason, **_post_target(post))
    return post


@transaction.atomic
def post_delete(*, moderator, post, reason: str):
    reason = _require(reason)
    post = _lock(post)
    if post.status == post.Status.REMOVED:
        raise AlreadyHandled(gettext("This post was already deleted."))
    post = _set_status(post, post.Status.REMOVED)
    _resolve_flags(post)
    effects.audit(moderator, Kind.DELETE, reason=reason, **_post_target(post))
    notifications.announce_decision(post=post, decision="deleted")
    return post


@transaction.atomic
def post_edit(*, moderator, post, body: str, reason: str, title: str | None = None):
    """Edit a post with a reason; the post's history keeps every version (its original too)."""
    reason = _require(reason)
    post = _lock(post)
    if post.status == post.Status.REMOVED:
        raise AlreadyHandled(gettext("This post was deleted."))
    post_text_write(post=post, body=body, title=title, editor_id=moderator.pk, role=PostRevision.Role.MODERATOR,
                    reason=reason)  # fmt: skip
    effects.audit(moderator, Kind.EDIT, reason=reason, **_post_target(post))
    return post


@transaction.atomic
def question_edit_approve(*, moderator, edit: PendingEdit, reason: str = "") -> Question:
    """Publish an asker's edit that waited for review: the approved text is replaced now."""
    locked = PendingEdit.objects.select_for_update().filter(pk=edit.pk).first()
    if locked is None:
        raise AlreadyHandled(gettext("This edit was already handled (or the asker replaced or deleted it)."))
    question = question_apply_text(
        question=locked.question,
        title=locked.title,
        body=locked.body,
        tags=list(locked.tags.all()),
        content_warnings=locked.content_warnings,
    )
    locked.delete()
    effects.audit(moderator, Kind.EDIT_APPROVE, question=question, reason=reason)
    return question


@transaction.atomic
def question_edit_reject(*, moderator, edit: PendingEdit, reason: str) -> Question:
    """Turn an asker's edit down: the approved text stays, the proposed one is forgotten."""
    reason = _require(reason)
    locked = PendingEdit.objects.select_for_update().filter(pk=edit.pk).first()
    if locked is None:
        raise AlreadyHandled(gettext("This edit was already handled (or the asker replaced or deleted it)."))
    question = locked.question
    locked.delete()
    effects.audit(moderator, Kind.EDIT_REJECT, question=question, reason=reason)
    return question


@transaction.atomic
def flags_dismiss(*, moderator, post, reason: str = ""):
    post = _lock(post)
    if _resolve_flags(post, Flag.Status.DISMISSED) == 0:
        raise AlreadyHandled(gettext("There are no open reports on this post."))
    effects.audit(moderator, Kind.DISMISS_FLAGS, reason=reason, **_post_target(post))
    return post


@transaction.atomic
def question_lock(*, moderator, question: Question, reason: str) -> Question:
    reason = _require(reason)
    question = _lock(question)
    if question.is_locked:
        raise AlreadyHandled(gettext("This thread is already locked."))
    question.is_locked = True
    question.save(update_fields=["is_locked"])
    effects.pages_changed(thread(question.pk))
    effects.audit(moderator, Kind.LOCK, question=question, reason=reason)
    return question


@transaction.atomic
def question_unlock(*, moderator, question: Question, reason: str = "") -> Question:
    question = _lock(question)
    if not question.is_locked:
        raise AlreadyHandled(gettext("This thread is not locked."))
    question.is_locked = False
    question.save(update_fields=["is_locked"])
    effects.pages_changed(thread(question.pk))
    effects.audit(moderator, Kind.UNLOCK, question=question, reason=reason)
    return question


@transaction.atomic
def question_close_duplicate(*, moderator, question: Question, duplicate_of: Question, reason: str = "") -> Question:
    question = _lock(question)
    if duplicate_of.pk == question.pk or duplicate_of.status != QStatus.PUBLISHED:
        raise ValidationError({"duplicate_of": gettext("Choose another published question.")})
    if question.duplicate_of_id:
        raise AlreadyHandled(gettext("This question is already closed as a duplicate."))
    question.duplicate_of = duplicate_of
    question.save(update_fields=["duplicate_of"])
    effects.pages_changed(thread(question.pk))
    effects.audit(moderator, Kind.CLOSE_DUPLICATE, question=question, reason=reason, duplicate_of=duplicate_of.pk)
    return question


@transaction.atomic
def question_reopen(*, moderator, question: Question, reason: str = "") -> Question:
    question = _lock(question)
    if not question.duplicate_of_id:
        raise AlreadyHandled(gettext("This question is not closed."))
    question.duplicate_of = None
    question.save(update_fields=["duplicate_of"])
    effects.pages_changed(thread(question.pk))
    effects.audit(moderator, Kind.REOPEN, question=question, reason=reason)
    return question


@transaction.atomic
def first_post_mark_reviewed(*, moderator, review: FirstPostReview) -> FirstPostReview:
    review = FirstPostReview.objects.select_for_update().get(pk=review.pk)
    if review.reviewed_at:
        raise AlreadyHandled(gettext("Someone already looked at this post."))
    review.reviewed_at = timezone.now()
    review.save(update_fields=["reviewed_at"])
    effects.audit(moderator, Kind.MARK_REVIEWED, question=review.question, answer=review.answer)
    return review


# --- people and sources -------------------------------------------------------------------


def _check_days(days: int) -> None:
    shortest, longest = Suspension.DAYS
    if not shortest <= days <= longest:
        message = gettext("Choose between %(shortest)s and %(longest)s days.")
        raise ValidationError({"days": message % {"shortest": shortest, "longest": longest}})


def _suspensions_in_force():
    return Suspension.objects.filter(ends_at__gt=timezone.now(), lifted_at__isnull=True)


def _named(suspensions):
    """Suspensions a moderator may see and lift by the member's name: not those that came
    from an anonymous question (that would tell who asked it)."""
    return suspensions.exclude(question__is_anonymous=True)


@transaction.atomic
def user_suspend(*, moderator, user, days: int, reason: str, question: Question | None = None) -> Suspension:
    """Suspend a member by name. `question`: the named post that led here (logged with it)."""
    reason = _require(reason, "member")
    _check_days(days)
    if question is not None and question.is_anonymous:
        raise ValueError("Suspend the author of an anonymous question with question_author_suspend.")
    if user.pk == moderator.pk or user.has_perm("moderation.moderate"):
        raise PermissionDenied(gettext("Moderators can't suspend themselves or each other here; ask an admin."))
    suspension = Suspension.objects.create(
        user=user, ends_at=suspension_end(days), reason=reason, created_by=moderator, question=question
    )
    effects.audit(moderator, Kind.SUSPEND, target_user=user, question=question, reason=reason, days=days)
    return suspension


@transaction.atomic
def question_author_suspend(*, moderator, question: Question, days: int, reason: str) -> Suspension | None:
    """Suspend whoever asked `question`.

    For an anonymous question every step, answer and log line is the same whoever the author
    is — a moderator, an expert, the acting moderator themselves, someone already suspended —
    so acting tells the moderator nothing about the account (only the audited reveal does).
    """
    if question.author_id is None:
        raise ValidationError(gettext("A visitor asked this question; block the source instead."))
    if not question.is_anonymous:
        return user_suspend(moderator=moderator, user=question.author, days=days, reason=reason, question=question)
    reason = _require(reason, "member")
    _check_days(days)
    suspension = Suspension.objects.create(
        user_id=question.author_id, ends_at=suspension_end(days), reason=reason, created_by=moderator,
        question=question,
    )  # fmt: skip
    effects.audit(moderator, Kind.SUSPEND, question=question, reason=reason, days=days)
    return suspension


@transaction.atomic
def user_unsuspend(*, moderator, user, reason: str = "") -> int:
    """Lift a member's suspensions made by name (those from an anonymous question are lifted
    through that question, so this answer never depends on them)."""
    lifted = _named(_suspensions_in_force().filter(user=user)).update(lifted_at=timezone.now())
    if not lifted:
        raise AlreadyHandled(gettext("This member is not suspended by name: nothing to lift."))
    effects.audit(moderator, Kind.UNSUSPEND, target_user=user, reason=reason)
    return lifted


@transaction.atomic
def question_author_unsuspend(*, moderator, question: Question, reason: str = "") -> int:
    """Lift the suspension that `question` led to, whoever its author is."""
    if not question.is_anonymous:
        if question.author_id is None:
            raise ValidationError(
                gettext("A visitor asked this question; there is no account to lift a suspension from.")
            )
        return user_unsuspend(moderator=moderator, user=question.author, reason=reason)
    lifted = _suspensions_in_force().filter(question=question).update(lifted_at=timezone.now())
    if not lifted:
        raise AlreadyHandled(gettext("No suspension of the author of this question is in force."))
    effects.audit(moderator, Kind.UNSUSPEND, question=question, reason=reason)
    return lifted


@transaction.atomic
def source_block(*, moderator, question: Question, hours: int, reason: str) -> SourceBlock:
    """Block the anonymous source of a visitor's question by the keyed hash stored with it."""
    reason = _require(reason)
    if hours not in dict(SourceBlock.LENGTHS):
        raise ValidationError({"hours": gettext("Choose one of the lengths offered: 24 hours, 3 days or 7 days.")})
    if not question.source_hash:
        raise ValidationError(gettext("This question has no anonymous source to block (it was asked by a member)."))
    hash_day = question.created_at.astimezone(datetime.UTC).date()
    block = SourceBlock.objects.create(
        source_hash=question.source_hash,
        hash_day=hash_day,
        ends_at=timezone.now() + datetime.timedelta(hours=hours),
        reason=reason,
        created_by=moderator,
    )
    effects.audit(moderator, Kind.BLOCK_SOURCE, question=question, reason=reason, hours=hours)
    return block


@transaction.atomic
def author_reveal(*, moderator, question: Question, reason: str):
    """Show the stored author of a member's anonymous question. Needs its own permission; logged."""
    if not moderator.has_perm("moderation.reveal_author"):
        raise PermissionDenied(gettext("Revealing an author needs the reveal permission."))
    reason = _require(reason)
    if not question.is_anonymous or question.author_id is None:
        raise ValidationError(gettext("This question has no hidden author to reveal."))
    effects.audit(moderator, Kind.REVEAL_AUTHOR, question=question, reason=reason)
    return question.author


# --- watched words ------------------------------------------------------------------------


@transaction.atomic
def watched_word_add(*, moderator, phrase: str, action: str) -> WatchedWord:
    phrase = " ".join((phrase or "").split()).lower()
    if len(phrase) < 2:
        raise ValidationError({"phrase": gettext("Enter a word or phrase of at least 2 characters.")})
    if action not in WatchedWord.Action.values:
        raise ValidationError({"action": gettext("Choose what the word does.")})
    word, created = WatchedWord.objects.get_or_create(phrase=phrase, action=action, defaults={"created_by": moderator})
    if not created:
        raise AlreadyHandled(gettext("That word is already on the list."))
    effects.audit(moderator, Kind.WATCHED_WORD_ADD, phrase=phrase, action=action)
    return word


@transaction.atomic
def watched_word_remove(*, moderator, word: WatchedWord) -> None:
    deleted, _ = WatchedWord.objects.filter(pk=word.pk).delete()
    if not deleted:
        raise AlreadyHandled(gettext("That word was already removed."))
    effects.audit(moderator, Kind.WATCHED_WORD_REMOVE, phrase=word.phrase, action=word.action)
