"""Keyed hashes of request sources, so that no raw IP address is ever stored.

The hash is an HMAC of the client address under a key derived from SECRET_KEY and the
current UTC date: it is stable within a day (enough for rate limits and short blocks) and
cannot be linked across days or reversed without the secret.
"""

import datetime
import hashlib
import hmac

from django.conf import settings


def _daily_key(day: datetime.date) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"source:{day.isoformat()}".encode(), hashlib.sha256).digest()


def source_hash(request, *, day: datetime.date | None = None) -> str:
    """A keyed, daily-rotating hash of the request's source address."""
    day = day or datetime.datetime.now(datetime.UTC).date()
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(_daily_key(day), address.encode(), hashlib.sha256).hexdigest()


def ratelimit_key(group, request) -> str:
    """django-ratelimit key: the member's id when signed in, else the keyed source hash."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"src:{source_hash(request)}"


BLOCK_LOOKBACK_DAYS = 8


def recent_source_hashes(request, *, days: int = BLOCK_LOOKBACK_DAYS) -> dict[datetime.date, str]:
    """The request's source hash under each of the last `days` daily keys.

    A block stores the hash from the day a post was made; comparing under that day's key
    recognises the same source later in the week without ever keeping its address.
    """
    today = datetime.datetime.now(datetime.UTC).date()
    return {
        today - datetime.timedelta(days=n): source_hash(request, day=today - datetime.timedelta(days=n))
        for n in range(days)
    }
