from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.shortcuts import render
from django.utils.translation import ngettext
from django_ratelimit.exceptions import Ratelimited

from .malformed import bad_cookie_names, is_malformed
from .views import error_400, error_403, error_404, error_405, error_410, kept_from_this_site


def wait_in_words(seconds: int) -> str:
    """ "1 second", "45 seconds", "3 minutes" (rounded up): how long the 429 page asks to wait."""
    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


class RateLimitedMiddleware:
    """Turn a rate limit's exception into a readable 429 page that says how long to wait.

    forum.core.ratelimit's RateLimited carries the seconds left in the exceeded window; a
    bare django-ratelimit Ratelimited (nothing of ours raises one) gets the old guess.
    """

    fallback_retry_after = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Ratelimited):
            seconds = getattr(exception, "retry_after", self.fallback_retry_after)
            context = {"retry_after": seconds, "wait": wait_in_words(seconds), "kept": kept_from_this_site(request)}
            response = render(request, "429.html", context, status=429)
            response["Retry-After"] = str(seconds)
            return response
        return None


class PermissionsPolicyMiddleware:
    """Switch off browser features the forum never uses (camera, location, ...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RejectMalformedRequestsMiddleware:
    """Answer 400 (the site's page) to a request no honest client sends, before anything reads it.

    PostgreSQL text cannot hold U+0000, and a session cookie carrying one used to reach the
    session query and fail with a 500. Refused: NUL in the path; NUL or invalid UTF-8 in the
    query string, a header or cookie, or a form field (urlencoded or multipart); a Cookie header
    with control characters. A cookie that was the problem is expired in the answer, so a
    browser holding one recovers by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_malformed(request):
            response = error_400(request)
            for name in bad_cookie_names(request):
                response.delete_cookie(name)
            return with_page_headers(request, response)
        return self.get_response(request)


def with_page_headers(request, response):
    """The headers a page gets from the middleware below this point (CSP, framing, features),
    for a page answered before they run."""
    for middleware in (CSPMiddleware, XFrameOptionsMiddleware, PermissionsPolicyMiddleware):
        response = middleware(lambda request, response=response: response)(request)
    return response


class ErrorPagesMiddleware:
    """An error answered with an empty body gets the site's page for its status.

    Django's `require_POST` & co. answer a bare `HttpResponseNotAllowed` (a browser shows its own
    blank "405"); the `Allow` header is kept. Last in the stack, so the page gets every header.
    """

    pages = {400: error_400, 403: error_403, 404: error_404, 410: error_410}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if response.streaming or response.content or (status != 405 and status not in self.pages):
            return response
        if status == 405:
            return error_405(request, allowed=response.get("Allow", ""))
        return self.pages[status](request)
