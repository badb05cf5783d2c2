"""What makes a request malformed: bytes no browser sends, which would break a later step.

WSGI hands the query string and headers over as text whose characters are the raw bytes
(ISO-8859-1), so their UTF-8 can be checked exactly; Django decodes the path itself, turning
invalid UTF-8 there into percent escapes (a 404). Django would otherwise turn
invalid UTF-8 into U+FFFD silently, and pass U+0000 on to PostgreSQL, which refuses it with
an error (a 500). Text that is not made of such bytes (Django's test client puts str values
in META directly) is checked for NUL only.
"""

import re
from urllib.parse import unquote_to_bytes

# Control characters (tab aside) have no place in a Cookie header.
_COOKIE_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# A cookie name we can expire in the answer (RFC 6265 token).
_COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADERS = ("CONTENT_TYPE", "CONTENT_LENGTH")


def _raw(text: str) -> bytes | None:
    """The bytes a WSGI string stands for, or None when it is already decoded text."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return None


def clean_bytes(raw: bytes) -> bool:
    """Valid UTF-8 without NUL."""
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def clean_wsgi_text(text: str) -> bool:
    if text.isascii():
        return "\x00" not in text
    raw = _raw(text)
    return "\x00" not in text if raw is None else clean_bytes(raw)


def clean_form_encoded(data: str | bytes) -> bool:
    """A query string or urlencoded body: every name and value, once decoded, is clean."""
    raw = data if isinstance(data, bytes) else _raw(data)
    if raw is None:  # only the test client builds such a query string; it is text already
        return "\x00" not in data
    if b"%" not in raw and raw.isascii():
        return b"\x00" not in raw
    return clean_bytes(unquote_to_bytes(raw.replace(b"+", b" ")))


def _clean_multipart(request) -> bool:
    """Every field and file name without NUL; with no file in it, the whole body is valid UTF-8.

    The forum takes no uploads, so its multipart bodies are small (Django refuses one over
    DATA_UPLOAD_MAX_MEMORY_SIZE with a 400 while reading it).
    """
    body = request.body
    texts = [*request.POST.keys(), *(v for values in request.POST.lists() for v in values[1])]
    texts += [*request.FILES.keys(), *(f.name or "" for f in request.FILES.values())]
    if any("\x00" in text for text in texts):
        return False
    return bool(request.FILES) or clean_bytes(body)


def bad_cookie_names(request) -> list[str]:
    """Names of the cookies that make the request malformed (those with a name we can expire)."""
    header = request.META.get("HTTP_COOKIE", "")
    bad = []
    for chunk in header.split(";"):
        name, _, value = chunk.partition("=")
        name = name.strip()
        damaged = _COOKIE_CONTROL.search(value) or not clean_wsgi_text(value)
        if damaged and _COOKIE_NAME.fullmatch(name):
            bad.append(name)
    # Django unquotes '"…\\000…"' (an octal escape) into a NUL.
    bad += [name for name, value in request.COOKIES.items() if "\x00" in value and _COOKIE_NAME.fullmatch(name)]
    return list(dict.fromkeys(bad))


def is_malformed(request) -> bool:
    meta = request.META
    # Django has decoded the path already (invalid UTF-8 re-percent-encoded: it finds no page).
    if "\x00" in request.path or not clean_form_encoded(meta.get("QUERY_STRING", "")):
        return True
    for name, value in meta.items():
        if (name.startswith("HTTP_") or name in _HEADERS) and isinstance(value, str) and not clean_wsgi_text(value):
            return True
    if _COOKIE_CONTROL.search(meta.get("HTTP_COOKIE", "")):
        return True
    if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
        return True
    if request.method == "POST":
        if request.content_type == "application/x-www-form-urlencoded":
            return not clean_form_encoded(request.body)
        if request.content_type == "multipart/form-data":
            return not _clean_multipart(request)
    return False
