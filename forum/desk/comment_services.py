"""The desk's actions on clarifications (answers.Comment): approve, hide, restore, delete.

Each checks the clarification's state first (one already handled says so), changes it through
forum.questions.comment_services.comment_set_status and writes one audit row, in one
transaction. Reports of clarifications are made and weighed by services.flag_create, as for
posts; their dismissal is services.flags_dismiss.
"""

from django.db import transaction
from django.utils.translation import gettext

from forum.answers.models import Comment
from forum.core import effects
from forum.core.errors import AlreadyHandled
from forum.moderation.models import Flag, ModerationAction
from forum.questions.comment_services import comment_set_status

from .services import _require, _resolve_flags

Kind = ModerationAction.Kind
CStatus = Comment.Status


def _lock(comment: Comment) -> Comment:
    return Comment.objects.select_for_update().get(pk=comment.pk)


def _state(comment: Comment) -> dict[str, str]:
    return {"status": str(comment.get_status_display()).lower()}


@transaction.atomic
def comment_approve(*, moderator, comment: Comment, reason: str = "") -> Comment:
    """Publish a clarification that waited (a visitor's under pre-moderation, or a held word)."""
    comment = _lock(comment)
    if comment.status != CStatus.PENDING:
        raise AlreadyHandled(gettext("This clarification was already handled: it is %(status)s.") % _state(comment))
    comment = comment_set_status(comment=comment, status=CStatus.PUBLISHED)
    effects.audit(moderator, Kind.APPROVE, comment=comment, reason=reason)
    return comment


@transaction.atomic
def comment_hide(*, moderator, comment: Comment, reason: str) -> Comment:
    reason = _require(reason)
    comment = _lock(comment)
    if comment.status != CStatus.PUBLISHED:
        raise AlreadyHandled(gettext("This clarification is not visible now (%(status)s).") % _state(comment))
    comment = comment_set_status(comment=comment, status=CStatus.HIDDEN)
    _resolve_flags(comment)
    effects.audit(moderator, Kind.HIDE, comment=comment, reason=reason)
    return comment


@transaction.atomic
def comment_restore(*, moderator, comment: Comment, reason: str = "") -> Comment:
    comment = _lock(comment)
    if comment.status != CStatus.HIDDEN:
        raise AlreadyHandled(gettext("This clarification is not hidden (%(status)s).") % _state(comment))
    comment = comment_set_status(comment=comment, status=CStatus.PUBLISHED)
    _resolve_flags(comment, Flag.Status.DISMISSED)
    effects.audit(moderator, Kind.RESTORE, comment=comment, reason=reason)
    return comment


@transaction.atomic
def comment_delete(*, moderator, comment: Comment, reason: str) -> Comment:
    """Remove a clarification for good (a pending one turned down, or a published one). Its text
    stays in the table for the record, as a deleted answer's does; only its author's own
    deletion, or their question's, wipes it."""
    reason = _require(reason)
    comment = _lock(comment)
    if comment.status == CStatus.REMOVED:
        raise AlreadyHandled(gettext("This clarification was already deleted."))
    comment = comment_set_status(comment=comment, status=CStatus.REMOVED)
    _resolve_flags(comment)
    effects.audit(moderator, Kind.DELETE, comment=comment, reason=reason)
    return comment
