"""Secrets handed to people, of which we keep only hashes."""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings


def new_form_token() -> str:
    """128 random bits for an ask form; the question key is derived from it."""
    return secrets.token_urlsafe(16)


def question_key_from_form_token(form_token: str) -> str:
    """The private question key: a keyed hash of the form's 128-bit random token.

    Deriving it (instead of drawing a second random value) lets a double-submitted form lead
    to the same key page without the server ever storing the key or the token. Only their
    sha256 digests are stored.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), f"question-key:{form_token}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
