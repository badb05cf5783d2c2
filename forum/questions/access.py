"""Who may manage a question: the one access helper the asker's views go through."""

import hmac

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from forum.core.tokens import sha256_hex
from forum.moderation.access import is_moderator_session

from .models import Question

SESSION_KEY = "held_questions"


def key_opens(question: Question, key: str | None) -> bool:
    return bool(key and question.key_hash and hmac.compare_digest(sha256_hex(key), question.key_hash))


def is_asker(request, question: Question, key: str | None = None) -> bool:
    """The member who asked, whoever holds the key, or the browser session that asked."""
    if key_opens(question, key):
        return True
    if question.author_id is not None and request.user.is_authenticated and request.user.pk == question.author_id:
        return True
    return bool(question.key_hash) and question.pk in request.session.get(SESSION_KEY, [])


def check_asker(request, question: Question, key: str | None = None) -> None:
    if not is_asker(request, question, key):
        raise PermissionDenied(gettext("Only the person who asked can do that."))


def remember_in_session(request, question: Question) -> None:
    held = request.session.get(SESSION_KEY, [])
    if question.pk not in held:
        request.session[SESSION_KEY] = [*held, question.pk][-50:]


def forget_held_questions(request) -> None:
    """Called as a member signs in: the browser's anonymous questions must not join their account.

    Django keeps a session's data across login, so the ids would sit in the same session row as
    the member's id. The asker keeps their private link; the session forgets."""
    request.session.pop(SESSION_KEY, None)


def can_view(request, question: Question, key: str | None = None) -> bool:
    """Published questions are public; pending/hidden ones only for the asker and staff."""
    if question.status == Question.Status.PUBLISHED:
        return True
    if question.status == Question.Status.REMOVED:
        return False
    if request.user.is_authenticated and (request.user.is_staff or is_moderator_session(request)):
        return True
    return is_asker(request, question, key)


def can_view_answer(request, answer) -> bool:
    """An answer's own pages (its history): a published answer in a thread the reader may see;
    a held or hidden one for its author and staff; a deleted one for staff only."""
    if not can_view(request, answer.question):
        return False
    if answer.status == answer.Status.PUBLISHED:
        return True
    if request.user.is_authenticated and (request.user.is_staff or is_moderator_session(request)):
        return True
    mine = request.user.is_authenticated and answer.author_id == request.user.pk
    return mine and answer.status != answer.Status.REMOVED
