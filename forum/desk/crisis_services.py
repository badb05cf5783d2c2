"""The crisis lane's own actions: a supportive note to the asker, "mark as seen".

Approving, rejecting, hiding (every logged decision on the post, ModerationAction.CRISIS_HANDLING_KINDS)
takes a post out of the lane too: the audit writer does it (forum/moderation/audit.py).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from forum.answers.models import Answer, Comment
from forum.core import effects
from forum.core.errors import AlreadyHandled
from forum.core.markdown import render_inline_markdown
from forum.moderation.models import ModerationAction
from forum.questions import notifications
from forum.questions.models import SUPPORT_NOTE_MAX, Question, SupportNote

Kind = ModerationAction.Kind
SUPPORT_NOTE_MIN = 20

# Starting points a moderator may pick and adapt (the note page offers them; nothing is sent unread),
# in English here and in the moderator's language on the page (gettext(note)).
CANNED_NOTES = (
    gettext_noop(
        "Thank you for telling us. What you are feeling matters, and you don't have to carry it alone. "
        "If you are in danger now, please call your local emergency number or one of the help lines on this page."
    ),
    gettext_noop(
        "We read your message and we are glad you reached out. The help lines on this page are free and "
        "confidential, and someone there can talk with you right now, day or night."
    ),
    gettext_noop(
        "You are not alone in this. A person at one of the help lines on this page can listen today. "
        "Your question is still here, and people on the forum will answer it."
    ),
)


@transaction.atomic
def support_note_write(*, moderator, question: Question, body: str, comment: Comment | None = None) -> SupportNote:
    """Write the asker of `question` a supportive note, on any status but deleted. It shows on their
    private page signed "the moderators" and reaches them by email if they left an address (a
    member: a notice, and an email as they chose). `comment`: the asker's clarification it answers."""
    body = (body or "").strip()
    if len(body) < SUPPORT_NOTE_MIN:
        raise ValidationError(
            {"body": gettext("Please write at least %(least)s characters.") % {"least": SUPPORT_NOTE_MIN}}
        )
    if len(body) > SUPPORT_NOTE_MAX:
        raise ValidationError(
            {"body": gettext("Please keep the note under %(most)s characters.") % {"most": SUPPORT_NOTE_MAX}}
        )
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status == Question.Status.REMOVED:
        raise ValidationError(gettext("This question was deleted: there is no one to write to."))
    if comment is not None and (comment.question_id != question.pk or not comment.by_asker):
        raise ValidationError(gettext("A note answers the asker's own clarification on this question only."))
    note = SupportNote(question=question, body=body, body_html=render_inline_markdown(body), written_by=moderator)
    note.full_clean(exclude=["question", "written_by"])
    note.save()
    # The log names the moderator (accountability) and not the note's words (they are the asker's to read).
    effects.audit(moderator, Kind.SUPPORT_NOTE, question=question, comment=comment, note=note.pk)
    notifications.announce_support_note(question=question, body=body)
    return note


@transaction.atomic
def crisis_mark_seen(*, moderator, post: Question | Answer | Comment, reason: str = "") -> None:
    """A moderator read a post in the crisis lane and nothing else is needed: it leaves the lane (logged)."""
    post = type(post).objects.select_for_update(of=("self",)).get(pk=post.pk)
    if post.crisis_at is None or post.crisis_handled_at is not None:
        raise AlreadyHandled(gettext("This post is no longer in the crisis lane: someone already handled it."))
    target = {"comment": post} if isinstance(post, Comment) else {"answer": post}
    if isinstance(post, Question):
        target = {"question": post}
    effects.audit(moderator, Kind.CRISIS_SEEN, reason=reason, **target)
