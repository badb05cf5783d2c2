"""Whole-page caching for visitors who are not signed in: the bulk of the traffic.

A page is cached only for a request with no session and no messages cookie (so no asker
tools, no flash messages, no CSRF token on the page) and only when it answered 200. Its key
carries the *content generation*, a value that changes after every POST anywhere on the site
(ContentGenerationMiddleware) and after periodic jobs: every state change in the forum is a
POST, so a reader never gets a page from before a change — a hidden or deleted post is gone
from the very next request. Between changes, pages are served from the cache.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "forum:content-generation"


def content_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def bump_content_generation() -> None:
    """Invalidate every cached page at once (a new value, not an increment: no race to lose)."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def changes_no_content(view):
    """Mark a POST view that reads only (a preview, a lookup): it leaves visitors' cached pages valid."""
    view.changes_no_content = True
    return view


def request_may_change_content(request) -> bool:
    """Every POST may change what readers see, unless its view is marked with changes_no_content."""
    if request.method != "POST":
        return False
    match = getattr(request, "resolver_match", None)
    return not (match is not None and getattr(match.func, "changes_no_content", False))


def _cacheable(request) -> bool:
    return (
        settings.FORUM_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def cache_page_for_visitors(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        key = f"forum:page:{content_generation()}:{hashlib.sha256(address.encode()).hexdigest()}"
        cached = cache.get(key)
        if cached is not None:
            response = HttpResponse(cached)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, response.content, settings.FORUM_PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper
