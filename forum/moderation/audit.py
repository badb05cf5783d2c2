"""The audit log's writer: one row of ModerationAction per moderator decision.

Services never call this directly: they say `forum.core.effects.audit(...)`, and this app's
AppConfig.ready registers `log_action` as the writer, so any app may log without importing
the moderation app's upper floors.
"""

from django.utils import timezone

from forum.core.text import clean_body

from .models import ModerationAction


def log_action(
    moderator, kind: str, *, question=None, answer=None, comment=None, target_user=None, reason: str = "", **details
):
    """Write one row of the audit log, in the caller's transaction.

    A moderator's decision on a post in the crisis lane (CRISIS_HANDLING_KINDS) handles it: every
    way out of the lane is a logged action, and no action forgets to take the post out."""
    if moderator is not None and kind in ModerationAction.CRISIS_HANDLING_KINDS:
        for post in (question, answer, comment):
            crisis_handled(post)
    return ModerationAction.objects.create(
        moderator=moderator,
        kind=kind,
        question=question,
        answer=answer,
        comment=comment,
        target_user=target_user,
        moderator_name=moderator.username if moderator is not None else "",
        reason=clean_body(reason),
        details=details,
    )


def crisis_handled(post) -> None:
    """Take a post out of the crisis lane, if it is in it (the post's own model, named by the
    instance: this floor imports neither posts' app)."""
    if post is None or getattr(post, "crisis_at", None) is None or post.crisis_handled_at is not None:
        return
    post.crisis_handled_at = timezone.now()
    type(post).objects.filter(pk=post.pk, crisis_handled_at__isnull=True).update(
        crisis_handled_at=post.crisis_handled_at
    )
