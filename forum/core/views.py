import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views import i18n
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from .markdown import render_markdown
from .pagecache import changes_no_content
from .privacy import ratelimit_key
from .ratelimit import ratelimit
from .reader_language import in_readers_language

# The longest text any form takes (an answer, a moderator's edit); a question's limit is lower.
# Written here, not imported: the core imports no app (tests/core/test_markdown_cost.py checks they agree).
PREVIEW_MAX = 20_000
logger = logging.getLogger("forum.availability")

ROBOTS = """User-agent: *
Disallow: /questions/key/
Disallow: /accounts/
Disallow: /moderation/
Disallow: /admin/
Disallow: /markdownx/
Sitemap: {sitemap}
"""


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 otherwise; never any detail."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))  # the index, which lists every section's pages
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain")


@require_safe
def favicon(request):
    # Browsers ask for /favicon.ico whatever the page says; send them to the hashed static file
    # (scripts/make_icons.py draws it from the mark).
    return HttpResponsePermanentRedirect(static("favicon.ico"))


# Visitors' pages are cached and carry no CSRF token, so the language switcher's form can't send
# one. The most a forged POST can do is change the reader's interface language (visible, undone
# in one click); `next` is checked by Django's view (this host only). docs/threat-model.md.
@csrf_exempt
@require_POST
def set_language(request):
    """The language switcher (a form of buttons, no JavaScript needed): sets the language cookie."""
    return i18n.set_language(request)


_catalog = i18n.JavaScriptCatalog.as_view(domain="djangojs")


@require_safe
@cache_control(public=True, max_age=3600)
def javascript_catalog(request, language):
    """The scripts' translations (gettext() in static/js), one address per language so that a
    browser or proxy never keeps one language's catalog for another."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        return _catalog(request)


@require_safe
def page(request, template):
    return render(request, template)


@in_readers_language
def error_400(request, exception=None):
    """Malformed requests (RejectMalformedRequestsMiddleware, Django's own checks): the site's page, no detail."""
    return render(request, "400.html", status=400)


@in_readers_language
def error_403(request, exception=None):
    return render(request, "403.html", status=403)


@in_readers_language
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@in_readers_language
def error_405(request, allowed: str = ""):
    """A method the address does not take (a bookmark of a POST-only action): ErrorPagesMiddleware."""
    response = render(request, "405.html", {"allowed": allowed}, status=405)
    if allowed:
        response["Allow"] = allowed
    return response


@in_readers_language
def error_410(request):
    return render(request, "410.html", status=410)


# What a person typed is shown back to them on the 503 and CSRF pages, so nothing they wrote is lost.
KEPT_FIELDS = ("title", "body")


def _kept(request) -> dict[str, str]:
    if request.method != "POST":
        return {}
    return {name: request.POST.get(name, "") for name in KEPT_FIELDS if request.POST.get(name)}


def _from_this_site(request) -> bool:
    """The form was sent from one of our pages (Origin, else Referer): not a forged cross-site post."""
    here = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("Origin")
    if origin:
        return origin == here
    referer = request.headers.get("Referer", "")
    return referer == here or referer.startswith(here + "/")


def kept_from_this_site(request) -> dict[str, str]:
    """The title and body of a refused POST, to show back, if the form came from one of our pages."""
    return _kept(request) if _from_this_site(request) else {}


@in_readers_language
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a page of the site's, saying what happened, with the person's text.

    The text comes back only to a form sent from this site (a page left open past a sign-in
    elsewhere, cookies cleared): a post forged by another site would otherwise put its words on
    one of our pages. Nothing is logged but the status; `reason` is never shown."""
    response = render(request, "403_csrf.html", {"kept": kept_from_this_site(request)}, status=403)
    response["Cache-Control"] = "no-store"
    return response


def _layout_context(**context) -> dict:
    """What base.html needs, without a request: no context processor runs, so no query."""
    return {"SITE_NAME": settings.SITE_NAME, **context}


def render_without_database(template: str, context: dict, fallback: str) -> str:
    """The site's layout, or, if rendering it fails in any way, a plain page: the last resort must answer."""
    try:
        return loader.render_to_string(template, _layout_context(**context))
    except Exception:  # an error page must not raise
        logger.exception("error page %s failed to render", template)
        home = gettext("Go to the front page")
        lang = f"<html lang='{translation.get_language()}' dir='{'rtl' if translation.get_language_bidi() else 'ltr'}'>"
        return f"<!DOCTYPE html>{lang}<title>{fallback}</title><h1>{fallback}</h1><p><a href='/'>{home}</a></p>"


@in_readers_language
def error_500(request):
    """The last resort. A lost database gets a calm 503 instead; neither page touches the database.

    Django calls this inside its exception handler for errors raised anywhere in the stack
    (views and middleware alike), so sys.exc_info() names the cause. Every write runs in a
    transaction the error aborted, so nothing is half-written; Django's connection health
    checks reconnect by themselves once PostgreSQL is back.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        logger.error("database unavailable: %s", type(error).__name__)
        is_write = request.method == "POST"
        context = {"kept": _kept(request), "is_write": is_write}
        page = render_without_database("503.html", context, gettext("Back in a moment"))
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponse(render_without_database("500.html", {}, gettext("Something went wrong")), status=500)


@changes_no_content
@require_POST
@ratelimit(key=ratelimit_key, rate="60/m", block=True)
def markdown_preview(request):
    """markdownx's live preview, rendered by our sanitizing function (never markdownx's own).

    Longer text than any form takes gets a 413 whose message markdownx shows in the preview.
    """
    content = request.POST.get("content", "")
    if len(content) > PREVIEW_MAX:
        message = format_html(
            "<p><strong>Too long to preview.</strong> A post can be up to {} characters; this text has {}.</p>",
            f"{PREVIEW_MAX:,}",
            f"{len(content):,}",
        )
        return HttpResponse(message, status=413)
    return HttpResponse(render_markdown(content))
