"""The relevance set's queries, typed as people type them, each with the threads that answer it.

Adding a query when someone complains ("I searched for X and the thread about Y never came up"):

1. If the thread that should answer is not in corpus.py yet, add one there in your own words
   (never copied from the forum or the web), with a new stable key: the way a worried person
   would ask it, and the answers it got (expert? accepted?). Do not make it contain every word
   of the complaint: real threads don't.
2. Add a Query below: the words exactly as typed (typos, case and all), its kind, the key(s)
   of the thread(s) that answer it, and its language when it is not English.
3. Run `make relevance` (or tests/search/test_relevance.py) and look at where it lands.

Newer questions that ask the same thing answer it too. seed_bulk's 100,000 questions repeat 32
titles people really ask ("Which contraception has the fewest side effects?", ~3,000 times each,
most with an expert answer). A search that puts one of them above an older thread with fewer of
the words is doing what it should (title above body above answers; a gentle preference for
recent activity), so such a title is a judgment too, listed under `asked_too` (pooled judgments,
as in TREC: a relevant result the set did not name is still relevant). The rule, applied to every
query against every bulk title (forum/devtools/bulk/texts.py), never to make a query pass:

- list a bulk title when someone typing the query would be glad to open it: it asks the query's
  question, or its subject as a whole is the query's subject (not a passing mention);
- never for `title` queries (the person wants that thread) or `common` ones (the kind says one
  thread is clearly the best), and never a question about something narrower or different
  ("pain during sex" answers "pain during sex", not "sex hurts after menopause").

The report gives both figures: any answering thread in the top 3, and the named old thread alone.

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
    asked_too: tuple[str, ...] = ()  # bulk titles (bulk/texts.py) that ask the same: they count too


def _q(text: str, kind: str, *expected: str, language: str = "en", asked_too: tuple[str, ...] = ()) -> Query:
    return Query(text=text, kind=kind, expected=expected, language=language, asked_too=asked_too)


# The bulk titles the judgments below name (forum/devtools/bulk/texts.py; a test checks each is there).
SAD_AFTER = "Is it normal to feel sad after sex?"
CRY_AFTER = "Is it normal to cry after sex even when it was good?"
ANXIOUS_AFTER = "Why do I feel anxious right after sex?"
DOCTOR_PAIN = "When should I see a doctor about pain during sex?"
STRESS_ERECTIONS = "Can stress really affect erections this much?"
GETTING_TESTED = "How do I bring up getting tested before we sleep together?"
FEWEST_SIDE_EFFECTS = "Which contraception has the fewest side effects?"
EXES = "How do I stop comparing myself to my partner's exes?"
COULD_BE_VAGINISMUS = "Could this be vaginismus, and who treats it?"
VAGINISMUS_GO_AWAY = "Is vaginismus something that can go away with time?"
VAGINISMUS = (COULD_BE_VAGINISMUS, VAGINISMUS_GO_AWAY)


QUERIES: tuple[Query, ...] = (
    # natural questions
    _q("why did she cry after we had sex", "natural", "tears-after-sex", asked_too=(CRY_AFTER,)),
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
    _q("how do i ask my partner to get tested", "natural", "ask-testing", asked_too=(GETTING_TESTED,)),
    _q("never felt attracted to anyone sexually", "natural", "no-attraction"),
    _q("can't trust him after he cheated", "natural", "cheated-trust"),
    _q("muscles tighten and he can't get in", "natural", "vaginismus", asked_too=VAGINISMUS),
    # misspellings
    _q("vaginsmus", "typo", "vaginismus", asked_too=VAGINISMUS),
    _q("erectle dysfunction", "typo", "erection-nerves", asked_too=(STRESS_ERECTIONS,)),
    _q("contraseption side efects", "typo", "pill-mood", asked_too=(FEWEST_SIDE_EFFECTS,)),
    _q("premature ejaculaton", "typo", "comes-fast"),
    _q("herpies", "typo", "herpes-new"),
    _q("menopuase sex pain", "typo", "menopause-pain"),
    _q("jelousy ex", "typo", "jealous-ex", asked_too=(EXES,)),
    _q("peyronies", "typo", "curved"),
    _q("postcoital dysphora", "typo", "tears-after-sex", asked_too=(SAD_AFTER, CRY_AFTER, ANXIOUS_AFTER)),
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
    _q('"pelvic floor" dilators', "phrase", "vaginismus", asked_too=VAGINISMUS),
    _q('"performance anxiety"', "phrase", "erection-nerves", asked_too=(STRESS_ERECTIONS,)),
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
    _q("pain during sex -menopause", "negation", "deep-pain", "vaginismus", asked_too=(DOCTOR_PAIN,)),
    _q("erection -viagra", "negation", "erection-nerves", asked_too=(STRESS_ERECTIONS,)),
)
