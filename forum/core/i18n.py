"""Text with values in it, translated when it is shown rather than when the module is imported.

A form's labels, help texts and error messages are made once, at import, in no language; those
that hold a number (a limit, a count) are built with `lazy_format`, so each reader gets them in
their own language, the number formatted for it (`grouped(10_000)`: "10,000", "10 000").

Also the words of relative times ("3 hours", "less than a minute") for forum_time's filters.
"""

from collections.abc import Callable
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, gettext_noop, ngettext


def _format(message, values: dict) -> str:
    return str(message) % {name: str(value) for name, value in values.items()}


_lazy_format = lazy(_format, str)


def lazy_format(message, **values) -> str:
    """`message % values`, done when the text is shown: `lazy_format(_("Up to %(max)s."), max=MAX)`."""
    return _lazy_format(message, values)


@lru_cache(maxsize=1024)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


def gettext_once(message: str) -> str:
    """`gettext(message)`, looked up once per language: for a text shown many times a page (a
    topic's name on every row of a list). Catalogs do not change while a process runs."""
    return _translated(get_language(), message)


def _grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


grouped = lazy(_grouped, str)


# How long ago, in its largest unit (forum.core.templatetags.forum_time's `age`): one catalog
# lookup, where Django's `timesince` costs ~60 µs a call.
def _years(count: int) -> str:
    return ngettext("%(count)s year", "%(count)s years", count) % {"count": count}


def _months(count: int) -> str:
    return ngettext("%(count)s month", "%(count)s months", count) % {"count": count}


def _weeks(count: int) -> str:
    return ngettext("%(count)s week", "%(count)s weeks", count) % {"count": count}


def _days(count: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}


def _hours(count: int) -> str:
    return ngettext("%(count)s hour", "%(count)s hours", count) % {"count": count}


def _minutes(count: int) -> str:
    return ngettext("%(count)s minute", "%(count)s minutes", count) % {"count": count}


AGE_UNITS: tuple[tuple[int, Callable[[int], str]], ...] = (
    (365 * 24 * 3600, _years),
    (30 * 24 * 3600, _months),
    (7 * 24 * 3600, _weeks),
    (24 * 3600, _days),
    (3600, _hours),
    (60, _minutes),
)
LESS_THAN_A_MINUTE = gettext_noop("less than a minute")


@lru_cache(maxsize=4096)
def _age_text(language: str | None, size: int, count: int) -> str:
    """One age in `language` (the active one): a list page shows twenty, mostly the same few."""
    for unit_size, unit in AGE_UNITS:
        if unit_size == size:
            return unit(count)
    return gettext(LESS_THAN_A_MINUTE)


def age_text(seconds: int) -> str:
    """How long ago, in its largest unit: "3 hours", "2 days", "less than a minute"."""
    for size, _unit in AGE_UNITS:
        if seconds >= size:
            return _age_text(get_language(), size, seconds // size)
    return _age_text(get_language(), 0, 0)


def waited_text(days: int, hours: int, minutes: int) -> str:
    """A wait to the minute, short: "2 h 5 min", "3 d 4 h" (forum_time's `waited`)."""
    if days:
        return gettext("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return gettext("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return gettext("%(minutes)s min") % {"minutes": minutes} if minutes else gettext(LESS_THAN_A_MINUTE)
