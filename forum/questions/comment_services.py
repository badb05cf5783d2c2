"""Every write to clarifications (answers.Comment). Keyword-only, atomic.

A clarification changes its thread only: it leaves the lists cached and does not move the
question's last activity (a stream of short notes must not churn the "active" order; an
answer does that). What the desk does to one is in forum/desk/comment_services.py.
"""

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.experts import can_post_as_expert
from forum.answers.models import COMMENT_MIN, Answer, Comment
from forum.core import effects, text
from forum.core.markdown import render_inline_markdown
from forum.core.pagecache import thread
from forum.moderation import policy
from forum.moderation.models import Flag

from . import notifications
from .models import Follow, Question

CStatus = Comment.Status


def _check_open(question: Question, answer: Answer | None) -> None:
    if question.status != Question.Status.PUBLISHED:
        raise ValidationError(gettext("This question is not open for clarifications."))
    if question.is_locked or question.duplicate_of_id:
        raise ValidationError(gettext("This thread is closed: it takes no new clarifications."))
    if answer is not None and (answer.question_id != question.pk or answer.status != Answer.Status.PUBLISHED):
        raise ValidationError(gettext("That answer is no longer available."))


def _screen(body: str) -> policy.Screening:
    """Watched words: a blocking word is an error next to the text; says whether to hold it."""
    try:
        return policy.screen_post(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from error


@transaction.atomic
def comment_post(
    *,
    question: Question,
    answer: Answer | None = None,
    author,
    by_asker: bool,
    body: str,
    source_hashes: Mapping[datetime.date, str] | None = None,
) -> Comment:
    """Post a clarification under `question` or under `answer` (one of its answers).

    `author` is None only for the accountless asker, whom the view recognised by their private
    key (`by_asker` True); a member is the asker when they asked the question, whatever the
    caller says. A visitor's clarification waits for a moderator under pre-moderation, as
    their question did; a held word sends anyone's to the queue.
    """
    if author is None and not by_asker:
        raise ValueError("Only the question's asker may post a clarification without an account.")
    question = Question.objects.select_for_update().get(pk=question.pk)  # against a concurrent delete
    _check_open(question, answer)
    body = text.clean_body(body).strip()
    is_visitor = author is None
    if is_visitor:
        policy.check_source_can_post(source_hashes or {})
    else:
        policy.check_member_can_post(author)
        by_asker = question.author_id == author.pk
    screening = _screen(body)
    pending = screening.action == "hold" or (is_visitor and settings.FORUM_PREMODERATE_ANONYMOUS)
    now = timezone.now()
    comment = Comment(
        question=question,
        answer=answer,
        author=author,
        by_asker=by_asker,
        # The asker speaks as the asker: an expert who asked (anonymously, perhaps) gets no badge,
        # no shield from reports and no mark at the desk that would tell their role.
        by_expert=False if by_asker else can_post_as_expert(author),
        body=body,
        body_html=render_inline_markdown(body),
        status=CStatus.PENDING if pending else CStatus.PUBLISHED,
        source_hash=source_hashes[max(source_hashes)] if is_visitor and source_hashes else "",
        created_at=now,
        updated_at=now,
        crisis_at=now if screening.crisis else None,
    )
    if len(body) < COMMENT_MIN:
        message = ngettext(
            "Please write at least %(minimum)s character.", "Please write at least %(minimum)s characters.", COMMENT_MIN
        )
        raise ValidationError({"body": message % {"minimum": COMMENT_MIN}})
    comment.full_clean(exclude=["question", "answer", "author"])
    comment.save()
    if author is not None:
        Follow.objects.get_or_create(user=author, question=question)
    if comment.status == CStatus.PUBLISHED:
        _announce(comment)
    return comment


def _announce(comment: Comment) -> None:
    """A newly visible clarification: its thread's page changes, followers hear of it."""
    effects.pages_changed(thread(comment.question_id))
    notifications.announce_comment(comment=comment)


@transaction.atomic
def comment_set_status(*, comment: Comment, status: str) -> Comment:
    """Move a clarification between pending, published, hidden and removed (the desk's actions)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    old = comment.status
    if old == status:
        return comment
    comment.status = status
    comment.updated_at = timezone.now()
    comment.save(update_fields=["status", "updated_at"])
    if old == CStatus.PENDING and status == CStatus.PUBLISHED:
        _announce(comment)
    elif CStatus.PUBLISHED in (old, status):
        effects.pages_changed(thread(comment.question_id))
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user) -> Comment:
    """Its author (a member) deletes a clarification: the text is wiped, not just hidden."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if user is None or not user.is_authenticated or comment.author_id != user.pk:
        raise PermissionDenied(gettext("Only its author can delete a clarification."))
    if comment.status == CStatus.REMOVED:
        raise ValidationError(gettext("This clarification was already deleted."))
    was_published = comment.status == CStatus.PUBLISHED
    comments_wipe(comments=Comment.objects.filter(pk=comment.pk))
    if was_published:
        effects.pages_changed(thread(comment.question_id))
    comment.refresh_from_db()
    return comment


def comments_wipe(*, comments) -> int:
    """Remove clarifications and their words (an author's deletion, or their question's): the
    text goes, and open reports of them are closed (there is nothing left to look at)."""
    ids = list(comments.values_list("pk", flat=True))
    if not ids:
        return 0
    Flag.objects.filter(comment_id__in=ids, status=Flag.Status.OPEN).update(
        status=Flag.Status.RESOLVED, handled_at=timezone.now()
    )
    return Comment.objects.filter(pk__in=ids).update(
        status=CStatus.REMOVED, body="", body_html="", updated_at=timezone.now()
    )
