"""`{% canned_reason_picker label id %}`: a "Pick a reason" select beside a desk reason field.

Without JavaScript the server uses the picked text when the free text is empty
(forum.desk.views._reason); static/js/canned.js fills the text field as one picks."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify

from ..canned import USE_BY_LABEL, reasons_for

register = template.Library()

_SCRIPT_DONE = "_canned_script_done"
_PICKER = (
    '<label class="visually-hidden" for="{id}">Pick a reason for “{label}”</label>'
    '<select id="{id}" name="canned" class="canned-reason" data-canned-for="{target}">'
    '<option value="">Pick a reason…</option>{options}</select>{script}'
)


@register.simple_tag(takes_context=True)
def canned_reason_picker(context, label: str, prefix="", pk="", use: str = "", target: str = "") -> SafeString | str:
    """The picker for the reason field `target`, by default `reason-<prefix><pk>-<label>`
    (_reason_action.html's id); `use` says which reasons suit it (else the label does)."""
    target = target or f"reason-{prefix}{pk}-{slugify(label)}"
    request = context.get("request")
    if request is None:
        return ""
    use = use or USE_BY_LABEL.get(str(label).lower(), "any")
    reasons = reasons_for(request, use)
    if not reasons:
        return ""
    options = format_html_join(
        "", '<option value="{}" data-text="{}">{}</option>', ((r.pk, r.text, r.label) for r in reasons)
    )
    script = ""
    if not getattr(request, _SCRIPT_DONE, False):
        setattr(request, _SCRIPT_DONE, True)
        script = format_html('<script src="{}" defer></script>', static("js/canned.js"))
    return format_html(_PICKER, id=f"{target}-canned", label=label, target=target, options=options, script=script)
