"""Emails to an accountless asker who chose to leave an address for one question (issue 14).

The address is kept only inside `AskerContact.sealed`, a Fernet token under the keys in
`ASKER_EMAIL_KEYS` (outside the database), together with the private key: the email links to
the private page, and the server keeps that key nowhere else (only its hash). So the database
alone reads neither; the key file and the database together read both, which is why the row is
deleted when the asker stops, when the question is deleted (by the asker or a moderator), and
once the thread has been quiet for `QUIET_DAYS` (`manage.py erase_quiet_asker_emails`, and the
send task itself).

The address never leaves this module except into the message the mail server receives: tasks
take ids (the task table holds no address), nothing here logs, and an error while sending is
re-raised as its class name only (the job's traceback keeps no address). Nothing shows it: no
page, not the admin (the model is not registered), not the desk or the reveal page.

The email is written in the language the page was in when the asker left the address (the
interface language then, sealed with the address: it is needed only when the email is written,
and a database reader learns nothing more); a blob sealed before languages had none: English.
"""

from __future__ import annotations

import datetime
import json
import logging
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.languages import current_language, site_language
from forum.core import effects
from forum.core.tasks import TRANSIENT, retried_task

from .models import AskerContact, Question

logger = logging.getLogger("forum.asker_mail")

QUIET_DAYS = 30
# At most one email per question in this window: the first says "new answer", the asker opens
# the page and sees everything that came after it. A retry of a failed send is not held back.
COALESCE = datetime.timedelta(minutes=10)
STOP_SALT = "forum.questions.asker_mail.stop"
EMAIL_MAX = 254
KINDS = {
    "answer": _("Your question has a new answer"),
    "comment": _("Your question has a new clarification"),
    "note": _("The moderators wrote you a note"),
}
# A moderator's supportive note (forum/desk/crisis_services.py) is sent whatever the question's
# state (a crisis question may still wait for review) and is never held back by COALESCE.
URGENT_KINDS = frozenset({"note"})


class AskerMailFailed(Exception):
    """Sending failed for a reason that is not worth retrying; the message is the error's class only."""


# --- the sealed blob -------------------------------------------------------------------------


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet_box() -> MultiFernet:
    """The keys in ASKER_EMAIL_KEYS (outside the database): the first seals, all open."""
    return _fernet(tuple(settings.ASKER_EMAIL_KEYS))


def seal(*, email: str, key: str, language: str = "") -> bytes:
    payload = {"email": email, "key": key, "language": site_language(language)}
    return fernet_box().encrypt(json.dumps(payload).encode())


def _open(sealed: bytes | memoryview) -> dict:
    return json.loads(fernet_box().decrypt(bytes(sealed)))


def unseal(sealed: bytes | memoryview) -> tuple[str, str]:
    """(address, private key). Raises InvalidToken for a blob no current key opens."""
    data = _open(sealed)
    return data["email"], data["key"]


# --- writes ----------------------------------------------------------------------------------


def _check_email(email: str) -> str:
    email = email.strip()
    # Django's messages never repeat the value, so a form error can't echo the address into a log.
    if not email or len(email) > EMAIL_MAX:
        raise ValidationError({"asker_email": _("Please enter an email address.")})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"asker_email": _("Please enter a valid email address.")}) from None
    return email


@transaction.atomic
def asker_contact_set(*, question: Question, key: str, email: str, language: str | None = None) -> AskerContact:
    """Leave (or replace) the address that is told about new answers and clarifications.

    Only for a visitor's question, and only with its private key (the email links to it). The
    emails are written in `language`, by default the interface language of the page the address
    was given on (the request's, which LocaleMiddleware activated)."""
    # The caller checked the key against the question (access.key_opens); this is the service's own check.
    if not question.key_hash or question.status == Question.Status.REMOVED:
        raise ValidationError(_("This question can't send emails."))
    email = _check_email(email)
    contact = AskerContact.objects.select_for_update().filter(question=question).first()
    sealed = seal(email=email, key=key, language=language or current_language())
    if contact is None:
        contact = AskerContact(question=question, sealed=sealed)
        contact.full_clean(exclude=["question"])
        contact.save()
    else:
        contact.sealed = sealed
        contact.created_at = timezone.now()  # a fresh wish: its 30 days start again
        contact.full_clean(exclude=["question"])
        contact.save(update_fields=["sealed", "created_at"])
    return contact


@transaction.atomic
def asker_contact_stop(*, question: Question) -> bool:
    """The asker stops the emails: the row, and so the address, is gone. True if there was one."""
    return asker_contact_erase(question_id=question.pk)


def asker_contact_erase(*, question_id: int) -> bool:
    """Delete a question's contact, if any (the asker stopped, or the question was deleted)."""
    deleted, _ = AskerContact.objects.filter(question_id=question_id).delete()
    return bool(deleted)


def asker_contact_stop_by_token(*, token: str) -> None:
    """The stop link in an email (or the mail client's one-click unsubscribe). Idempotent."""
    contact_id = contact_id_from_stop_token(token)
    AskerContact.objects.filter(pk=contact_id).delete()


def quiet_contacts(*, now: datetime.datetime | None = None):
    """Contacts whose thread and whose own wish are older than QUIET_DAYS, or whose question is deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=QUIET_DAYS)
    quiet = Q(question__last_activity_at__lt=cutoff, created_at__lt=cutoff)
    return AskerContact.objects.filter(quiet | Q(question__status=Question.Status.REMOVED))


@transaction.atomic
def erase_quiet_contacts(*, now: datetime.datetime | None = None) -> int:
    """Delete every quiet contact (manage.py erase_quiet_asker_emails). Returns how many."""
    ids = list(quiet_contacts(now=now).values_list("pk", flat=True))
    deleted, _ = AskerContact.objects.filter(pk__in=ids).delete()
    return deleted


# --- the stop token --------------------------------------------------------------------------


def stop_token(contact: AskerContact) -> str:
    return signing.dumps(contact.pk, salt=STOP_SALT)


def contact_id_from_stop_token(token: str) -> int:
    """The contact a stop link names; BadSignature for a tampered or made-up token."""
    value = signing.loads(token, salt=STOP_SALT)
    if not isinstance(value, int):
        raise signing.BadSignature("not a contact id")
    return value


# --- thread activity and the email -----------------------------------------------------------


def on_thread_activity(*, question: Question, what: str) -> None:
    """An answer or someone else's clarification became visible, or a moderator wrote the asker a
    supportive note ("note"), in the transaction that did it."""
    if not question.key_hash:  # a member's question: members have their own notifications
        return
    contact_id = AskerContact.objects.filter(question_id=question.pk).values_list("pk", flat=True).first()
    if contact_id is not None:
        effects.task(notify_asker, contact_id=contact_id, kind=what)


@retried_task
def notify_asker(*, contact_id: int, kind: str) -> None:
    """Email the asker: a line saying what happened, the private link, the stop link. Nothing quoted."""
    contact = AskerContact.objects.select_related("question").filter(pk=contact_id).first()
    if contact is None or kind not in KINDS:
        return
    question = contact.question
    now = timezone.now()
    if quiet_contacts(now=now).filter(pk=contact.pk).exists():
        asker_contact_erase(question_id=question.pk)  # quiet or deleted: forget it now, send nothing
        return
    urgent = kind in URGENT_KINDS
    if question.status != Question.Status.PUBLISHED and not urgent:
        return
    if not urgent and contact.last_sent_at is not None and now - contact.last_sent_at < COALESCE:
        return
    try:
        data = _open(contact.sealed)
        email, key, language = data["email"], data["key"], site_language(data.get("language"))
    except (InvalidToken, ValueError, KeyError):
        # Sealed under a key no longer configured: it can never be read again.
        logger.warning("asker contact %d could not be opened and was erased", contact.pk)
        asker_contact_erase(question_id=question.pk)
        return
    with translation.override(language):  # the language of the page the address was given on
        _send(contact=contact, email=email, key=key, what=str(KINDS[kind]))
    AskerContact.objects.filter(pk=contact.pk).update(last_sent_at=now)


def _send(*, contact: AskerContact, email: str, key: str, what: str) -> None:
    stop_url = f"{settings.SITE_URL}{reverse('questions:asker_email_stop_link', args=[stop_token(contact)])}"
    context = {
        "what": what,
        "question_id": contact.question_id,
        "key_url": f"{settings.SITE_URL}{reverse('questions:key', args=[key])}",
        "stop_url": stop_url,
        "site_name": settings.SITE_NAME,
        "quiet_days": QUIET_DAYS,
    }
    message = EmailMessage(
        subject=f"[{settings.SITE_NAME}] {what}",
        body=render_to_string("email/asker_activity.txt", context),
        to=[email],
        headers={"List-Unsubscribe": f"<{stop_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    try:
        message.send()
    except TRANSIENT:
        raise  # retried (forum.core.tasks), which logs and stores the class name only
    except Exception as error:
        # Anything else could carry the address in its message (a header the backend refused…).
        raise AskerMailFailed(type(error).__name__) from None
