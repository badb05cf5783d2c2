"""The reader's language for pages answered outside LocaleMiddleware's reach.

LocaleMiddleware activates the reader's language (the `language` cookie, else Accept-Language)
for the rest of the request, and nothing switches it off afterwards: a response made *before* it
ran (a malformed request refused second in the stack, a disallowed host) or by Django's last-resort
handler would otherwise be written in whatever language the worker's thread last served, another
reader's. The error views render inside `in_readers_language`, which makes the same choice
LocaleMiddleware makes, from the request alone (no database, no session).
"""

import functools

from django.conf import settings
from django.utils import translation


def readers_language(request) -> str:
    """LocaleMiddleware's choice for this request, made again if it has not run."""
    chosen = getattr(request, "LANGUAGE_CODE", None)
    if chosen:
        return chosen
    try:
        return translation.get_language_from_request(request)
    except Exception:  # an error page must answer whatever the request holds
        return settings.LANGUAGE_CODE


def in_readers_language(view):
    """Render the (error) view in the reader's language, whichever middleware ran before it."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override(readers_language(request)):
            return view(request, *args, **kwargs)

    return wrapped
