"""`{% canned_reason_picker label id %}`: a "Pick a reason" select beside a desk reason field.

Without JavaScript the server uses the picked text when the free text is empty
(forum.desk.views._reason); static/js/canned.js fills the text field as one picks."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext

from ..canned import USE_BY_LABEL, reasons_for

register = template.Library()

_SCRIPT_DONE = "_canned_script_done"
_PICKER = (
    '<label class="visually-hidden" for="{id}">{pick_for}</label>'
    '<select id="{id}" name="canned" class="canned-reason" data-canned-for="{target}">'
    '<option value="">{pick}</option>{options}</select>{script}'
)


@register.simple_tag(takes_context=True)
def canned_reason_picker(context, label: str, prefix="", pk="", use: str = "", target: str = "") -> SafeString | str:
    """The picker for the reason field `target`, by default `reason-<prefix><pk>-<label>`
    (_reason_action.html's id); `use` says which reasons suit it (else the label does).
    `label` is the button's English label (one of canned.BUTTON_LABELS): a key, shown translated."""
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
    pick_for = gettext("Pick a reason for “%(action)s”") % {"action": gettext(str(label))}
    return format_html(
        _PICKER,
        id=f"{target}-canned",
        pick_for=pick_for,
        pick=gettext("Pick a reason…"),
        target=target,
        options=options,
        script=script,
    )
