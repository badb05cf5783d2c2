"""Reads for finding answers: full-text search over published questions, and similar titles.

The stored vector (title A, body B, published answers C) is kept by
services.question_search_refresh; both reads use the GIN indexes, which cover published
questions only, and every search query also says status = 'published', so nothing pending,
hidden, rejected or removed can ever come back.

Each question is indexed in its own language (forum.core.languages), and each is matched and
ranked with the query as its own language reads it (`row_reading`: a CASE over the row's
language whose branches are constants, computed once at plan time). The GIN index is searched
with the OR of every language's reading (forum_websearch_any, migration 0014), a superset.
The reader's own language ranks higher (LANGUAGE_BOOST). Only the languages published questions
are written in take part (`search_scope`, read with the newest id in one query): the CASE and the
OR have one branch per language in use, not one per language PostgreSQL can stem.

Search ranks a bounded set: the newest CANDIDATES matches (search_candidates), best first
(ranked_questions); past them the page says "1,000+". A common word matches most questions,
and counting and ranking every match took 0.5-0.8 s at 100,000 questions.
"""

import math
import re
import secrets
from functools import lru_cache
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQueryField, SearchRank, TrigramSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Prefetch, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from forum.core import languages, text

from . import spelling
from .models import TITLE_MAX, Question, Tag, title_grams
from .services import STEMMED_LANGUAGES, search_config_expression

PAGE_SIZE = 20
QUERY_MAX = 200
# A "-" means "without" only in front of a word. websearch_to_tsquery stacks every other one as an
# operator too, and fails past 32 of them ("tsquery stack too small"): those are dropped.
_DANGLING_MINUS = re.compile(r"-+(?![^\W_])|-+(?=-)")
# ts_rank's weights in PostgreSQL's order D, C, B, A: the title counts most, answers least.
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]
EXPERT_BOOST = 1.25  # an expert-answered thread ranks a quarter higher
# A question in the reader's interface language ranks twice as high: among equal matches it
# comes first, and a title match in another language still beats a body-only match in theirs.
LANGUAGE_BOOST = 2.0
SIMILAR_LIMIT = 5
SIMILAR_MIN_TITLE = 10
# Only the newest matches are ranked; beyond them the page says "1,000+" (50 pages of 20).
CANDIDATES = 1_000
# Matches are looked for in bands of ids, newest first: NEWEST_BAND ids, then bands growing
# BAND_GROWTH times, so a common word stops early and a rarer one scans few index entries.
NEWEST_BAND = 2_000
BAND_GROWTH = 4
# Past the newest band: matches this dense go on being walked (a GIN bitmap of a common word
# costs more than the walk) ...
WALK_DENSITY = 0.15
# ... and when the older matches number about this many or fewer, one bitmap scan fetches them
# all (each band repeats the GIN scan, costly for "a -b").
SPARSE_MATCHES = 8_000

# ts_headline wraps each match in these. They are letters and digits only, so escaping the
# snippet leaves them intact, and random per process, so no post can contain them.
_TOKEN = secrets.token_hex(8)
_START, _STOP = f"hlstart{_TOKEN}", f"hlstop{_TOKEN}"
_TAGS = Prefetch("tags", queryset=Tag.objects.only("id", "name", "slug", "is_sensitive"))


def clean_query(raw: str, *, limit: int = QUERY_MAX) -> str:
    """The user's words, on one line, without NUL bytes (PostgreSQL refuses them), capped."""
    return " ".join(raw.replace("\x00", " ").split())[:limit]


def websearch_words(query: str) -> str:
    """The query as given to websearch_to_tsquery: without minus signs that are not before a word."""
    return _DANGLING_MINUS.sub(" ", query)


def reader_language(language: str | None = None) -> str:
    """The reader's language as a question language: the request's interface language by default."""
    return languages.post_language(language or get_language())


# Every stemmed language, English first: what a search reads with when it does not know which
# languages are in use (and the order the CASE tries them in).
ALL_LANGUAGES = tuple(STEMMED_LANGUAGES)
_TABLE = connection.ops.quote_name(Question._meta.db_table)
# The newest id, and the distinct languages of published questions by a loose index scan of
# question_language: one index descent per language in use, whatever the number of questions.
_SCOPE_SQL = f"""
WITH RECURSIVE used(language) AS (
    (SELECT language FROM {_TABLE} WHERE status = %(published)s ORDER BY language LIMIT 1)
    UNION ALL
    SELECT (SELECT q.language FROM {_TABLE} q WHERE q.status = %(published)s AND q.language > used.language
            ORDER BY q.language LIMIT 1)
    FROM used WHERE used.language IS NOT NULL
)
SELECT (SELECT max(id) FROM {_TABLE}), ARRAY(SELECT language FROM used WHERE language IS NOT NULL)
"""


def search_scope() -> tuple[int | None, tuple[str, ...]]:
    """(the newest question's id, the stemmed languages published questions are written in, in
    ALL_LANGUAGES' order), in one query of well under a millisecond. A question in a language
    PostgreSQL does not stem is read with the `simple` configuration, the CASE's ELSE."""
    with connection.cursor() as cursor:
        cursor.execute(_SCOPE_SQL, {"published": Question.Status.PUBLISHED})
        top, used = cursor.fetchone()
    return top, tuple(code for code in ALL_LANGUAGES if code in set(used or ()))


@lru_cache(maxsize=256)
def _reading_case(codes: tuple[str, ...], column: str, *, code: str, config: str, simple: str, words: str) -> str:
    """CASE column WHEN <code> THEN websearch_to_tsquery(<config>::regconfig, <words>) … END, one
    branch per language in `codes`, with the placeholders given (positional for RawSQL, named with
    {i} for candidates_sql)."""
    whens = " ".join(
        f"WHEN {code.format(i=i)} THEN websearch_to_tsquery({config.format(i=i)}::regconfig, {words})"
        for i in range(len(codes))
    )
    otherwise = f"websearch_to_tsquery({simple}::regconfig, {words})"
    return f"(CASE {column} {whens} ELSE {otherwise} END)" if codes else f"({otherwise})"


def _row_reading_sql(codes: tuple[str, ...]) -> str:
    return _reading_case(codes, f"{_TABLE}.language", code="%s", config="%s", simple="%s", words="%s")


def _candidate_reading_sql(codes: tuple[str, ...]) -> str:
    return _reading_case(
        codes, "language", code="%(code{i})s", config="%(config{i})s", simple="%(simple)s", words="%(query)s"
    )


def row_reading(query: str, codes: tuple[str, ...] = ALL_LANGUAGES) -> RawSQL:
    """The query as each row's own language reads it: CASE language WHEN 'es' THEN
    websearch_to_tsquery('forum_spanish', …) … END, over the languages `codes`. Every branch is a
    constant (configuration names from forum.core.languages, never user text; the words a bound
    parameter), folded at plan time; per row, only the CASE is evaluated. Raw SQL, made once per
    set of languages: the same CASE made of When() objects cost Django milliseconds to resolve,
    more than the query itself."""
    words = websearch_words(query)
    params: list[Any] = []
    for code in codes:
        params += [code, languages.search_config(code), words]
    params += [languages.SIMPLE_CONFIG, words]
    return RawSQL(_row_reading_sql(codes), params, output_field=SearchQueryField())  # noqa: S611 - bound parameters


def _reading_params(codes: tuple[str, ...]) -> dict[str, Any]:
    """The parameters of _candidate_reading_sql, and of forum_websearch_any's configurations."""
    configs = [languages.SIMPLE_CONFIG, *(languages.search_config(code) for code in codes)]
    params: dict[str, Any] = {"simple": languages.SIMPLE_CONFIG, "configs": configs}
    for i, code in enumerate(codes):
        params[f"code{i}"] = code
        params[f"config{i}"] = languages.search_config(code)
    return params


def search_candidates(
    query: str, *, tag: Tag | None = None, expert: bool = False, scope: tuple[int | None, tuple[str, ...]] | None = None
) -> list[int]:
    """Ids of the newest published questions matching `query`, newest first: at most CANDIDATES + 1
    (one more than is ranked, to tell "1,000" from "1,000+").

    Two queries: the scope (the newest id and the languages in use), then the ids.
    """
    top, codes = scope or search_scope()
    if top is None:
        return []
    filtered = tag is not None or expert
    sql, params = candidates_sql(query, top=None if filtered else top, tag=tag, expert=expert, codes=codes)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def candidates_sql(
    query: str,
    *,
    top: int | None,
    tag: Tag | None = None,
    expert: bool = False,
    codes: tuple[str, ...] = ALL_LANGUAGES,
) -> tuple[str, dict]:
    """The SQL of search_candidates; `top` is the newest id, needed without a filter.

    A row matches when its vector matches the query as its language reads it (`reading`, the
    CASE of row_reading). Where the GIN index is meant to be used, the row must also match
    `words`, forum_websearch_any(every configuration, query): the OR of all the readings, a
    superset, which the index can serve. Both are constants for the planner (IMMUTABLE functions
    of constant arguments), computed once, as websearch_to_tsquery alone was.

    With a topic or the expert filter, one plain query: the planner can start from the filter
    (a topic's questions, or a cheap flag test before each vector), and its choice stays under
    ~15 ms at 100,000 questions.

    Without one, matches are looked for in bands of ids, newest first; UNION ALL under LIMIT
    stops pulling once CANDIDATES + 1 are found. The newest NEWEST_BAND ids are walked along
    the primary key, testing each vector: cheap (the vectors are stored inline, see migration
    0006) and done after ~1,100 rows for a common word. What that band held says how dense the
    matches are, and one-time filters pick how to go on:
      - dense (WALK_DENSITY or more): walk the next band too;
      - in between: GIN bitmap scans of bands growing BAND_GROWTH times, so the heap reads
        stay near what is needed;
      - sparse (about SPARSE_MATCHES older matches or fewer): one GIN bitmap scan of the rest.
    The bitmap bands read the words through a scalar subquery, which the planner can't see
    into: it then expects few matches and keeps to the GIN index. Seeing a 2-10% word, it
    would rather walk the key with a filter, 20,000 rows for "consent".
    """
    table = Question._meta.db_table
    topics = Question.tags.through._meta.db_table
    where = "status = %(published)s"
    if tag is not None:
        where += f" AND EXISTS (SELECT 1 FROM {topics} t WHERE t.question_id = {table}.id AND t.tag_id = %(tag)s)"
    if expert:
        where += " AND has_expert_answer"
    words = "forum_websearch_any(%(configs)s::text[], %(query)s)"
    reading = _candidate_reading_sql(codes)
    params: dict[str, Any] = {
        "published": Question.Status.PUBLISHED,
        "tag": tag.pk if tag is not None else None,
        "query": websearch_words(query),
        "limit": CANDIDATES + 1,
        **_reading_params(codes),
    }
    if top is None:
        sql = (
            f"SELECT id FROM {table} WHERE {where} AND search_vector @@ {words} AND search_vector @@ {reading}"
            " ORDER BY id DESC LIMIT %(limit)s"
        )
        return sql, params

    def walk(ids: str) -> str:
        # OFFSET 0 keeps the match test out of the subquery: a filter on the walk, not a plan.
        return (
            f"SELECT id FROM (SELECT id, search_vector, language FROM {table} WHERE {where} AND {ids}"
            f" ORDER BY id DESC OFFSET 0) AS band WHERE search_vector @@ {reading}"
        )

    def bitmap(ids: str, when: str) -> str:
        return (
            f"SELECT id FROM {table} WHERE {where} AND search_vector @@ (SELECT {words})"
            f" AND search_vector @@ {reading} AND {ids} AND {when}"
        )

    # Band edges, newest first: the newest band is id > edges[0], band i is edges[i] < id <= edges[i - 1],
    # the oldest band has no lower edge.
    edges = [top - NEWEST_BAND]
    width = NEWEST_BAND
    while edges[-1] > 0:
        width *= BAND_GROWTH
        edges.append(edges[-1] - width)
    for i, edge in enumerate(edges):
        params[f"edge{i}"] = edge
    newest = f"{walk('id > %(edge0)s')} LIMIT %(limit)s"
    older = []
    if edges[0] > 0:
        found = "(SELECT count(*) FROM newest)"  # matches in the newest band
        params["walk_on"] = math.ceil(WALK_DENSITY * NEWEST_BAND)
        params["banded"] = min(params["walk_on"], math.ceil(SPARSE_MATCHES * NEWEST_BAND / edges[0]))
        for i in range(1, len(edges)):
            ids = f"id <= %(edge{i - 1})s" + (f" AND id > %(edge{i})s" if i < len(edges) - 1 else "")
            if i == 1:
                older.append(f"({walk(ids)} AND {found} >= %(walk_on)s)")
                older.append(f"({bitmap(ids, f'{found} BETWEEN %(banded)s AND %(walk_on)s - 1')} ORDER BY id DESC)")
            else:
                older.append(f"({bitmap(ids, f'{found} >= %(banded)s')} ORDER BY id DESC)")
        older.append(f"({bitmap('id <= %(edge0)s', f'{found} < %(banded)s')} ORDER BY id DESC)")
    sql = f"WITH newest AS MATERIALIZED ({newest}) SELECT id FROM newest"
    for part in older:
        sql += f" UNION ALL {part}"
    return f"SELECT id FROM ({sql}) AS candidates LIMIT %(limit)s", params


def ranked_questions(
    query: str, ids: list[int], *, language: str | None = None, codes: tuple[str, ...] = ALL_LANGUAGES
) -> QuerySet[Question]:
    """The published questions among `ids`, best first: weighted ts_rank, times the expert boost,
    times the language boost for a question in the reader's language. `codes`: the languages in
    use (search_scope)."""
    tsquery = row_reading(query, codes)
    boost = Case(When(has_expert_answer=True, then=Value(EXPERT_BOOST)), default=Value(1.0), output_field=FloatField())
    own = Case(
        When(language=reader_language(language), then=Value(LANGUAGE_BOOST)),
        default=Value(1.0),
        output_field=FloatField(),
    )
    return (
        Question.objects.published()
        .filter(_id_in(ids))
        .annotate(
            rank=SearchRank(F("search_vector"), tsquery, weights=RANK_WEIGHTS) * boost * own,
            snippet=_headline(tsquery, codes),  # computed for the page's rows only, after the sort
        )
        .select_related("author")
        .prefetch_related(_TAGS)
        .defer("body", "body_html", "key_hash", "submission_hash", "source_hash")
        .order_by("-rank", "-created_at", "-id")
    )


def _id_in(ids: list[int]) -> RawSQL:
    # One array parameter rather than pk__in's list of a thousand, which Django prepares one by
    # one (3 ms). The ids are bound, never formatted in.
    column = f"{connection.ops.quote_name(Question._meta.db_table)}.id"
    return RawSQL(f"{column} = ANY(%s)", (ids,), output_field=BooleanField())  # noqa: S611 - bound parameter


def search_queryset(
    query: str, *, tag: Tag | None = None, expert: bool = False, language: str | None = None
) -> QuerySet[Question]:
    """Published questions matching `query` (websearch syntax: "a phrase", or, -word), the best of
    the newest CANDIDATES first."""
    scope = search_scope()
    ids = search_candidates(query, tag=tag, expert=expert, scope=scope)[:CANDIDATES]
    return ranked_questions(query, ids, language=language, codes=scope[1])


def _headline(tsquery: RawSQL, codes: tuple[str, ...]) -> SearchHeadline:
    # Each body in its own language's configuration: its words are found as the vector has them.
    return SearchHeadline(
        "body",
        tsquery,
        config=search_config_expression(codes),
        start_sel=_START,
        stop_sel=_STOP,
        min_words=15,
        max_words=35,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


class CandidatePaginator(Paginator):
    """Pages through ranked candidates whose number is already known: no COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def question_search(
    *, query: str, tag: Tag | None = None, expert: bool = False, page: int | str = 1, language: str | None = None
) -> Page:
    """One page of results; each question carries `snippet_html` (safe) or None under a content warning.

    The paginator counts the ranked candidates (at most CANDIDATES); the page's `more_matches`
    says whether more questions matched. Four queries whatever the page holds (three with a
    topic or the expert filter): the newest id, the candidates, the page (with authors), their
    tags.
    """
    scope = search_scope()
    ids = search_candidates(query, tag=tag, expert=expert, scope=scope)
    ranked = ids[:CANDIDATES]
    questions = ranked_questions(query, ranked, language=language, codes=scope[1])
    paginator = CandidatePaginator(questions, PAGE_SIZE, count=len(ranked))
    result = paginator.get_page(page)
    result.more_matches = len(ids) > CANDIDATES  # type: ignore[attr-defined]  # read by the template
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
    """Published questions whose titles look like `title`, most alike first (trigram similarity).

    Both sides go through forum_title_grams (models.title_grams): Chinese and Japanese runs are
    compared as character pairs, which trigrams of one long unspaced "word" would miss. The
    trigram index is built on the same expression.
    """
    grams = title_grams(F("title"))
    draft = title_grams(Value(title))
    return (
        Question.objects.published()
        .annotate(grams=grams)
        .filter(grams__trigram_similar=draft)  # the % operator, which the trigram index serves
        .annotate(similarity=TrigramSimilarity(grams, draft))  # type: ignore[arg-type]  # an expression works too
        .order_by("-similarity", "-id")
        .only("id", "title", "slug")
    )


def similar_questions(*, title: str) -> list[Question]:
    """Up to five similar published questions, typos forgiven: the title is compared with its
    unknown words corrected from the forum's vocabulary (spelling.correct_title), when it has
    any; the misspelled words themselves are in no published title. None for a title under
    ten characters (graphemes, fewer in Chinese or Japanese). Comparing with both titles (an OR
    of two `%` scans) cost 3.6 times as much at 100,000 questions."""
    title = text.clean_line(clean_query(title, limit=TITLE_MAX))
    if not text.long_enough(title, SIMILAR_MIN_TITLE):
        return []
    return list(similar_queryset(spelling.correct_title(title) or title)[:SIMILAR_LIMIT])
