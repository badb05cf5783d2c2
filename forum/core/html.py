"""Small pieces of HTML that tags built with format_html share."""

from django.utils.html import format_html
from django.utils.safestring import SafeString

_CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
_NO_TOKEN = "NOTPROVIDED"  # noqa: S105 - the csrf context processor's value when there is no request


def csrf_input(context) -> SafeString | str:
    """What {% csrf_token %} prints, for a form built in Python."""
    token = context.get("csrf_token")
    if not token or token == _NO_TOKEN:
        return ""
    return format_html(_CSRF_INPUT, token)
