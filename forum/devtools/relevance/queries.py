"""The relevance set's queries, typed as people type them, each with the threads that answer it.

Adding a query when someone complains ("I searched for X and the thread about Y never came up"):

1. If the thread that should answer is not in corpus.py yet, add one there in your own words
   (never copied from the forum or the web), with a new stable key: the way a worried person
   would ask it, and the answers it got (expert? accepted?). Do not make it contain every word
   of the complaint: real threads don't.
2. Add a Query below: the words exactly as typed (typos, case and all), its kind, the key(s)
   of the thread(s) that answer it, and its language when it is not English.
3. Run `make relevance` (or tests/search/test_relevance.py) and look at where it lands.

Kinds: natural (a question as a person asks it), typo (misspelt), title (a thread's title, or
most of it, typed again), phrase (with a "quoted phrase"), common (a single common word where
one thread is clearly the best), other_language, negation (with -word).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("natural", "typo", "title", "phrase", "common", "other_language", "negation")


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    expected: tuple[str, ...]  # corpus keys; any of them in the top 3 counts
    language: str = "en"  # the reader's interface language when typing it


def _q(text: str, kind: str, *expected: str, language: str = "en") -> Query:
    return Query(text=text, kind=kind, expected=expected, language=language)


QUERIES: tuple[Query, ...] = (
    # natural questions
    _q("why did she cry after we had sex", "natural", "tears-after-sex"),
    _q("is it normal to not want sex anymore", "natural", "desire-gone"),
    _q("how long after giving birth can we have sex", "natural", "after-birth"),
    _q("what to do if the condom breaks", "natural", "condom-broke"),
    _q("can you consent when you are drunk", "natural", "drunk-consent"),
    _q("how to stop coming too fast", "natural", "comes-fast"),
    _q("why does sex hurt after menopause", "natural", "menopause-pain"),
    _q("how to tell my parents i am gay", "natural", "coming-out-parents"),
    _q("boyfriend watches porn all the time", "natural", "porn-hurt"),
    _q("i keep getting a uti after sex", "natural", "uti-sex"),
    _q("is daily masturbation bad for you", "natural", "daily-masturbation"),
    _q("how do i ask my partner to get tested", "natural", "ask-testing"),
    _q("never felt attracted to anyone sexually", "natural", "no-attraction"),
    _q("can't trust him after he cheated", "natural", "cheated-trust"),
    _q("muscles tighten and he can't get in", "natural", "vaginismus"),
    # misspellings
    _q("vaginsmus", "typo", "vaginismus"),
    _q("erectle dysfunction", "typo", "erection-nerves"),
    _q("contraseption side efects", "typo", "pill-mood"),
    _q("premature ejaculaton", "typo", "comes-fast"),
    _q("herpies", "typo", "herpes-new"),
    _q("menopuase sex pain", "typo", "menopause-pain"),
    _q("jelousy ex", "typo", "jealous-ex"),
    _q("peyronies", "typo", "curved"),
    _q("postcoital dysphora", "typo", "tears-after-sex"),
    # known titles, typed again
    _q("why did i burst into tears after sex with my boyfriend", "title", "tears-after-sex"),
    _q("The condom broke last night what do I do now", "title", "condom-broke"),
    _q("penetration is impossible it feels like hitting a wall", "title", "vaginismus"),
    _q("HOW DO I COME OUT TO MY RELIGIOUS PARENTS", "title", "coming-out-parents"),
    _q("Which birth control won't mess with my mood", "title", "pill-mood"),
    _q("nervous about losing my virginity", "title", "first-time"),
    _q("just diagnosed with genital herpes will anyone ever want me", "title", "herpes-new"),
    _q("Is it okay to have sex on my period", "title", "period-sex"),
    # quoted phrases
    _q('"after sex" bladder infection', "phrase", "uti-sex"),
    _q('"morning after pill"', "phrase", "condom-broke"),
    _q('"pelvic floor" dilators', "phrase", "vaginismus"),
    _q('"performance anxiety"', "phrase", "erection-nerves"),
    _q('"safe word"', "phrase", "tied-up"),
    # single common words, one thread clearly the best
    _q("vaginismus", "common", "vaginismus"),
    _q("menopause", "common", "menopause-pain"),
    _q("condom", "common", "condom-broke"),
    _q("herpes", "common", "herpes-new"),
    _q("jealousy", "common", "jealous-ex"),
    _q("porn", "common", "porn-hurt"),
    _q("prep", "common", "prep-worth"),
    _q("asexual", "common", "no-attraction"),
    # the forum's other languages
    _q("dolor durante las relaciones", "other_language", "es-dolor", language="es"),
    _q("me duele tener relaciones", "other_language", "es-dolor", language="es"),
    _q("pastilla del dia despues", "other_language", "es-pastilla", language="es"),
    _q("novio no quiere usar condon", "other_language", "es-condon", language="es"),
    _q("муж не хочет секса", "other_language", "ru-muzh", language="ru"),
    _q("как сказать что я бисексуал", "other_language", "ru-bi", language="ru"),
    # without a word
    _q("pain during sex -menopause", "negation", "deep-pain", "vaginismus"),
    _q("erection -viagra", "negation", "erection-nerves"),
)
