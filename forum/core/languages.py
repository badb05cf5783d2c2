"""The languages a question can be written in, and how search reads each of them.

Every question records its language (`Question.language`, one of POST_LANGUAGES). Its stored
search vector is built with that language's text search configuration: the project's own copy
of PostgreSQL's configuration for the language, with accents folded by `unaccent` before
stemming (`forum_spanish`: "relación", "relacion" and "relaciones" are one word), or
`forum_simple` (unaccent, no stemming) for a language PostgreSQL has no stemmer for. The
configurations are created by migration questions/0014; `search_config()` only ever returns
one of the constant names in FORUM_CONFIGS, never text from a request.

Search reads the query as each question's own language reads it (forum.questions.search), so a
Russian word form typed on an English page still finds a Russian question.
"""

import regex
from django.utils.translation import gettext_lazy as _

# (code, the language's name in itself): what the ask form offers. Codes are ISO 639-1, like
# settings.LANGUAGES, so the asker's interface language is the default.
POST_LANGUAGES: list[tuple[str, str]] = [
    ("en", "English"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("ca", "Català"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hu", "Magyar"),
    ("id", "Bahasa Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("nl", "Nederlands"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sv", "Svenska"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
]
LANGUAGE_CODES = frozenset(code for code, _name in POST_LANGUAGES)
DEFAULT_LANGUAGE = "en"
LANGUAGE_LABEL = _("Written in")

# PostgreSQL 15's snowball configurations for the languages above (`\dF`); the others get
# forum_simple. Migration questions/0014 creates forum_<name> for each.
STEMMED = {
    "en": "english",
    "es": "spanish",
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "fi": "finnish",
    "fr": "french",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
SIMPLE_CONFIG = "forum_simple"
FORUM_CONFIGS = frozenset({SIMPLE_CONFIG, *(f"forum_{name}" for name in STEMMED.values())})

# The dominant script of a title, for suggesting its language (the asker decides).
_LETTER = regex.compile(r"\p{L}")
_KANA = regex.compile(r"[\p{Script=Hiragana}\p{Script=Katakana}]")
_SUGGEST = [
    ("zh", regex.compile(r"\p{Script=Han}")),
    ("ko", regex.compile(r"\p{Script=Hangul}")),
    ("ru", regex.compile(r"\p{Script=Cyrillic}")),
    ("ar", regex.compile(r"\p{Script=Arabic}")),
    ("he", regex.compile(r"\p{Script=Hebrew}")),
    ("hi", regex.compile(r"\p{Script=Devanagari}")),
    ("el", regex.compile(r"\p{Script=Greek}")),
]


def post_language(code: str | None) -> str:
    """A supported question language for an interface language code ("en-us" → "en"), else English."""
    base = (code or "").lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGE_CODES else DEFAULT_LANGUAGE


def search_config(code: str) -> str:
    """The text search configuration for a question in `code`: forum_<stemmer>, or forum_simple."""
    name = STEMMED.get(code)
    return f"forum_{name}" if name else SIMPLE_CONFIG


def suggest_language(title: str) -> str | None:
    """The language a title's letters suggest, when its script says (Cyrillic → ru); else None."""
    letters = len(_LETTER.findall(title))
    if _KANA.search(title):  # Japanese mixes kana with Han; Chinese has no kana
        return "ja"
    for code, pattern in _SUGGEST:
        if letters and len(pattern.findall(title)) * 2 >= letters:
            return code
    return None
