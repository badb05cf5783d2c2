from django.shortcuts import render
from django_ratelimit.exceptions import Ratelimited


class RateLimitedMiddleware:
    """Turn django-ratelimit's exception into a readable 429 page."""

    retry_after_seconds = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Ratelimited):
            response = render(request, "429.html", {"retry_after": self.retry_after_seconds}, status=429)
            response["Retry-After"] = str(self.retry_after_seconds)
            return response
        return None


class PermissionsPolicyMiddleware:
    """Switch off browser features the forum never uses (camera, location, ...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold U+0000; a request carrying one is malformed, so answer 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest

        values = [request.path, *request.GET.values()]
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            values += request.POST.values()
        if any("\x00" in value for value in values):
            return HttpResponseBadRequest("Bad request: the address or form contains a NUL character.")
        return self.get_response(request)
