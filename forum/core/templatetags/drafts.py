"""`{% draft_owner %}` in a signed-in member's form: the mark that lets their text outlive an
ended session (forum/core/drafts.py). Nothing for a visitor."""

from django import template
from django.utils.safestring import SafeString

from forum.core.drafts import owner_input

register = template.Library()


@register.simple_tag(takes_context=True)
def draft_owner(context) -> SafeString | str:
    return owner_input(context)
