"""`{{ when|age }}`: how long ago, in its largest unit ("3 hours", "2 days").

Django's `timesince` gives two units through the translation machinery (~60 µs a call); a
list page shows twenty of these, and a moderator's queue more. The forum speaks English.
"""

from django import template
from django.utils import timezone

register = template.Library()

_UNITS = (
    (365 * 24 * 3600, "year"),
    (30 * 24 * 3600, "month"),
    (7 * 24 * 3600, "week"),
    (24 * 3600, "day"),
    (3600, "hour"),
    (60, "minute"),
)


@register.filter
def age(value, now=None) -> str:
    if not value:
        return ""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    for size, name in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {name}{'' if count == 1 else 's'}"
    return "less than a minute"
