"""Synonyms: how people put it, and how experts write it.

A worried person types "cry", "uti" or "coming too fast"; the thread that answers says
"tears", "bladder infection", "premature ejaculation". Staff keep groups of words and phrases
that mean the same here (models.SearchSynonym, in the admin; starter groups in migration 0018),
and a search for any of them also finds the others: `expand` finds the groups a query's words
name, and search.search_plan reads each found group as one part of the query ("cry or tears or
sobbing"), which the ranking counts once.

Matching is on the words as typed, lower-case and without accents, a phrase word by word in
order: "coming too fast" matches those three words one after the other. Groups hold the forms
people use ("cry", "cried", "crying"); PostgreSQL's stemming then finds the forms in posts.

The groups are read once a process and kept for TTL seconds (a change in the admin shows in
every process within a minute, at once in the one that saved it): a search costs no query for
them.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from .models import SearchSynonym

TTL = 60.0  # seconds a process keeps the groups
MIN_TERMS, MAX_TERMS, TERM_MAX = 2, 12, 60
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TERM = re.compile(r"^[^\W\d_]+(?:['’\- ][^\W\d_]+)*$")

# language -> (read at, groups); each group: its terms as typed, and each term's words (keys).
_cache: dict[str, tuple[float, tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...]]] = {}


def key(word: str) -> str:
    """A word as matching compares it: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> tuple[str, ...]:
    return tuple(key(word) for word in _WORD.findall(text))


def valid_term(term: str) -> bool:
    """Letters, with single spaces, hyphens or apostrophes between them; never the word `or`
    (it would read as an operator). What the admin form accepts."""
    return 0 < len(term) <= TERM_MAX and bool(_TERM.match(term)) and term.lower() != "or"


def groups(language: str) -> tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...]:
    """The language's groups: (terms, each term's words), read at most once every TTL seconds."""
    now = time.monotonic()
    cached = _cache.get(language)
    if cached is not None and now - cached[0] < TTL:
        return cached[1]
    found = tuple(
        (tuple(terms), tuple(words(term) for term in terms))
        for terms in SearchSynonym.objects.filter(language=language).values_list("terms", flat=True)
    )
    _cache[language] = (now, found)
    return found


def clear(**_kwargs) -> None:
    _cache.clear()


post_save.connect(clear, sender=SearchSynonym, dispatch_uid="synonyms-clear-save")
post_delete.connect(clear, sender=SearchSynonym, dispatch_uid="synonyms-clear-delete")


@dataclass(frozen=True)
class Expansion:
    covers: frozenset[int]  # the indexes of the query's words the group was named by
    terms: tuple[str, ...]  # every term of the group, as staff wrote them
    typed: tuple[str, ...]  # the query's words it covers, as typed

    @property
    def alternatives(self) -> tuple[str, ...]:
        """Each term as websearch_to_tsquery reads it (a term of several words quoted: a
        phrase), and the typed words together when they are several, unquoted: "premature
        ejaculation" typed without quotes still finds both words apart, as it did."""
        quoted = [f'"{term}"' if " " in term or "-" in term else term for term in self.terms]
        return (*quoted, " ".join(self.typed)) if len(self.typed) > 1 else tuple(quoted)

    @property
    def text(self) -> str:
        """For websearch_to_tsquery, whose `or` binds looser than the space: 'cry or tears or
        "bladder infection"', and '… or premature ejaculation' for the typed words together."""
        return " or ".join(self.alternatives)


def expand(query_words: tuple[str, ...], language: str) -> list[Expansion]:
    """The groups the query's plain words name, each with the words it covers, in the order of
    the first word each covers. A word is covered by one group at most (the first found)."""
    typed = [key(word) for word in query_words]
    taken: set[int] = set()
    found: list[Expansion] = []
    for terms, term_words in groups(language):
        covers: set[int] = set()
        for term in term_words:
            size = len(term)
            for start in range(len(typed) - size + 1):
                span = set(range(start, start + size))
                if tuple(typed[start : start + size]) == term and not span & taken:
                    covers |= span
        if covers:
            taken |= covers
            typed_words = tuple(query_words[i] for i in sorted(covers))
            found.append(Expansion(frozenset(covers), terms, typed_words))
    return sorted(found, key=lambda expansion: min(expansion.covers))
