"""`{{ when|age }}`: how long ago, in its largest unit ("3 hours", "2 days");
`{{ when|day }}`: the local calendar day, "5 Nov 2026".

Django's `timesince` and `date` go through the whole formatting machinery (~60-70 µs a call); a
list page shows twenty of these and a thread page one per answer. These make one catalog lookup
(ngettext, or the month's abbreviation from Django's own catalogs), so they read in the reader's
language ("3 horas", "5 Nov 2026", "٣ ساعات") at a fraction of that cost. Pages put them in a
sentence that is itself translated ("asked %(age)s ago": "hace %(age)s").
"""

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext, ngettext

register = template.Library()


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


_UNITS = (
    (365 * 24 * 3600, _years),
    (30 * 24 * 3600, _months),
    (7 * 24 * 3600, _weeks),
    (24 * 3600, _days),
    (3600, _hours),
    (60, _minutes),
)


@register.filter
def age(value, now=None) -> str:
    if not value:
        return ""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    for size, name in _UNITS:
        if seconds >= size:
            return name(seconds // size)
    return gettext("less than a minute")


@register.filter
def day(value) -> str:
    """What `|date:"j M Y"` gives, in the site's time zone and the reader's language."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {str(MONTHS_3[local.month]).title()} {local.year}"


@register.filter
def waited(value, now=None) -> str:
    """How long something has waited, to the minute: "2 h 5 min", "3 d 4 h", "less than a minute"."""
    if not value:
        return ""
    minutes = max(0, int(((now or timezone.now()) - value).total_seconds()) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return gettext("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return gettext("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return gettext("%(minutes)s min") % {"minutes": minutes} if minutes else gettext("less than a minute")
