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
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQueryField, TrigramSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, F, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from forum.core import languages, replicas, text

from . import lexemes, search_query, selectors, spelling, synonyms
from .models import TITLE_MAX, Question, Tag, title_grams
from .search_backend import rum_available
from .search_query import SearchQuery
from .services import STEMMED_LANGUAGES, search_config_expression

PAGE_SIZE = 20
QUERY_MAX = 200
# A "-" means "without" only in front of a word. websearch_to_tsquery stacks every other one as an
# operator too, and fails past 32 of them ("tsquery stack too small"): those are dropped.
_DANGLING_MINUS = re.compile(r"-+(?![^\W_])|-+(?=-)")
# ts_rank's weights in PostgreSQL's order D, C, B, A: the title counts most, answers least.
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]
# A question in the reader's interface language ranks twice as high: among equal matches it
# comes first, and a title match in another language still beats a body-only match in theirs.
LANGUAGE_BOOST = 2.0
SIMILAR_LIMIT = 5
SIMILAR_MIN_TITLE = 10

# ts_headline wraps each match in these. They are letters and digits only, so escaping the
# snippet leaves them intact, and random per process, so no post can contain them.
_TOKEN = secrets.token_hex(8)
_START, _STOP = f"hlstart{_TOKEN}", f"hlstop{_TOKEN}"


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
    with replicas.reading(Question).cursor() as cursor:
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


# Ranking every match (docs/architecture.md, "Search ranking"). Bounded branches gather every
# thread that can reach the first pages; those are scored again, all factors together.
RANK_POOL = 50  # the best matches by text; deeper pages ask for more (page × PAGE_SIZE)
WALK_POOL = 60  # the best threads by quality, of the very common words
POOL_MAX = 10_000  # the deepest page asks for this many: 500 pages of 20
WALK_MAX = 5_000  # a walk reads at most this many of the best threads (~5 ms a thousand; a walked word is common)
# Words are ranked by text over all their matches while the matches' postings stay under these
# (per word, and all together): with the RUM index, which reads them in rank order from the
# index (~1 µs a posting), or on plain PostgreSQL, a GIN bitmap then ts_rank (~5-10 µs a match,
# each a heap row). A commoner word's threads are walked in quality order (question_quality)
# until WALK_POOL hold it: the denser the word, the shorter the walk.
RANKED_MAX = {True: (15_000, 12_000), False: (2_500, 4_000)}  # {RUM?: (a word, all together)}
# An all-words query expected to match at most this many questions is scored whole, by text;
# more, and its matches are walked in quality order.
SORT_MAX = 2_000
COUNT_CAP = 1_000  # matches counted exactly up to this many (a bitmap of heap rows, ~5 µs each); more are "about"
# The score's factors (each explained in docs/architecture.md).
COVERAGE_FLOOR = 0.2  # a thread matching one word of five keeps this share, times its text rank
KNOWN_TITLE_FROM, KNOWN_TITLE_WEIGHT = 0.35, 3.0  # Dice of query and title words above this: × (1 + w·excess)
EXPERT_WEIGHT, ACCEPTED_WEIGHT, SCORE_WEIGHT = 0.4, 0.3, 0.1
RECENT_SHARE = 0.15  # at most this much is lost with age: an old, better thread is never hidden
YEAR_SECONDS = 31_557_600
# The RUM index's predicate repeats this (migration 0019), and only the ranked branch states it:
# elsewhere (a bitmap for all the words, the count) the planner keeps to the GIN index, which
# answered an AND with a common word in ~5 ms where a RUM bitmap took 55.
RUM_MARK = "q.id > 0"
COMMON_WEIGHT = 0.1  # a word in every question still weighs this much (never 0: a sum divides by it)
RARE_FLOOR = 0.0005  # a word not among the statistics' most common is taken to be this rare
RANKED_UNITS = 8  # the first words and phrases that are not stop words; the rest are left out

_QUALITY = "(q.has_expert_answer::int * 2 + q.has_accepted_answer::int) DESC, q.score DESC, q.id DESC"

# Each unit (and each of a synonym group's alternatives) as each configuration in use reads it,
# with its lexemes: their frequencies are the statistics' (lexemes.common(), read once a while
# per process). A unit's frequency is its rarest lexeme's (a phrase is as rare as its rarest
# word), read in each language in use, the commonest reading kept; a word not among the most
# common elements is rarer than all of them: 0. A unit that no stemmed language in use reads as
# a word (a stop word: `simple` keeps every word) is left out.
_PLAN_SQL = """
SELECT u.i, c.config, websearch_to_tsquery(c.config::regconfig, u.text)::text, a.n,
       websearch_to_tsquery(c.config::regconfig, a.alternative)::text,
       tsvector_to_array(to_tsvector(c.config::regconfig, a.alternative))
FROM unnest(%(texts)s::text[]) WITH ORDINALITY AS u(text, i)
CROSS JOIN unnest(%(configs)s::text[]) AS c(config)
LEFT JOIN unnest(%(owners)s::int[], %(alternatives)s::text[]) WITH ORDINALITY AS a(unit, alternative, n)
    ON a.unit = u.i
"""


def _either(readings) -> str:
    """The OR of tsquery texts, each distinct non-empty one once ('' when none)."""
    return " | ".join(f"( {reading} )" for reading in dict.fromkeys(r for r in readings if r))


_LEXEME = re.compile(r"'((?:[^']|'')*)'")  # a lexeme of a tsquery text


def _split(readings) -> tuple[str, str]:
    """tsquery texts in two: their words (an index can return those in rank order) and their
    phrases (whose positions are checked on each row: RUM can't order those)."""
    parts = [part for reading in readings for part in _alternatives(reading)]
    return _either(p for p in parts if "<" not in p), _either(p for p in parts if "<" in p)


def _alternatives(reading: str) -> list[str]:
    """A websearch_to_tsquery text split at its top-level ORs: "'cri' | 'bladder' <-> 'infect'"
    gives "'cri'" and "'bladder' <-> 'infect'". Lexemes are quoted ('' inside), so a | there
    is never an operator; websearch_to_tsquery writes no parentheses around an OR."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(reading):
        if char == "'":
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
        elif not quoted and depth == 0 and char == "|":
            parts.append(reading[start:i].strip())
            start = i + 1
    parts.append(reading[start:].strip())
    return [part for part in parts if part]


def _parts(parsed: SearchQuery, language: str) -> list[tuple[str, tuple[str, ...]]]:
    """The query's units with their alternatives: each phrase, then the words in order, a word
    that names a synonym group replaced by the group ('cry or tears or sobbing'), once."""
    if parsed.explicit_or:
        return [(unit, (unit,)) for unit in parsed.units]
    parts: list[tuple[str, tuple[str, ...]]] = [(unit, (unit,)) for unit in parsed.units if unit.startswith('"')]
    expansions = synonyms.expand(parsed.words, language)
    emitted: set[int] = set()
    for i, word in enumerate(parsed.words):
        group = next((n for n, expansion in enumerate(expansions) if i in expansion.covers), None)
        if group is None:
            parts.append((word, (word,)))
        elif group not in emitted:
            emitted.add(group)
            parts.append((expansions[group].text, expansions[group].alternatives))
    return parts


@dataclass(frozen=True)
class Plan:
    """What a query's ranking is made of: its parsed parts, the units that can match (stop words
    dropped), each unit's frequency, and the number of questions (the newest id: near enough)."""

    query: SearchQuery
    units: tuple[str, ...]
    frequencies: tuple[float, ...]
    size: int
    codes: tuple[str, ...]
    # Each unit, and what every result must satisfy, as each configuration reads it (tsquery
    # text, '' for none): computed once here, so the ranking statement holds constants only.
    readings: tuple[dict[str, str], ...] = ()
    required: dict[str, str] | None = None
    # A synonym group's alternatives, each as every configuration reads it, with its frequency
    # (the commonest reading's): one group may hold a rare term and common typed words.
    alternatives: tuple[tuple[tuple[dict[str, str], float], ...], ...] = ()

    def superset(self, i: int) -> str:
        """Unit i as any language in use reads it: what an index is searched with."""
        return _either(self.readings[i].values())

    def split(self, i: int) -> tuple[str, str]:
        """Unit i's superset in two: what an index can return in rank order (words), and its
        phrases, whose positions are checked on each row (RUM can't order those)."""
        return _split(self.readings[i].values())

    def in_language(self, config: str) -> str:
        """Any unit, as `config` reads it: the per-row reading of a question in that language."""
        return _either(reading[config] for reading in self.readings)

    def estimate(self, frequency: float) -> float:
        return frequency * self.size

    @property
    def rarity(self) -> tuple[float, ...]:
        """Each unit's weight in the coverage: its inverse document frequency, ln(1 / frequency),
        a word below the statistics' horizon counted as in RARE_FLOOR of the questions."""
        return tuple(max(math.log(1 / max(f, RARE_FLOOR)), COMMON_WEIGHT) for f in self.frequencies)

    def phrase_cost(self, i: int) -> float:
        """The rows the GIN index hands over for unit i's phrases, each checked for positions on
        its heap row: a phrase's estimate is its rarest word's (every row holding all its words)."""
        return sum(
            self.estimate(frequency)
            for readings, frequency in (self.alternatives[i] if i < len(self.alternatives) else ())
            if any("<" in reading for reading in readings.values())
        )

    def ranked_units(self, rum: bool) -> tuple[str, ...]:
        """The units ranked by text over all their matches (RANKED_MAX), rarest first. With RUM,
        a unit's phrases still go through the GIN index and are checked row by row, so they
        must also fit the plain path's limit: "last longer" in a synonym group is in 10 % of
        the threads, and checking them cost 30-60 ms."""
        each, together = RANKED_MAX[rum]
        chosen, total = [], 0.0
        for i in sorted(range(len(self.units)), key=lambda i: self.frequencies[i]):
            cost = self.estimate(self.frequencies[i])
            phrases_fit = not rum or self.phrase_cost(i) <= RANKED_MAX[False][0]
            if cost <= each and total + cost <= together and phrases_fit:
                chosen.append(self.units[i])
                total += cost
        return tuple(chosen)

    def rare_alternatives(self, rum: bool) -> tuple[tuple[int, str, str], ...]:
        """For each unit too common to be ranked whole, its alternatives rare enough to be, as
        (unit index, words, phrases): a group's precise term ("premature ejaculation", "sti") is
        ranked over all its matches even when the typed words ("coming too fast", "get tested")
        are everywhere. Words within RANKED_MAX[rum], phrases (read on the GIN index, positions
        checked row by row) within RANKED_MAX[False], a phrase that holds a chosen word left out
        (that word finds it); all within the budget ranked_units leaves, rarest units first."""
        ranked = self.ranked_units(rum)
        total = sum(self.estimate(f) for f, u in zip(self.frequencies, self.units, strict=True) if u in ranked)
        chosen = []
        for i in sorted(range(len(self.units)), key=lambda i: self.frequencies[i]):
            if self.units[i] in ranked or len(self.alternatives[i]) < 2:
                continue
            pieces: dict[bool, list[str]] = {False: [], True: []}  # phrase? -> readings
            found: set[str] = set()  # the chosen words' lexemes
            for phrase in (False, True):
                each, together = RANKED_MAX[rum and not phrase]
                estimate = 0.0
                for readings, frequency in self.alternatives[i]:
                    texts = [r for r in readings.values() if r and ("<" in r) == phrase]
                    if not texts or any(found & set(_LEXEME.findall(r)) for r in texts):
                        continue
                    cost = self.estimate(frequency)
                    if cost <= each and estimate + cost <= each and total + cost <= together:
                        pieces[phrase] += texts
                        estimate += cost
                        total += cost
                        if not phrase:
                            found |= {x for r in texts if "&" not in r for x in _LEXEME.findall(r)}
            if pieces[False] or pieces[True]:
                chosen.append((i, _either(pieces[False]), _either(pieces[True])))
        return tuple(chosen)

    @property
    def all_estimate(self) -> float:
        """How many questions hold every unit, if words were independent."""
        return self.estimate(math.prod(self.frequencies)) if self.units else 0.0

    @property
    def any_estimate(self) -> float:
        """How many questions hold at least one unit (an upper bound: the commonest, plus the rest)."""
        return min(self.estimate(sum(self.frequencies)), float(self.size))


def search_plan(query: str, scope: tuple[int | None, tuple[str, ...]], *, language: str | None = None) -> Plan | None:
    """The plan of `query`, in one query (the units' frequencies); None when nothing in it can
    match (only stop words, single letters or -words)."""
    top, codes = scope
    parsed = search_query.parse(query)
    reader = reader_language(language)
    parts = _parts(parsed, reader)
    if top is None or not parts:
        return None
    configs = [languages.SIMPLE_CONFIG, *(languages.search_config(code) for code in codes)]
    # Stop words are the reader's language's when it is stemmed, else any stemmed language's.
    words = [languages.search_config(reader)] if reader in codes else configs[1:] or configs
    owners = [i for i, (_unit, alternatives) in enumerate(parts, start=1) for _ in alternatives]
    units = [unit for unit, _alternatives in parts]
    common = lexemes.common()
    with replicas.reading(Question).cursor() as cursor:
        cursor.execute(
            _PLAN_SQL,
            {
                "owners": owners,
                "alternatives": [alternative for _unit, alternatives in parts for alternative in alternatives],
                "configs": configs,
                "texts": [*units, parsed.required_text],
            },
        )
        rows: dict[int, dict[str, tuple[str, float | None]]] = {}
        # unit -> alternative -> (its reading in each configuration, its commonest frequency)
        each: dict[int, dict[int, tuple[dict[str, str], float]]] = {}
        for i, config, reading, n, alternative, found in cursor.fetchall():
            _reading, frequency = rows.setdefault(i, {}).setdefault(config, (reading, None))
            if n is None or not found:  # no alternative (the required text), or only stop words
                continue
            rarest = min(common.get(lexeme, 0.0) for lexeme in found)
            rows[i][config] = (reading, rarest if frequency is None else max(frequency, rarest))
            known, highest = each.setdefault(i, {}).setdefault(n, ({}, 0.0))
            known[config] = alternative
            each[i][n] = (known, max(highest, rarest))
    kept = [
        (
            unit,
            max(f for _r, f in rows[i].values() if f is not None),
            {c: r for c, (r, _f) in rows[i].items()},
            tuple(each.get(i, {}).values()),
        )
        for i, unit in enumerate(units, start=1)
        if any(rows[i][config][1] is not None for config in words)  # not a stop word of the reader's
    ][:RANKED_UNITS]
    if not kept:
        return None
    required = {c: r for c, (r, _f) in rows[len(units) + 1].items()} if parsed.required_text else None
    return Plan(
        parsed,
        tuple(u for u, _f, _r, _a in kept),
        tuple(f for _u, f, _r, _a in kept),
        top,
        codes,
        readings=tuple(r for _u, _f, r, _a in kept),
        required=required,
        alternatives=tuple(a for _u, _f, _r, a in kept),
    )


def _row_case(plan: Plan, name: str) -> str:
    """CASE q.language WHEN <code> THEN <that language's reading>::tsquery … END: `name` ("any"
    or "required") as each row's own language reads it; the readings are parameters
    (_case_params), each a constant."""
    whens = " ".join(f"WHEN %(code{i})s THEN %({name}_{i})s::tsquery" for i in range(len(plan.codes)))
    otherwise = f"%({name}_simple)s::tsquery"
    return f"(CASE q.language {whens} ELSE {otherwise} END)" if plan.codes else f"({otherwise})"


def _case_params(plan: Plan) -> dict[str, Any]:
    params: dict[str, Any] = {"any_simple": plan.in_language(languages.SIMPLE_CONFIG)}
    if plan.required is not None:
        params["required_simple"] = plan.required[languages.SIMPLE_CONFIG]
    for i, code in enumerate(plan.codes):
        config = languages.search_config(code)
        params[f"code{i}"] = code
        params[f"any_{i}"] = plan.in_language(config)
        if plan.required is not None:
            params[f"required_{i}"] = plan.required[config]
    return params


def ranking_sql(
    plan: Plan,
    *,
    tag: Tag | None = None,
    expert: bool = False,
    language: str | None = None,
    pool: int = RANK_POOL,
    rum: bool = False,
) -> tuple[str, dict]:
    """The ids of the questions matching plan's query, best first, with the number of matches
    when it is cheap to count (COUNT_CAP). One statement: bounded branches
    gather the candidates, then every candidate is scored with all the factors.

    - ranked: every match of each rarer unit (RANKED_MAX), best by text: from the RUM index in
      rank order (`<=>`), or a GIN bitmap sorted by ts_rank; one branch per unit, so the
      matches of a rare word are not crowded out by those of a commoner one;
    - walked: the commoner units' threads in quality order (question_quality), WALK_POOL of them;
    - every unit, when the query has several: by text when few questions hold them all
      (SORT_MAX), else in quality order.
    A result must match at least one unit as its own language reads it, every phrase, and no
    -word.
    """
    table = _TABLE
    topics = connection.ops.quote_name(Question.tags.through._meta.db_table)
    parsed = plan.query
    base = "q.status = %(published)s"
    if tag is not None:
        base += f" AND EXISTS (SELECT 1 FROM {topics} t WHERE t.question_id = q.id AND t.tag_id = %(tag)s)"
    if expert:
        base += " AND q.has_expert_answer"
    walk_base = base  # what a walk's plan may see: never the match tests
    if plan.required is not None:
        base += f" AND q.search_vector @@ {_row_case(plan, 'required')}"
    ranked_units = plan.ranked_units(rum)
    walked_units = tuple(u for u in plan.units if u not in ranked_units)
    index = {unit: i for i, unit in enumerate(plan.units)}
    units = len(plan.units)
    params: dict[str, Any] = {
        "published": Question.Status.PUBLISHED,
        "tag": tag.pk if tag is not None else None,
        # Every reading a constant tsquery (Plan.readings): nothing left to compute at plan time.
        "any": _either(plan.superset(i) for i in range(units)),
        "ranked": _either(plan.superset(index[u]) for u in ranked_units),
        "walked": _either(plan.superset(index[u]) for u in walked_units),
        "weights": RANK_WEIGHTS,
        "reader": reader_language(language),
        "pool": pool,
        "walk": min(max(WALK_POOL, pool), POOL_MAX),
        "walk_max": WALK_MAX,
        "units": units,
        **{f"unit{i}": plan.superset(i) for i in range(units)},
        **{f"weight{i}": weight for i, weight in enumerate(plan.rarity)},
        "weights_sum": sum(plan.rarity),
        **_case_params(plan),
    }
    text_rank = "ts_rank(%(weights)s::float4[], q.search_vector, %(any)s::tsquery)"
    by_text = f"{text_rank} DESC, q.id DESC LIMIT %(pool)s"
    matching = f"SELECT q.id FROM {table} q WHERE {base} AND q.search_vector @@"
    branches = []
    # Each rarer unit's best matches (so a rare word is never crowded out), then each common
    # synonym group's rare terms'.
    pieces = [plan.split(index[unit]) if rum else (plan.superset(index[unit]), "") for unit in ranked_units]
    pieces += [(words, phrases) for _unit, words, phrases in plan.rare_alternatives(rum)]
    for n, (words, phrases) in enumerate(pieces):
        if words and rum:  # RUM_MARK: only this branch may read the RUM index (migration 0019)
            wanted = f"%(ranked{n})s::tsquery"
            branches.append(f"{matching} {wanted} AND {RUM_MARK} ORDER BY q.search_vector <=> {wanted} LIMIT %(pool)s")
        elif words:
            branches.append(f"{matching} %(ranked{n})s::tsquery ORDER BY {by_text}")
        if phrases:
            branches.append(f"{matching} %(phrases{n})s::tsquery ORDER BY {by_text}")
        params[f"ranked{n}"], params[f"phrases{n}"] = words, phrases

    def walk(condition: str) -> str:
        # Along question_quality, the match tested on each row until WALK_POOL are found, at most
        # WALK_MAX rows. The test stays outside the walk's plan: inside, a misjudged estimate (a
        # -word, a topic) turned the walk into a scan and sort of every match (1 s at 100,000).
        required = base.removeprefix(walk_base)
        return (
            f"SELECT id FROM (SELECT q.id, q.search_vector, q.language FROM {table} q WHERE {walk_base}"
            f" ORDER BY {_QUALITY} LIMIT %(walk_max)s) AS q WHERE q.search_vector @@ {condition}{required}"
            " LIMIT %(walk)s"
        )

    if walked_units:
        branches.append(walk("%(walked)s::tsquery"))
    if len(plan.units) > 1 and not parsed.explicit_or:
        every = "(" + " && ".join(f"%(unit{i})s::tsquery" for i in range(units)) + ")"
        branches.append(f"{matching} {every} ORDER BY {by_text}" if plan.all_estimate <= SORT_MAX else walk(every))
    # Per unit: in the thread at all (weighed by how rare the unit is), and in its title (the
    # title's lexemes: weight A).
    covered = " + ".join(f"%(weight{i})s * (q.search_vector @@ %(unit{i})s::tsquery)::int" for i in range(units))
    in_title = " + ".join(f"(r.title @@ %(unit{i})s::tsquery)::int" for i in range(units))
    score = (
        "ts_rank(%(weights)s::float4[], q.search_vector, r.words)"
        f" * ({COVERAGE_FLOOR} + {1 - COVERAGE_FLOOR} * power(({covered}) / %(weights_sum)s, 2))"
        # A known title: the query's units and the title's words mostly the same (Dice's coefficient).
        f" * (1 + {KNOWN_TITLE_WEIGHT} * greatest(2.0 * ({in_title}) / (%(units)s + greatest(length(r.title), 1))"
        f" - {KNOWN_TITLE_FROM}, 0))"
        f" * (1 + {EXPERT_WEIGHT} * q.has_expert_answer::int + {ACCEPTED_WEIGHT} * q.has_accepted_answer::int"
        f" + {SCORE_WEIGHT} * ln(1 + greatest(q.score, 0)))"
        f" * ({1 - RECENT_SHARE} + {RECENT_SHARE}"
        f" * exp(-greatest(extract(epoch FROM now() - q.last_activity_at), 0) / {YEAR_SECONDS}))"
        f" * CASE WHEN q.language = %(reader)s THEN {LANGUAGE_BOOST} ELSE 1 END"
    )
    union = " UNION ALL ".join(f"({branch})" for branch in branches)
    # How many match: counted (up to COUNT_CAP) when no unit is walked, else estimated (ranked()).
    counted = "NULL::bigint"
    if not walked_units:
        counted = (
            f"(SELECT count(*) FROM (SELECT 1 FROM {table} q WHERE {base} AND q.search_vector @@"
            " %(ranked)s::tsquery LIMIT %(count_cap)s) AS counted)"
        )
    params["count_cap"] = COUNT_CAP
    sql = (
        f"WITH candidates AS MATERIALIZED ({union})"
        f" SELECT q.id, {counted} FROM {table} q"
        f" CROSS JOIN LATERAL (SELECT {_row_case(plan, 'any')} AS words,"
        " ts_filter(q.search_vector, '{a}') AS title) AS r"
        f" WHERE q.id IN (SELECT id FROM candidates) AND {base} AND q.search_vector @@ r.words"
        f" ORDER BY {score} DESC, q.id DESC"
    )
    return sql, params


@dataclass(frozen=True)
class Ranked:
    ids: list[int]  # best first
    count: int  # how many questions match: exact, or estimated ("about")
    estimated: bool


def ranked(plan: Plan, **options: Any) -> Ranked:
    """ranking_sql's ids, best first, and the number of matches: counted when no unit is walked
    and fewer than COUNT_CAP match, else estimated from the statistics (never below what was
    counted or found)."""
    sql, params = ranking_sql(plan, **options)
    with replicas.reading(Question).cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = [row[0] for row in rows]
    counted = rows[0][1] if rows else None
    if counted is not None and counted < COUNT_CAP:
        return Ranked(ids, max(counted, len(ids)), False)
    return Ranked(ids, max(len(ids), counted or 0, round(plan.any_estimate)), True)


def _headline(column: str, tsquery: RawSQL, codes: tuple[str, ...], **options: Any) -> SearchHeadline:
    # Each text in its own language's configuration: its words are found as the vector has them.
    return SearchHeadline(
        column, tsquery, config=search_config_expression(codes), start_sel=_START, stop_sel=_STOP, **options
    )


class RankedPaginator(Paginator):
    """Pages through ranked ids whose number is already known (exact or estimated): no COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def pool_for(number: int) -> int:
    """How many matches page `number` ranks: RANK_POOL, doubled until the page fits (POOL_MAX at
    most). Pages that share a pool share one order; a deeper page ranks a bigger pool, which
    can bring a better match than the earlier pages showed (ties, a newer thread)."""
    pool = RANK_POOL
    while pool < number * PAGE_SIZE and pool < POOL_MAX:
        pool *= 2
    return min(pool, POOL_MAX)


def page_number(page: int | str) -> int:
    """The page asked for, as a number from 1: anything else is page 1."""
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


def _id_in(ids: list[int]) -> RawSQL:
    # One array parameter rather than pk__in's list, which Django prepares one by one. The ids
    # are bound, never formatted in.
    column = f"{connection.ops.quote_name(Question._meta.db_table)}.id"
    return RawSQL(f"{column} = ANY(%s)", (ids,), output_field=BooleanField())  # noqa: S611 - bound parameter


def _page_questions(ids: list[int], plan: Plan) -> list[Question]:
    """The page's questions in rank order, with the snippet (the body's best passages) and the
    title, the query's words marked in both."""
    if not ids:
        return []
    tsquery = row_reading(plan.query.any_text(plan.units), plan.codes)
    rows = (
        Question.objects.published()
        .filter(_id_in(ids))
        .annotate(
            snippet=_headline(
                "body", tsquery, plan.codes, min_words=15, max_words=35, max_fragments=2, fragment_delimiter=" … "
            ),
            marked_title=_headline("title", tsquery, plan.codes, highlight_all=True),
        )
        .select_related("author")
        .only(*selectors.ROW_FIELDS)
    )
    found = {q.pk: q for q in rows}
    return selectors.attach_topics([found[pk] for pk in ids if pk in found])


def question_search(
    *, query: str, tag: Tag | None = None, expert: bool = False, page: int | str = 1, language: str | None = None
) -> Page:
    """One page of results, best first; each question carries `snippet_html` (safe; None under a
    content warning) and `title_html` (safe). The page's `estimated` says the count is "about".

    Five queries whatever the page holds: the scope (newest id, languages in use), the plan
    (the words' frequencies), the ranking, the page (with authors), their tags. The ranking
    scores at least RANK_POOL candidates, more for deeper pages (POOL_MAX at most).
    """
    number = page_number(page)
    plan = search_plan(query, search_scope(), language=language)
    pool = pool_for(number)
    found = (
        ranked(plan, tag=tag, expert=expert, language=language, pool=pool, rum=rum_available())
        if plan
        else Ranked([], 0, False)
    )
    paginator = RankedPaginator(found.ids, PAGE_SIZE, count=found.count)
    result = paginator.get_page(number)
    result.estimated = found.estimated  # type: ignore[attr-defined]  # read by the template
    questions: list[Any] = _page_questions(list(result.object_list), plan) if plan else []
    for question in questions:
        question.snippet_html = None if question.content_warnings else highlight(question.snippet)
        question.title_html = highlight(question.marked_title)
    result.object_list = questions
    return result


@dataclass(frozen=True)
class SearchResult:
    page: Page
    query: str  # what was searched: the query, or its correction
    correction: spelling.Correction | None  # set when the corrected query was searched
    too_common: bool  # nothing found, and the query is only words too common to search for


def search_page(
    *,
    query: str,
    tag: Tag | None = None,
    expert: bool = False,
    page: int | str = 1,
    language: str | None = None,
    exact: bool = False,
) -> SearchResult:
    """What the search page shows. The query's words are checked against the forum's own first
    (spelling.read, one query): a word no published post contains, with a close one that does,
    is corrected, and the corrected query is searched ("Showing results for …") when it finds
    anything; `exact` searches what was typed. Six queries: the reading and question_search's five."""
    language = language or get_language()
    reading = spelling.read(query, language=language)
    if reading.correction is not None and not exact:
        corrected = question_search(
            query=reading.correction.query, tag=tag, expert=expert, page=page, language=language
        )
        if corrected.paginator.count:
            return SearchResult(corrected, reading.correction.query, reading.correction, False)
    result = question_search(query=query, tag=tag, expert=expert, page=page, language=language)
    return SearchResult(result, query, None, reading.too_common and not result.object_list)


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
