"""Reads for finding answers: full-text search over published questions, and similar titles.

The stored vector (title A, body B, published answers C) is kept by
services.question_search_refresh; both reads use the GIN indexes, which cover published
questions only, so nothing pending, hidden, rejected or removed can ever come back.
"""

import secrets

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramSimilarity
from django.core.paginator import Page, Paginator
from django.db.models import Case, F, FloatField, Prefetch, QuerySet, Value, When
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from .models import TITLE_MAX, Question, Tag

PAGE_SIZE = 20
QUERY_MAX = 200
CONFIG = "english"
# ts_rank's weights in PostgreSQL's order D, C, B, A: the title counts most, answers least.
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]
EXPERT_BOOST = 1.25  # an expert-answered thread ranks a quarter higher
SIMILAR_LIMIT = 5
SIMILAR_MIN_TITLE = 10

# ts_headline wraps each match in these. They are letters and digits only, so escaping the
# snippet leaves them intact, and random per process, so no post can contain them.
_TOKEN = secrets.token_hex(8)
_START, _STOP = f"hlstart{_TOKEN}", f"hlstop{_TOKEN}"
_TAGS = Prefetch("tags", queryset=Tag.objects.only("id", "name", "slug", "is_sensitive"))


def clean_query(raw: str, *, limit: int = QUERY_MAX) -> str:
    """The user's words, on one line, without NUL bytes (PostgreSQL refuses them), capped."""
    return " ".join(raw.replace("\x00", " ").split())[:limit]


def search_queryset(query: str, *, tag: Tag | None = None, expert: bool = False) -> QuerySet[Question]:
    """Published questions matching `query` (websearch syntax: "a phrase", or, -word), best first."""
    tsquery = SearchQuery(query, search_type="websearch", config=CONFIG)
    boost = Case(When(has_expert_answer=True, then=Value(EXPERT_BOOST)), default=Value(1.0), output_field=FloatField())
    questions = (
        Question.objects.published()
        .filter(search_vector=tsquery)
        .annotate(
            rank=SearchRank(F("search_vector"), tsquery, weights=RANK_WEIGHTS) * boost,
            snippet=_headline(tsquery),
        )
        .select_related("author")
        .prefetch_related(_TAGS)
        .defer("body", "body_html", "key_hash", "submission_hash", "source_hash")
        .order_by("-rank", "-created_at", "-id")
    )
    if tag is not None:
        questions = questions.filter(tags=tag)
    if expert:
        questions = questions.filter(has_expert_answer=True)
    return questions


def _headline(tsquery: SearchQuery) -> SearchHeadline:
    return SearchHeadline(
        "body",
        tsquery,
        config=CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        min_words=15,
        max_words=35,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def question_search(*, query: str, tag: Tag | None = None, expert: bool = False, page: int | str = 1) -> Page:
    """One page of results; each question carries `snippet_html` (safe) or None under a content warning.

    Three queries whatever the page holds: the count, the page (with authors), their tags.
    """
    result = Paginator(search_queryset(query, tag=tag, expert=expert), PAGE_SIZE).get_page(page)
    result.object_list = list(result.object_list)
    for question in result.object_list:
        question.snippet_html = None if question.content_warnings else highlight(question.snippet)
    return result


def highlight(snippet: str) -> SafeString:
    """Escape the whole snippet first; only then turn our own markers into <mark>."""
    escaped = escape(snippet or "")
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped above


def pager_query(*, query: str, tag: Tag | None, expert: bool) -> str:
    """The query string the result pages' links repeat (page= is added by the template)."""
    params = {"q": query}
    if tag is not None:
        params["tag"] = tag.slug
    if expert:
        params["expert"] = "1"
    return urlencode(params)


def similar_queryset(title: str) -> QuerySet[Question]:
    """Published questions whose titles look like `title`, most alike first (trigram similarity)."""
    return (
        Question.objects.published()
        .filter(title__trigram_similar=title)  # the % operator, which the trigram index serves
        .annotate(similarity=TrigramSimilarity("title", title))
        .order_by("-similarity", "-id")
        .only("id", "title", "slug")
    )


def similar_questions(*, title: str) -> list[Question]:
    """Up to five similar published questions; none for a title under ten characters."""
    title = clean_query(title, limit=TITLE_MAX)
    if len(title) < SIMILAR_MIN_TITLE:
        return []
    return list(similar_queryset(title)[:SIMILAR_LIMIT])
