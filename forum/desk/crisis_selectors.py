"""The crisis lane: posts whose text mentioned self-harm or danger, waiting for a moderator.

Oldest first, whatever their status (a member's published question is listed too), until a
moderator's logged action handles them (forum/moderation/audit.py). Capped: a flood from a few
accounts can't make the page unusable, and it can't push an older post down (the oldest stay
on top); the counts bar says how many wait in all.
"""

from django.db.models import Prefetch

from forum.answers.models import CRISIS_WAITING, Answer, Comment
from forum.moderation.models import Flag
from forum.questions.models import Question, Tag

CRISIS_LIMIT = 30
_OPEN_FLAGS = Prefetch("flags", queryset=Flag.objects.filter(status=Flag.Status.OPEN).order_by("created_at"),
                       to_attr="open_flags")  # fmt: skip
_TAGS = Prefetch("tags", queryset=Tag.objects.only("id", "name", "slug"))


def crisis_lane() -> list:
    """Up to CRISIS_LIMIT questions, answers and clarifications waiting in the lane, oldest first
    (7 queries, whatever the number)."""
    questions = list(
        Question.objects.filter(CRISIS_WAITING)
        .exclude(status=Question.Status.REMOVED)
        .select_related("author")
        .prefetch_related(_TAGS, _OPEN_FLAGS)
        .order_by("crisis_at", "pk")[:CRISIS_LIMIT]
    )
    answers = list(
        Answer.objects.filter(CRISIS_WAITING)
        .exclude(status=Answer.Status.REMOVED)
        .select_related("question", "author")
        .prefetch_related(_OPEN_FLAGS)
        .order_by("crisis_at", "pk")[:CRISIS_LIMIT]
    )
    comments = list(
        Comment.objects.filter(CRISIS_WAITING)
        .exclude(status=Comment.Status.REMOVED)
        .select_related("question", "author")
        .prefetch_related(_OPEN_FLAGS)
        .order_by("crisis_at", "pk")[:CRISIS_LIMIT]
    )
    for comment in comments:
        comment.is_comment = True  # type: ignore[attr-defined]  # the queue template's switch
    return sorted(questions + answers + comments, key=lambda post: post.crisis_at)[:CRISIS_LIMIT]
