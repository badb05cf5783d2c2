"""/help/: every crisis resource, by country and language, filtered without JavaScript; and the
reader's region for the crisis box (from the browser's Accept-Language, never stored)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from forum.core.pagecache import cache_page_for_visitors, may_keep_for_visitors
from forum.moderation import places

from . import crisis_selectors

_MAX_HEADER = 500  # characters of Accept-Language read: enough for any real browser's list


def reader_region(request) -> str:
    """The country the browser's Accept-Language names ("es-MX" → "MX"): the first region of a
    tag in the interface language, else the first region at all; "" when none — and always ""
    for a page kept in the visitor cache, which is shared by every region (one per language)."""
    if may_keep_for_visitors(request):
        return ""
    language = (get_language() or "").split("-")[0].lower()
    tags = []
    for position, item in enumerate(request.headers.get("Accept-Language", "")[:_MAX_HEADER].split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        tags.append((-quality, position, tag.strip().split("-")))
    regions = [
        (parts[0].lower(), region.upper())
        for _, _, parts in sorted(tags)
        for region in parts[1:]
        if len(region) == 2 and region.isascii() and region.isalpha()
    ]
    mine = [region for tag_language, region in regions if tag_language == language]
    found = (mine or [region for _, region in regions])[:1]
    return found[0] if found and found[0] in places.COUNTRIES else ""


def _help_scopes(request, kwargs) -> tuple[str, ...]:
    # Only what every page shows (EVERYTHING): a change to a resource in the admin moves it,
    # since sensitive threads show the lines too (forum/desk/admin.py CrisisResourceAdmin).
    return ()


@require_safe
@cache_page_for_visitors(_help_scopes)
def crisis_help(request):
    country = request.GET.get("country", "")
    language = request.GET.get("language", "")
    # An unknown filter is a 404, not a page: the visitor cache keeps no page per made-up value.
    if (country and country not in places.COUNTRIES) or (language and language not in places.RESOURCE_LANGUAGES):
        raise Http404
    page = crisis_selectors.help_page(country=country, language=language)
    context = {"page": page, "country": country, "language": language, "filtered": bool(country or language)}
    return render(request, "questions/crisis_help.html", context)


def crisis_lines(request) -> list:
    """The crisis box's lines for this reader (their language, their region when the page is theirs alone)."""
    return crisis_selectors.crisis_resources(region=reader_region(request))
