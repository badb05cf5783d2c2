"""Desk actions a moderator takes from a thread page that services.py has no room for.

`question_retag` moves a question to other topics (the same 1–5 rule as asking), logged with
the topics it left and the ones it joined; it changes no text, so the search vector stays.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from forum.core import effects
from forum.core.errors import AlreadyHandled
from forum.core.pagecache import LISTS, thread
from forum.moderation.models import ModerationAction
from forum.questions.models import MAX_TAGS, Question, Tag

QStatus = Question.Status


def _names(tags: Iterable[Tag]) -> str:
    return ", ".join(sorted(tag.name for tag in tags)) or gettext("no topic")


@transaction.atomic
def question_retag(*, moderator, question: Question, tags: Iterable[Tag], reason: str = "") -> Question:
    """Give `question` the topics `tags` (1 to MAX_TAGS existing ones).

    Invalidates the thread and, for a published question, the lists (the topic pages and feeds
    it leaves and joins, and the topic counts). Leaving a sensitive topic (one that shows crisis
    resources) needs a reason: it takes the resources off the thread."""
    chosen = {tag.pk: tag for tag in tags}
    if not 1 <= len(chosen) <= MAX_TAGS:
        raise ValidationError({"tags": gettext("Choose 1 to %(most)s topics.") % {"most": MAX_TAGS}})
    if Tag.objects.filter(pk__in=chosen).count() != len(chosen):
        raise ValidationError({"tags": gettext("Choose topics from the list.")})
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status == QStatus.REMOVED:
        raise AlreadyHandled(gettext("This question was deleted."))
    before = {tag.pk: tag for tag in question.tags.all()}
    if set(before) == set(chosen):
        raise AlreadyHandled(gettext("The question is already in these topics."))
    reason = (reason or "").strip()
    left_sensitive = [tag for pk, tag in before.items() if pk not in chosen and tag.is_sensitive]
    if left_sensitive and not reason:
        message = gettext("Say why it leaves %(topics)s: that topic shows crisis resources.")
        raise ValidationError({"reason": message % {"topics": _names(left_sensitive)}})
    published = question.status == QStatus.PUBLISHED
    if published:
        Tag.objects.filter(pk__in=set(before) - set(chosen)).update(question_count=F("question_count") - 1)
        Tag.objects.filter(pk__in=set(chosen) - set(before)).update(question_count=F("question_count") + 1)
    question.tags.set(list(chosen.values()))
    effects.pages_changed(thread(question.pk), *((LISTS,) if published else ()))
    from_topics = sorted(tag.name for tag in before.values())
    to_topics = sorted(tag.name for tag in chosen.values())
    # In English in the row; the log's pages say it in the reader's language (reason_shown).
    moved = ModerationAction.moved_between(from_topics, to_topics, translated=False)
    effects.audit(
        moderator,
        ModerationAction.Kind.RETAG,
        question=question,
        reason=f"{moved} {reason}".strip(),
        from_topics=from_topics,
        to_topics=to_topics,
    )
    return question
