"""`{% filter sentence_case %}…{% endfilter %}`: allauth's title-cased headings, buttons and page titles
("Two-Factor Authentication", "Change Password") in the site's sentence case ("Two-factor
authentication", "Change password"), without copying each of allauth's templates.

Only the first word keeps its capital. Words in capitals (TOTP) or with a capital inside
(WebAuthn), "I", and the words of the site's name stay as written; markup inside is untouched.
The space around the text goes (allauth's title blocks come with line breaks).
"""

import re

from django import template
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _kept() -> set[str]:
    return {"I", *settings.SITE_NAME.split()}


def sentence_case_text(text: str) -> str:
    kept, first = _kept(), True
    parts = _TAG_OR_TEXT.split(text)
    for i, part in enumerate(parts):
        if part.startswith("<"):
            continue

        def lower(match: re.Match) -> str:
            nonlocal first
            word = match.group(0)
            if first:
                first = False
                return word
            if word in kept or not word[0].isupper() or not word[1:].islower():
                return word
            return word[0].lower() + word[1:]

        parts[i] = _WORD.sub(lower, part)
    return "".join(parts)


@register.filter(is_safe=True)
def sentence_case(value) -> SafeString | str:
    result = sentence_case_text(str(value).strip())
    return mark_safe(result) if isinstance(value, SafeString) else result  # noqa: S308 - only letters' case changed
