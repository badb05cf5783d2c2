"""A search box's words, read as a person means them.

A person's question is not a boolean expression: "why did she cry after we had sex" should find
the thread about tears after sex even though it never says "why" or "cry". So the plain words
are read as *any of them* (a thread covering more of them ranks higher: search.py), while what
the person marked keeps its force: a "quoted phrase" must be there, a -word must not. A query
that uses `or` itself is read as written (websearch syntax), as before.

parse() is pure Python: nothing here touches the database. The texts it gives are read by
PostgreSQL's websearch_to_tsquery, which never raises on user input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A quoted phrase (the closing quote may be missing), a -word or -"phrase", or a word.
_TOKENS = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
MAX_UNITS = 32  # words and phrases read (search.py keeps the first few that are not stop words)


@dataclass(frozen=True)
class SearchQuery:
    words: tuple[str, ...]  # plain words, in order, each once
    phrases: tuple[str, ...]  # "quoted phrases", without quotes
    excluded: tuple[str, ...]  # -words and -"phrases", without the minus
    explicit_or: bool  # the person wrote `or`: the query is read as written
    text: str  # the query as typed (cleaned)

    @property
    def units(self) -> tuple[str, ...]:
        """The query's parts: each phrase, then each word (at most MAX_UNITS). Phrases go to
        websearch_to_tsquery quoted."""
        return (*(f'"{p}"' for p in self.phrases), *self.words)[:MAX_UNITS]

    @property
    def required_text(self) -> str:
        """What every result must satisfy: the phrases (unless the query uses `or`, where a phrase
        is one of the alternatives), and none of the excluded. '' if nothing."""
        phrases = () if self.explicit_or else self.phrases
        return " ".join([*(f'"{p}"' for p in phrases), *(f'-"{e}"' for e in self.excluded)])

    def any_text(self, units: tuple[str, ...] | None = None) -> str:
        """Any of the parts (`units`, by default all): 'a or b or "c d"'; the query itself when it
        uses `or`."""
        if self.explicit_or:
            return self.text
        return " or ".join(self.units if units is None else units)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def parse(text: str) -> SearchQuery:
    """Split a cleaned query (search.clean_query) into words, phrases and excluded parts."""
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    explicit_or = False
    for minus, quoted, bare in _TOKENS.findall(text):
        if bare:
            if bare.lower() == "or" and words:
                explicit_or = True
                continue
            negated = bare.startswith("-") and len(bare) > 1 and bare[1] != "-"
            found = _words(bare.lstrip("-") if negated else bare)
            if negated and found:
                excluded.append(" ".join(found))
            else:
                words.extend(found)
        else:
            found = _words(quoted)
            if not found:
                continue
            joined = " ".join(found)
            if minus:
                excluded.append(joined)
            elif len(found) == 1:
                words.append(joined)
            else:
                phrases.append(joined)
    seen: set[str] = set()
    unique = []
    for word in words:
        if word.lower() not in seen:
            seen.add(word.lower())
            unique.append(word)
    return SearchQuery(
        words=tuple(unique), phrases=tuple(dict.fromkeys(phrases)), excluded=tuple(dict.fromkeys(excluded)),
        explicit_or=explicit_or, text=text,
    )  # fmt: skip
