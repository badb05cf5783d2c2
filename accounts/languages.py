"""A member's language: the one every email to them is written in (issue 16).

`User.language` is the interface language the member had when they signed up
(forum.people.adapter.AccountAdapter.save_user), then the one they last chose with the language
switcher while signed in (forum.people.language_views.set_language). The workers that write
emails render them inside `translation.override(user.language)` (forum/questions/notice_emails.py,
accounts/emails.py), so a member who reads the site in Spanish gets Spanish email whatever the
language of the request that caused it (an expert answering in English, a moderator's decision).
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from .models import User


def site_language(code: str | None) -> str:
    """The site's language for a code ("es-MX" → "es"), or the default for one it doesn't speak."""
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def current_language() -> str:
    """The interface language of the request being answered (LocaleMiddleware activated it)."""
    return site_language(translation.get_language())


_NOT_LANGUAGE = [field.name for field in User._meta.fields if field.name != "language"]


@transaction.atomic
def member_language_set(*, user: User, language: str) -> User:
    """Remember the language the member chose (their emails follow it). Nothing is written for a
    language the site doesn't speak (Django's switcher lets any language Django ships through to
    the cookie) or when it is already theirs."""
    try:
        language = translation.get_supported_language_variant(language)
    except LookupError:
        return user
    if user.language == language:
        return user
    user.language = language
    user.full_clean(exclude=_NOT_LANGUAGE, validate_unique=False, validate_constraints=False)
    user.save(update_fields=["language"])
    return user
