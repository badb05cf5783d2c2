"""`{{ when|age }}`: how long ago, in its largest unit ("3 hours", "2 days");
`{{ when|day }}`: the local calendar day, "5 Nov 2026".

Django's `timesince` and `date` go through the translation machinery (~60-70 µs a call); a
list page shows twenty of these and a thread page one per answer: English is built here; `day` in
another language takes that language's date format from Django.
"""

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language

from forum.core.i18n import age_text, waited_text

register = template.Library()


@register.filter
def age(value, now=None) -> str:
    if not value:
        return ""
    seconds = int(((now or timezone.now()) - value).total_seconds())
    return age_text(seconds)  # "3 hours", "3 horas", in the reader's language


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.filter
def day(value) -> str:
    """What `|date:"j M Y"` gives, in the site's time zone; in another language, that language's
    own way of writing a date (Django's: "5 de noviembre de 2026", "5 نوفمبر، 2026")."""
    if not value:
        return ""
    local = timezone.localtime(value)
    language = get_language()
    if language and not language.startswith("en"):
        return formats.date_format(local, "DATE_FORMAT")
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}"


@register.filter
def waited(value, now=None) -> str:
    """How long something has waited, to the minute: "2 h 5 min", "3 d 4 h", "less than a minute"."""
    if not value:
        return ""
    minutes = max(0, int(((now or timezone.now()) - value).total_seconds()) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return waited_text(days, hours, minutes)
