"""Which help lines a reader sees: the crisis box (ask page, sensitive threads, the crisis wait
on the private page and clarifications) and the page of every line, /help/."""

import dataclasses

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import get_language

from forum.moderation import places
from forum.moderation.models import CrisisResource

# At most this many lines in the crisis box; /help/ lists them all. 8 keeps the international
# directory in the box of a Spanish reader without a region (the language's country lines and
# the four international starter lines of moderation/0002).
CRISIS_SHOWN = 8
_FIELDS = ("name", "description", "contact", "url", "position", "language", "country")


def crisis_resources(*, region: str = "") -> list[CrisisResource]:
    """The lines for the reader's interface language, in one query, at most CRISIS_SHOWN:

    0. in their language, for their region's country (es-MX → MX), when the region is known;
    1. for every language, in their region's country;
    2. in their language, without a country;
    3. in their language, for other countries;
    4. international (no language, no country).
    Lines for every language in another country, and in other languages, are left for /help/.
    """
    language = (get_language() or "").lower()
    region = region.upper()
    whens, mine = [], Q(language=language) | Q(language="", country="")
    if region:
        whens += [When(language=language, country=region, then=Value(0))]
        whens += [When(language="", country=region, then=Value(1))]
        mine |= Q(language="", country=region)
    whens += [When(language=language, country="", then=Value(2)), When(language=language, then=Value(3))]
    rank = Case(*whens, default=Value(4), output_field=IntegerField())
    return list(
        CrisisResource.objects.filter(mine)
        .only(*_FIELDS)
        .annotate(rank=rank)
        .order_by("rank", "position", "name")[:CRISIS_SHOWN]
    )


@dataclasses.dataclass
class Place:
    """One country's lines on /help/ ("International" for the lines without a country)."""

    country: str
    name: str
    resources: list[CrisisResource]


@dataclasses.dataclass
class HelpPage:
    places: list[Place]
    countries: list[tuple[str, str]]  # the filter's choices: only those with a line, by name
    languages: list[tuple[str, str]]


def help_page(*, country: str = "", language: str = "") -> HelpPage:
    """Every line, grouped by country (international first, then by name in the reader's
    language), narrowed to a country (its lines and the international ones) and a language (its
    lines and those for every language). One query, whatever the filter."""
    everything = list(CrisisResource.objects.only(*_FIELDS).order_by("country", "language", "position", "name"))
    shown = [
        r
        for r in everything
        if (not country or r.country in ("", country)) and (not language or r.language in ("", language))
    ]
    grouped: dict[str, list[CrisisResource]] = {}
    for resource in shown:
        grouped.setdefault(resource.country, []).append(resource)
    found = [Place(code, places.country_name(code), lines) for code, lines in grouped.items()]
    found.sort(key=lambda place: (place.country != "", place.name.casefold()))
    countries = sorted({(r.country, places.country_name(r.country)) for r in everything if r.country}, key=_by_name)
    languages = sorted({(r.language, places.language_name(r.language)) for r in everything if r.language}, key=_by_name)
    return HelpPage(places=found, countries=countries, languages=languages)


def _by_name(choice: tuple[str, str]) -> str:
    return choice[1].casefold()
