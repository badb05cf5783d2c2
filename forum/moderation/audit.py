"""The audit log's writer: one row of ModerationAction per moderator decision.

Services never call this directly: they say `forum.core.effects.audit(...)`, and this app's
AppConfig.ready registers `log_action` as the writer, so any app may log without importing
the moderation app's upper floors.
"""

from .models import ModerationAction


def log_action(
    moderator, kind: str, *, question=None, answer=None, comment=None, target_user=None, reason: str = "", **details
):
    """Write one row of the audit log, in the caller's transaction."""
    return ModerationAction.objects.create(
        moderator=moderator,
        kind=kind,
        question=question,
        answer=answer,
        comment=comment,
        target_user=target_user,
        moderator_name=moderator.username if moderator is not None else "",
        reason=reason,
        details=details,
    )
