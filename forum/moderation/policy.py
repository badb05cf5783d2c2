"""Checks the posting services run before they write: suspensions, source blocks, watched words.

They raise ValidationError with a readable message; nothing is written when they do.
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from forum.core.text import for_matching

from .models import FirstPostReview, SourceBlock, Suspension, WatchedWord

BLOCKED_TEXT_MESSAGE = _(
    "This post can't be published as written because it contains words our community guidelines "
    "don't allow here. Please reword it and try again."
)


def _until_format() -> str:
    """How a refusal writes when it ends ("4 December 2026, 09:30"), in the reader's language."""
    return pgettext("date format of a suspension's or block's end (Django date syntax)", "j F Y, H:i")


def active_suspension(user) -> Suspension | None:
    if user is None or not user.is_authenticated:
        return None
    now = timezone.now()
    return Suspension.objects.filter(user=user, ends_at__gt=now, lifted_at__isnull=True).order_by("-ends_at").first()


def check_member_can_post(user) -> None:
    suspension = active_suspension(user)
    if suspension is not None:
        until = date_format(timezone.localtime(suspension.ends_at), _until_format())
        message = gettext(
            "Your account is suspended until %(until)s UTC, so you can read but not post or vote. "
            "Reason given by the moderators: %(reason)s"
        )
        raise ValidationError(message % {"until": until, "reason": suspension.reason})


def check_source_can_post(source_hashes: Mapping[datetime.date, str]) -> None:
    """`source_hashes` maps recent UTC days to the request's keyed hash under that day's key."""
    if not source_hashes:
        return
    match = Q()
    for day, digest in source_hashes.items():
        match |= Q(hash_day=day, source_hash=digest)
    block = SourceBlock.objects.filter(match, ends_at__gt=timezone.now()).order_by("-ends_at").first()
    if block is not None:
        until = date_format(timezone.localtime(block.ends_at), _until_format())
        message = gettext(
            "Posting from this connection is paused until %(until)s UTC after a moderator review. "
            "You can still read the forum."
        )
        raise ValidationError(message % {"until": until})


def _compiled(phrases: list[str]) -> re.Pattern | None:
    if not phrases:
        return None
    cleaned = [for_matching(p).strip() for p in phrases]
    alternatives = "|".join(re.escape(p) for p in cleaned if p)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if alternatives else None


def screen_text(*texts: str) -> str | None:
    """Apply watched words: raise for a blocking word, return "hold" for a holding word, else None."""
    return screen_post(*texts).action


@dataclass(frozen=True)
class Screening:
    action: str | None  # "hold", or None
    crisis: bool  # the text mentions a crisis phrase: the post goes to the desk's crisis lane


def screen_post(*texts: str) -> Screening:
    """Watched words in one query: raise for a blocking word; say whether to hold the post, and
    whether it mentions a crisis phrase."""
    words = list(WatchedWord.objects.values_list("phrase", "action"))
    crisis = _compiled([p for p, a in words if a == WatchedWord.Action.CRISIS])
    text = _matchable(*texts)
    return Screening(action=_screen_words(words, text), crisis=bool(crisis and crisis.search(text)))


def _matchable(*texts: str) -> str:
    """The texts as watched words see them: NFC, no invisible characters ("k\\u200bill" is "kill")."""
    return for_matching("\n".join(texts))


def _screen_words(words: list[tuple[str, str]], *texts: str) -> str | None:
    text = _matchable(*texts)
    blocking = _compiled([p for p, a in words if a == WatchedWord.Action.BLOCK])
    if blocking and blocking.search(text):
        raise ValidationError(BLOCKED_TEXT_MESSAGE)
    holding = _compiled([p for p, a in words if a == WatchedWord.Action.HOLD])
    if holding and holding.search(text):
        return "hold"
    return None


def crisis_phrases() -> list[str]:
    return list(WatchedWord.objects.filter(action=WatchedWord.Action.CRISIS).values_list("phrase", flat=True))


def mentions_crisis(*texts: str) -> bool:
    pattern = _compiled(crisis_phrases())
    return bool(pattern and pattern.search(_matchable(*texts)))


def crisis_mark(post, *, crisis: bool, now: datetime.datetime | None = None) -> list[str]:
    """Put a post whose new text mentions a crisis phrase (`crisis`, from screen_post) in the
    crisis lane: it waits from now, or keeps its place when it is already waiting. Returns the
    fields changed, for the caller's save(update_fields=...)."""
    if not crisis or (post.crisis_at is not None and post.crisis_handled_at is None):
        return []
    post.crisis_at = now or timezone.now()
    post.crisis_handled_at = None
    return ["crisis_at", "crisis_handled_at"]


def note_first_post(*, author, question=None, answer=None) -> None:
    """List a member's very first post once in the queue.

    Anonymous questions never count either way: "first post of a new member" next to an
    anonymous question, or missing from a later named post, would tell moderators about the
    account behind it."""
    if author is None or (question is not None and question.is_anonymous):
        return
    # Through the member's own relations: this floor imports neither posts' app.
    earlier_questions = author.questions.filter(is_anonymous=False).exclude(pk=getattr(question, "pk", None)).exists()
    earlier_answers = author.answers.exclude(pk=getattr(answer, "pk", None)).exists()
    if not earlier_questions and not earlier_answers:
        FirstPostReview.objects.create(question=question, answer=answer)
