"""Email the private link to oneself, once (issue 15): the address is used for that one email.

An accountless asker can't get their private link back from us (we keep only its hash), so the
private page offers to email it to an address they type. The address is never stored: no field,
no log line. The request seals the address, the key and the question's id together (Fernet under
`ASKER_EMAIL_KEYS`, the keys that seal `AskerContact`, which are not in the database) and queues
`send_key_link` with that token as its one argument. So the one copy of the address at rest is
that token in the job row: unreadable from the database alone, blanked by forum.core.tasks when
the job finishes, gives up or schedules a retry (the retry's own row carries it on, for at most
six attempts over about 2 h 45 min), and no longer opened at all once `LINK_TTL` has passed
since sealing, even with the keys. Finished rows are deleted by `manage.py prune_db_task_results`.

Not a spam relay: one email per question (`Question.key_link_emailed_at`), a per-source rate
limit in the view, and the email says only that someone asked for it on the site, with the link:
no question text, nothing an attacker chooses but the recipient.

The email is written in the language the private page was in when the link was asked for: the
job's second argument is that language's code (en, es, ar: the interface's, nothing personal).
"""

from __future__ import annotations

import json
import logging

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.languages import current_language, site_language
from forum.core import effects
from forum.core.tasks import TRANSIENT, retried_task
from forum.core.tokens import sha256_hex

from .asker_mail import EMAIL_MAX, fernet_box
from .models import Question

logger = logging.getLogger("forum.key_link_mail")

# Longer than every retry of forum.core.tasks (30 s + 2 min + 10 min + 30 min + 2 h).
LINK_TTL = 3 * 60 * 60
SUBJECT = _("Your private link")
# The English text (tests look for it on the page); the page shows gettext(ALREADY_SENT).
ALREADY_SENT = gettext_noop("This link was already emailed once, which is all we send. Bookmark this page to keep it.")


class KeyLinkMailFailed(Exception):
    """Sending failed for a reason not worth retrying; the message is the error's class only."""


def seal_link(*, email: str, key: str, question_id: int) -> str:
    payload = json.dumps({"email": email, "key": key, "question": question_id}).encode()
    return fernet_box().encrypt(payload).decode()


def unseal_link(sealed: str) -> tuple[str, str, int]:
    """(address, key, question id); InvalidToken when no key opens it or it is older than LINK_TTL."""
    data = json.loads(fernet_box().decrypt(sealed.encode(), ttl=LINK_TTL))
    return data["email"], data["key"], data["question"]


@transaction.atomic
def key_link_email(*, question: Question, key: str, email: str, language: str | None = None) -> Question:
    """Queue the one email of a question's private link to `email`, written in `language` (by
    default the interface language of the page it was asked from). The caller checked the key."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.key_hash or question.key_hash != sha256_hex(key) or question.status == Question.Status.REMOVED:
        raise ValidationError(_("This question has no private link to send."))
    if question.key_link_emailed_at is not None:
        raise ValidationError({"link_email": gettext(ALREADY_SENT)})
    email = email.strip()
    if not email or len(email) > EMAIL_MAX:
        raise ValidationError({"link_email": _("Please enter an email address.")})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"link_email": _("Please enter a valid email address.")}) from None
    # The day only: with a mail server's logs, an exact time would tie the address to the question.
    question.key_link_emailed_at = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    question.save(update_fields=["key_link_emailed_at"])
    sealed = seal_link(email=email, key=key, question_id=question.pk)
    effects.task(send_key_link, sealed=sealed, language=site_language(language or current_language()))
    return question


@retried_task
def send_key_link(*, sealed: str, language: str = "") -> None:
    """Send the one email: a sentence saying someone asked for it on the site, and the link."""
    try:
        email, key, question_id = unseal_link(sealed)
    except (InvalidToken, ValueError, KeyError):
        logger.warning("a private-link email could not be opened (too old, or its key is gone) and was dropped")
        return
    question = Question.objects.filter(pk=question_id).only("key_hash", "status").first()
    if question is None or question.status == Question.Status.REMOVED or question.key_hash != sha256_hex(key):
        return  # deleted meanwhile: the link opens nothing any more
    context = {"key_url": f"{settings.SITE_URL}{reverse('questions:key', args=[key])}", "site_name": settings.SITE_NAME}
    with translation.override(site_language(language)):
        message = EmailMessage(
            subject=f"[{settings.SITE_NAME}] {SUBJECT}",
            body=render_to_string("email/key_link.txt", context),
            to=[email],
        )
    try:
        message.send()
    except TRANSIENT:
        raise  # retried (forum.core.tasks), which logs and stores the class name only
    except Exception as error:
        # Anything else could carry the address in its message.
        raise KeyLinkMailFailed(type(error).__name__) from None
