"""A moderator rolls a post back to an earlier version of its text: a new version, logged once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from forum.answers.models import Answer
from forum.core import effects
from forum.core.errors import AlreadyHandled
from forum.moderation.models import ModerationAction, PostRevision
from forum.questions.models import Question
from forum.questions.revision_services import post_text_write

from .services import _lock, _post_target, _require


@transaction.atomic
def post_rollback(*, moderator, post: Question | Answer, revision: PostRevision, reason: str):
    """Give `post` the text of `revision` again (a version of this very post), with a reason.

    The rollback is itself a new version by "a moderator", so the history keeps what it replaced;
    a deleted post is refused (an asker's deletion leaves no versions to roll back to anyway)."""
    reason = _require(reason)
    post = _lock(post)
    if post.status == post.Status.REMOVED:
        raise AlreadyHandled(gettext("This post was deleted: it can't be rolled back."))
    if not _belongs(revision, post):
        raise ValidationError(gettext("That version belongs to another post."))
    changed = post_text_write(
        post=post,
        body=revision.body,
        title=revision.title if isinstance(post, Question) else None,
        editor_id=moderator.pk,
        role=PostRevision.Role.MODERATOR,
        reason=reason,
    )
    if not changed:
        raise AlreadyHandled(gettext("The post already reads as that version."))
    effects.audit(moderator, ModerationAction.Kind.ROLLBACK, reason=reason, revision=revision.pk, **_post_target(post))
    return post


def _belongs(revision: PostRevision, post: Question | Answer) -> bool:
    if isinstance(post, Question):
        return revision.question_id == post.pk
    return revision.answer_id == post.pk
