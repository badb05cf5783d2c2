"""Keyed hashes of request sources, so that no raw IP address is ever stored.

The hash is an HMAC of the client address under a key derived from SECRET_KEY and the
current UTC date: it is stable within a day (enough for rate limits and short blocks) and
cannot be linked across days or reversed without the secret.

The client address is the direct peer's (REMOTE_ADDR), unless that peer is one of our own
reverse proxies (settings.TRUSTED_PROXIES): then it is the address those proxies recorded in
X-Forwarded-For (`client_address`). Nothing here writes an address anywhere.
"""

import datetime
import functools
import hashlib
import hmac
import ipaddress

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# A longer chain than this is not one of ours; only its right end is read.
MAX_FORWARDED_HOPS = 16
# IPv6 hosts are given a /64 each: one person's addresses count as one source.
IPV6_SOURCE_PREFIX = 64


def parse_address(text: str) -> Address | None:
    """An IP address from a REMOTE_ADDR or X-Forwarded-For entry, or None when it isn't one.

    Accepts "[2001:db8::1]:443" and "203.0.113.9:8080" (some proxies add the port);
    IPv4-mapped IPv6 addresses count as the IPv4 address they carry.
    """
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def is_trusted_proxy(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The address of the client behind our proxies: the one address every rate limit and hash uses.

    X-Forwarded-For is read only when the direct peer is a trusted proxy. It is walked from
    the right (the entry our nearest proxy appended) past addresses that are themselves
    trusted proxies; the first other address is the client. A client can prepend what it
    likes, but never past the entry our proxy wrote. A chain with nothing but proxies, or
    with something that isn't an address where the client should be, falls back to the peer.
    """
    peer = parse_address(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return "unknown"
    if not settings.TRUSTED_PROXIES or not is_trusted_proxy(peer):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")[-MAX_FORWARDED_HOPS:]):
        hop = parse_address(entry)
        if hop is None:
            break
        if not is_trusted_proxy(hop):
            return str(hop)
    return str(peer)


def _source(address: str) -> str:
    """What a source hash is taken of: the address, or for IPv6 its /64 network (one subscriber)."""
    parsed = parse_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, IPV6_SOURCE_PREFIX), strict=False))
    return address


def _daily_key(day: datetime.date) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"source:{day.isoformat()}".encode(), hashlib.sha256).digest()


def _hash(source: str, day: datetime.date) -> str:
    return hmac.new(_daily_key(day), source.encode(), hashlib.sha256).hexdigest()


def source_hash(request, *, day: datetime.date | None = None) -> str:
    """A keyed, daily-rotating hash of the request's source (see client_address)."""
    return _hash(_source(client_address(request)), day or datetime.datetime.now(datetime.UTC).date())


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
    source = _source(client_address(request))
    return {today - datetime.timedelta(days=n): _hash(source, today - datetime.timedelta(days=n)) for n in range(days)}
