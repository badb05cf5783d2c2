"""Typos forgiven: a misspelled word is replaced by the closest word the forum itself contains.

The vocabulary (models.SearchWord, kept by triggers: migration 0016) holds only the words of
published questions and their published answers, so a suggestion can never reveal a word of a
pending, hidden, rejected or deleted post.

`correct(query)` looks at the query's plain words only: a quoted phrase asks for those exact
words and is kept as typed, as are `or` and a `-word` (leaving out a misspelled word costs
nothing). A word is corrected when it is not known — its unaccented, lower-case form is not in
the vocabulary, it is no stop word, and a search for it in the reader's language finds nothing
(so "coming" stands where posts say "come") — and a vocabulary word is similar enough (trigram
similarity >= SIMILARITY, the `%` operator served by the trigram index); among those, the most
similar wins, frequent words a little ahead. One query for the whole query, which also says
whether the query is made only of words too common to search for (stop words of the reader's
language, or single letters).
"""

import re
from dataclasses import dataclass

from forum.core import languages, replicas

from . import lexemes
from .models import Question, SearchWord

# The `%` operator's own default: 0.4 missed a swapped pair of letters ("consnet": 0.33).
SIMILARITY = 0.3
# A word in many questions wins a close tie: + FREQUENCY_WEIGHT per tenfold documents.
FREQUENCY_WEIGHT = 0.02
MAX_WORDS = 8  # at most this many words are looked up
WORD_MIN, WORD_MAX = 3, 30  # the vocabulary's lengths
_TOKENS = re.compile(r'"[^"]*"?|\S+')
_PLAIN = re.compile(r"^(\W*)([^\W\d_]+)(\W*)$")
_LETTERS = re.compile(r"[^\W_]+")

_VOCABULARY = SearchWord._meta.db_table
_QUESTIONS = Question._meta.db_table
# For each word (i, w): its key (unaccented, lower case), and the best vocabulary word when the
# word is not known: neither in the vocabulary itself, nor a stop word of the reader's language,
# nor among the search vector's most common lexemes (lexemes.common(), a parameter), nor found
# by a search in that language (the forum says "come", the reader "coming": no typo). Those
# checks run in that order, each only when the one before did not know the word: a common
# word's GIN bitmap is the costly one (~10 ms for 28,000 questions), a rare or unknown word's
# is not. The search is one subquery per word ({found}: _found()), each with the word as a
# constant, so the planner sees how rare it is and reads the GIN index: through the lateral,
# unknown to it, the word was given a default estimate and a misspelled one was looked for in a
# scan of every question (0.5 s at 100,000). similarity() >= SIMILARITY on top of `%` (whose
# threshold, 0.3 unless set, the index serves) rather than SET LOCAL
# pg_trgm.similarity_threshold, one more statement.
_SQL = f"""
SELECT numnode(websearch_to_tsquery(%(config)s::regconfig, %(query)s)),
       ARRAY(
           SELECT ARRAY[typed.i::text, best.word]
           FROM unnest(%(words)s::text[]) WITH ORDINALITY AS typed(w, i)
           CROSS JOIN LATERAL (SELECT lower(unaccent(typed.w)) AS key) AS k
           CROSS JOIN LATERAL (SELECT plainto_tsquery(%(config)s::regconfig, k.key) AS words) AS read
           JOIN LATERAL (
               SELECT v.word FROM {_VOCABULARY} v
               WHERE NOT EXISTS (SELECT 1 FROM {_VOCABULARY} known WHERE known.word = k.key)
                 AND numnode(read.words) > 0  -- a stop word is a word (and GIN would read it all)
                 AND NOT tsvector_to_array(to_tsvector(%(config)s::regconfig, k.key)) <@ %(common)s::text[]
                 AND NOT {{found}}
                 AND v.word %% k.key AND similarity(v.word, k.key) >= %(similarity)s
               ORDER BY similarity(v.word, k.key) + %(weight)s * log(1 + v.documents) DESC, v.word
               LIMIT 1
           ) AS best ON true
           WHERE best.word <> k.key
       )
"""


@dataclass(frozen=True)
class Part:
    text: str
    corrected: bool = False


@dataclass(frozen=True)
class Correction:
    parts: tuple[Part, ...]  # the query, word by word, the corrected words marked

    @property
    def query(self) -> str:
        return " ".join(part.text for part in self.parts)


@dataclass(frozen=True)
class Reading:
    """What the spelling check found: a correction (or None), and whether the query is only words
    too common to search for."""

    correction: Correction | None
    too_common: bool


def _found(count: int) -> str:
    """CASE typed.i WHEN 1 THEN (published questions holding word 1) > 0 … END: one subquery
    per word, each reading its word as a constant (%(word1)s …); only the word's own is run. A
    count, not EXISTS: for EXISTS the planner expects a match within a few thousand rows and
    scans the table, every row of it for a word no question holds. A word that gets here is
    not among the most common, so its matches are few and the count reads them from the index."""
    if not count:
        return "false"
    whens = " ".join(
        f"WHEN {n} THEN (SELECT count(*) FROM {_QUESTIONS} found WHERE found.status = 'published'"
        f" AND found.search_vector @@ plainto_tsquery(%(config)s::regconfig, %(word{n})s)) > 0"
        for n in range(1, count + 1)
    )
    return f"(CASE typed.i {whens} END)"


def _common_for(words: list[str]) -> list[str]:
    """The most common lexemes (lexemes.common()) that may be one of `words`' own: those
    sharing its first three letters (a stemmer cuts endings). One missed costs only time: the
    GIN check after it still knows the word."""
    starts = {word.lower()[:3] for word in words}
    return [lexeme for lexeme in lexemes.common() if lexeme[:3] in starts] if starts else []


def _plain(token: str) -> re.Match | None:
    if token.startswith(('"', "-")) or token.lower() == "or":
        return None
    return _PLAIN.match(token)


def read(query: str, *, language: str = languages.DEFAULT_LANGUAGE) -> Reading:
    """One query: the correction of `query`, and whether it is only stop words or single letters
    in the reader's `language`."""
    tokens = _TOKENS.findall(query)
    lookups: list[tuple[int, str]] = []  # (token index, word)
    for index, token in enumerate(tokens):
        match = _plain(token)
        if match and WORD_MIN <= len(match.group(2)) <= WORD_MAX and len(lookups) < MAX_WORDS:
            lookups.append((index, match.group(2)))
    letters = _LETTERS.findall(query)
    with replicas.reading(Question).cursor() as cursor:
        cursor.execute(
            _SQL.format(found=_found(len(lookups))),
            {
                **{f"word{n}": word for n, (_, word) in enumerate(lookups, start=1)},
                "config": languages.search_config(languages.post_language(language)),
                "query": " ".join(letters),  # words only: no operator to trip on
                "words": [word for _, word in lookups],
                "similarity": SIMILARITY,
                "weight": FREQUENCY_WEIGHT,
                "common": _common_for([word for _, word in lookups]),
            },
        )
        nodes, found = cursor.fetchone()
    # Words, but none a search can use: stop words of the reader's language, or single letters.
    too_common = bool(letters) and (nodes == 0 or all(len(word) == 1 for word in letters))
    if not found:
        return Reading(None, too_common)
    replacements = {lookups[int(i) - 1][0]: word for i, word in found}
    parts = []
    for index, token in enumerate(tokens):
        if index in replacements:
            match = _plain(token)
            assert match is not None  # only plain words were looked up
            parts.append(Part(match.group(1) + replacements[index] + match.group(3), corrected=True))
        else:
            parts.append(Part(token))
    return Reading(Correction(tuple(parts)), too_common)


def correct(query: str, *, language: str = languages.DEFAULT_LANGUAGE) -> Correction | None:
    """The query with its unknown words replaced by the closest words of the forum, or None."""
    return read(query, language=language).correction


def correct_title(title: str) -> str | None:
    """A draft title with its unknown words corrected (for similar_questions), or None."""
    correction = correct(title)
    return correction.query if correction else None
