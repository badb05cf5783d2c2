"""Canned reasons: read once per request, whatever the number of reason fields on the page."""

from django.utils.translation import gettext_noop

from .models import CannedReason

_ON_REQUEST = "_canned_reasons"

# Which reasons a button's label suits (the desk's reason fields say what they do in their label).
USE_BY_LABEL = {
    "reject": CannedReason.Use.REJECT,
    "hide": CannedReason.Use.HIDE,
    "delete": CannedReason.Use.DELETE,
    "lock": CannedReason.Use.LOCK,
    "close as duplicate": CannedReason.Use.DUPLICATE,
    "move topics": CannedReason.Use.RETAG,
}


# The desk's action buttons (moderation/_reason_action.html and the pickers' pages): templates pass
# the English label, which keys the reason field's id and USE_BY_LABEL and is shown translated.
BUTTON_LABELS = (
    gettext_noop("Approve"),
    gettext_noop("Reject"),
    gettext_noop("Hide"),
    gettext_noop("Restore"),
    gettext_noop("Delete"),
    gettext_noop("Dismiss reports"),
    gettext_noop("Lift the author's suspension"),
    gettext_noop("Lock"),
    gettext_noop("Unlock"),
    gettext_noop("Reopen"),
    gettext_noop("Close as duplicate"),
    gettext_noop("Move topics"),
    gettext_noop("Approve edit"),
    gettext_noop("Turn down edit"),
    gettext_noop("Verify for a year"),
    gettext_noop("Revoke"),
)


def active_reasons(request) -> list[CannedReason]:
    """The active canned reasons, one query per request (kept on the request)."""
    reasons = getattr(request, _ON_REQUEST, None)
    if reasons is None:
        reasons = list(CannedReason.objects.filter(is_active=True).only("id", "label", "text", "use"))
        setattr(request, _ON_REQUEST, reasons)
    return reasons


def reasons_for(request, use: str) -> list[CannedReason]:
    return [reason for reason in active_reasons(request) if reason.use in (use, CannedReason.Use.ANY)]


def picked_text(pk: int | None) -> str:
    """The text of the canned reason picked without JavaScript (a form sent with no free text)."""
    if not pk:
        return ""
    reason = CannedReason.objects.filter(pk=pk, is_active=True).only("text").first()
    return reason.text if reason is not None else ""
