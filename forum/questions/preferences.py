"""A member's notification choices: the channels, their defaults, changing them, and the signed
one-click unsubscribe token that turns one channel's email off.

A channel is a kind of news as the member sees it: answers and clarifications on *their own*
questions, on *other* threads they follow, their answer accepted, decisions about their posts or
expert application, and (verified experts) new questions in their areas of practice. A member
with no NotificationPreference row has the model's defaults; a row is written the first time
they save their choices or unsubscribe.
"""

from django.core import signing
from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from .models import Notification, NotificationPreference

Kind = Notification.Kind


class Channel(TextChoices):
    MY_QUESTIONS = "my_questions", _("answers and clarifications on questions you asked")
    FOLLOWED = "followed", _("answers and clarifications on other threads you follow")
    ACCEPTED = "accepted", _("your answer marked as the one that helped")
    DECISIONS = "decisions", _("moderators' decisions on your posts and expert application")
    EXPERT_QUESTIONS = "expert_questions", _("new questions in your areas of practice")


# The model's field for each channel's in-site switch (decisions always show) and email switch.
SITE_FIELDS = {
    Channel.MY_QUESTIONS: "my_questions_site",
    Channel.FOLLOWED: "followed_site",
    Channel.ACCEPTED: "accepted_site",
}
EMAIL_FIELDS = {
    Channel.MY_QUESTIONS: "my_questions_email",
    Channel.FOLLOWED: "followed_email",
    Channel.ACCEPTED: "accepted_email",
    Channel.DECISIONS: "decisions_email",
}
THREAD_KINDS = frozenset({Kind.NEW_ANSWER, Kind.EXPERT_ANSWER, Kind.NEW_COMMENT})


def channel_of(kind: str, *, asker: bool = False) -> Channel:
    """The channel of a notice; for thread activity, whether it goes to the thread's asker."""
    if kind in THREAD_KINDS:
        return Channel.MY_QUESTIONS if asker else Channel.FOLLOWED
    if kind == Kind.ANSWER_ACCEPTED:
        return Channel.ACCEPTED
    if kind == Kind.NEW_QUESTION:
        return Channel.EXPERT_QUESTIONS
    return Channel.DECISIONS


def shows_in_site(preference: NotificationPreference, channel: Channel) -> bool:
    field = SITE_FIELDS.get(channel)
    if channel == Channel.EXPERT_QUESTIONS:
        return preference.expert_questions != NotificationPreference.ExpertQuestions.OFF
    return True if field is None else getattr(preference, field)


def emails(preference: NotificationPreference, channel: Channel) -> bool:
    """Whether this channel's news is emailed one by one (a daily digest is not)."""
    if channel == Channel.EXPERT_QUESTIONS:
        return preference.expert_questions == NotificationPreference.ExpertQuestions.AT_ONCE
    return getattr(preference, EMAIL_FIELDS[channel])


def preference_for(user_id: int) -> NotificationPreference:
    """The member's choices (one query); the defaults if they never changed them."""
    found = NotificationPreference.objects.filter(user_id=user_id).first()
    return found or NotificationPreference(user_id=user_id)


def from_row(row: dict, prefix: str) -> NotificationPreference:
    """Choices read through a join (`<prefix>my_questions_site`, …), NULL meaning the default."""
    preference = NotificationPreference()
    for field in [*SITE_FIELDS.values(), *EMAIL_FIELDS.values(), "expert_questions"]:
        value = row.get(prefix + field)
        if value is not None:
            setattr(preference, field, value)
    return preference


def joined_fields(prefix: str) -> list[str]:
    """The lookups of every switch through a join to the member (see from_row)."""
    return [prefix + field for field in [*SITE_FIELDS.values(), *EMAIL_FIELDS.values(), "expert_questions"]]


@transaction.atomic
def preferences_set(*, user_id: int, **choices) -> NotificationPreference:
    """Save a member's choices (any of the model's switches); the others keep their value."""
    allowed = {*SITE_FIELDS.values(), *EMAIL_FIELDS.values(), "expert_questions"}
    unknown = set(choices) - allowed
    if unknown:
        raise ValueError(f"Not a notification choice: {sorted(unknown)}")
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user_id=user_id)
    for name, value in choices.items():
        setattr(preference, name, value)
    preference.full_clean(exclude=["user"])
    preference.save(update_fields=sorted(choices) or None)
    return preference


def email_off(*, user_id: int, channel: Channel) -> NotificationPreference:
    """Turn one channel's email off (the unsubscribe link)."""
    if channel == Channel.EXPERT_QUESTIONS:
        return preferences_set(user_id=user_id, expert_questions=NotificationPreference.ExpertQuestions.OFF)
    return preferences_set(user_id=user_id, **{EMAIL_FIELDS[channel]: False})


# --- the unsubscribe link ------------------------------------------------------------------------
# A signed [member id, channel] under its own salt: it can only turn that member's email of that
# channel off (nothing else, nobody else), needs no sign-in, and does not expire (a years-old email
# must still unsubscribe, as RFC 8058 expects). Forging one needs SECRET_KEY.

UNSUBSCRIBE_SALT = "forum.questions.preferences.unsubscribe"


def unsubscribe_token(*, user_id: int, channel: Channel) -> str:
    return signing.dumps([user_id, str(channel)], salt=UNSUBSCRIBE_SALT, compress=False)


def read_unsubscribe_token(token: str) -> tuple[int, Channel] | None:
    try:
        user_id, channel = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or channel not in Channel.values:
        return None
    return user_id, Channel(channel)
