"""Reads for the moderation desk, each a fixed number of queries."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q

from forum.answers.models import CRISIS_WAITING, Answer, Comment
from forum.moderation.models import FirstPostReview, Flag, ModerationAction
from forum.questions.models import PendingEdit, Question, Tag

from .crisis_selectors import crisis_lane

QUEUE_LIMIT = 50
_OPEN_FLAGS = Prefetch("flags", queryset=Flag.objects.filter(status=Flag.Status.OPEN).order_by("created_at"),
                       to_attr="open_flags")  # fmt: skip
_TAGS = Prefetch("tags", queryset=Tag.objects.only("id", "name", "slug"))


def _open_flag_exists(**outer):
    return Exists(Flag.objects.filter(status=Flag.Status.OPEN, **outer))


def queue() -> dict:
    pending_questions = list(
        Question.objects.filter(status=Question.Status.PENDING)
        .exclude(CRISIS_WAITING)  # listed in the crisis lane, once
        .select_related("author")
        .prefetch_related(_TAGS)
        .order_by("created_at")[:QUEUE_LIMIT]
    )
    pending_answers = list(
        Answer.objects.filter(status=Answer.Status.PENDING)
        .exclude(CRISIS_WAITING)
        .select_related("question", "author")
        .order_by("created_at")[:QUEUE_LIMIT]
    )
    flagged_questions = list(
        Question.objects.filter(_open_flag_exists(question=OuterRef("pk")))
        .exclude(CRISIS_WAITING)
        .select_related("author")
        .prefetch_related(_TAGS, _OPEN_FLAGS)
        .annotate(first_flag=_first_open_flag())
        .order_by("first_flag")[:QUEUE_LIMIT]
    )
    flagged_answers = list(
        Answer.objects.filter(_open_flag_exists(answer=OuterRef("pk")))
        .exclude(CRISIS_WAITING)
        .select_related("question", "author")
        .prefetch_related(_OPEN_FLAGS)
        .annotate(first_flag=_first_open_flag())
        .order_by("first_flag")[:QUEUE_LIMIT]
    )
    flagged_comments = list(
        Comment.objects.filter(_open_flag_exists(comment=OuterRef("pk")))
        .exclude(CRISIS_WAITING)
        .select_related("question", "author")
        .prefetch_related(_OPEN_FLAGS)
        .annotate(first_flag=_first_open_flag())
        .order_by("first_flag")[:QUEUE_LIMIT]
    )
    for comment in flagged_comments:
        comment.is_comment = True  # type: ignore[attr-defined]  # the queue template's switch
    flagged = sorted(flagged_questions + flagged_answers + flagged_comments, key=lambda post: post.first_flag)
    pending_comments = list(
        Comment.objects.filter(status=Comment.Status.PENDING)
        .exclude(CRISIS_WAITING)
        .select_related("question", "author")
        .order_by("created_at")[:QUEUE_LIMIT]
    )
    first_posts = list(
        FirstPostReview.objects.filter(reviewed_at__isnull=True)
        .select_related("question", "answer", "answer__author", "answer__question")
        .order_by("created_at")[:QUEUE_LIMIT]
    )
    pending_edits = list(
        PendingEdit.objects.select_related("question").prefetch_related(_TAGS).order_by("created_at")[:QUEUE_LIMIT]
    )
    counts = _counts()
    return {
        "crisis": crisis_lane(),
        "pending_questions": pending_questions,
        "pending_answers": pending_answers,
        "pending_comments": pending_comments,
        "flagged": flagged,
        "first_posts": first_posts,
        "pending_edits": pending_edits,
        "counts": counts,
    }


def _first_open_flag():
    return Min("flags__created_at", filter=Q(flags__status=Flag.Status.OPEN))


def _counts() -> dict:
    """How many wait in each section; a post in the crisis lane counts there only (pending: not
    the crisis lane's; reported: every open report's post, as the lane also shows reports)."""
    waiting = CRISIS_WAITING & ~Q(status="removed")
    post_counts = Question.objects.aggregate(
        pending=Count("pk", filter=Q(status=Question.Status.PENDING) & ~CRISIS_WAITING),
        crisis=Count("pk", filter=waiting),
    )
    answer_counts = Answer.objects.aggregate(
        pending=Count("pk", filter=Q(status=Answer.Status.PENDING) & ~CRISIS_WAITING),
        crisis=Count("pk", filter=waiting),
    )
    comment_counts = Comment.objects.aggregate(
        pending=Count("pk", filter=Q(status=Comment.Status.PENDING) & ~CRISIS_WAITING),
        crisis=Count("pk", filter=waiting),
    )
    flag_counts = Flag.objects.filter(status=Flag.Status.OPEN).aggregate(
        questions=Count("question", distinct=True),
        answers=Count("answer", distinct=True),
        comments=Count("comment", distinct=True),
    )
    return {
        "crisis": post_counts["crisis"] + answer_counts["crisis"] + comment_counts["crisis"],
        "pending": post_counts["pending"]
        + answer_counts["pending"]
        + comment_counts["pending"]
        + PendingEdit.objects.count(),
        "reported": flag_counts["questions"] + flag_counts["answers"] + flag_counts["comments"],
        "first_posts": FirstPostReview.objects.filter(reviewed_at__isnull=True).count(),
    }


def action_log(*, moderator: str = "", kind: str = "", since=None, until=None, page=1) -> Page:
    actions = ModerationAction.objects.select_related("moderator", "question", "answer", "comment", "target_user")
    if moderator:
        # The name as it was when the row was written, too: it outlives a deleted account.
        actions = actions.filter(Q(moderator__username__iexact=moderator) | Q(moderator_name__iexact=moderator))
    if kind:
        actions = actions.filter(kind=kind)
    if since:
        actions = actions.filter(created_at__date__gte=since)
    if until:
        actions = actions.filter(created_at__date__lte=until)
    return Paginator(actions.order_by("-created_at", "-id"), 50).get_page(page)
