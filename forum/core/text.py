"""User text in any script: normalised on the way in, measured the way a reader sees it.

- `clean_line()` for one-line text (titles, names, tags, reasons): NFC, no bidirectional
  controls (an RLO could show "evil.exe" as "exe.live"), no zero-width characters (they hide
  words from the watched-word list and make look-alike names), whitespace collapsed.
- `clean_body()` for Markdown bodies: NFC; the explicit embeddings, overrides and isolates are
  removed (an unterminated one could reorder what follows), the marks LRM/RLM/ALM are kept.
- ZWJ/ZWNJ are letters' business in Persian, Indic scripts and emoji sequences (می‌خواهم,
  👩‍❤️‍👨): they are kept between letters, marks or emoji and removed elsewhere, in both.
- `grapheme_count()`: what a reader counts as characters (the `regex` module's `\\X`).
- `looks_like_question()`: a few words in any script, or enough graphemes for a script
  written without spaces.
- `for_matching()`: the text the watched-word lists are matched against, with every
  invisible format character removed ("k\\u200bill" matches "kill").
"""

import math
import unicodedata

import regex

# Explicit embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI).
_EMBEDDINGS = "\u202a-\u202e\u2066-\u2069"
# Marks that only hint a direction: harmless inside a body, no business in a title or a name.
_MARKS = "\u200e\u200f\u061c"
# Zero-width space, word joiner, zero-width no-break space (BOM); also the soft hyphen, invisible.
_ZERO_WIDTH = "\u200b\u2060\ufeff\u00ad"
# ZWNJ and ZWJ: kept only with a letter, a mark or an emoji on both sides.
_JOINER_CONTEXT = r"[\p{L}\p{M}\p{Extended_Pictographic}\p{Emoji_Component}]"
_STRAY_JOINER = regex.compile(rf"(?<!{_JOINER_CONTEXT})[\u200c\u200d]|[\u200c\u200d](?!{_JOINER_CONTEXT})")

_LINE_DROP = regex.compile(f"[{_EMBEDDINGS}{_MARKS}{_ZERO_WIDTH}]")
_BODY_DROP = regex.compile(f"[{_EMBEDDINGS}\ufeff]")
# Control characters (C0, C1) other than the line breaks and tab a body may hold.
_LINE_CONTROLS = regex.compile(r"[\p{Cc}\u2028\u2029]")
_BODY_CONTROLS = regex.compile(r"[^\P{Cc}\t\n\r]")
_FORMAT = regex.compile(r"\p{Cf}")
_GRAPHEME = regex.compile(r"\X")
_LETTER = regex.compile(r"\p{L}")
# Scripts that say in a few characters what alphabets say in many (and mostly without spaces).
_COMPACT = regex.compile(r"[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]")
# Scripts written without spaces between words.
_UNSPACED = regex.compile(
    r"[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}"
    r"\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]"
)
COMPACT_RATIO = 0.4  # 15 graphemes of Latin, Cyrillic or Arabic are about 6 of Chinese
MIN_WORDS = 3
MIN_UNSPACED_GRAPHEMES = 6


def _drop_stray_joiners(text: str) -> str:
    # Twice: removing one stray joiner can leave its neighbour stray ("a\u200d\u200d").
    return _STRAY_JOINER.sub("", _STRAY_JOINER.sub("", text))


def clean_line(text: str) -> str:
    """One line of user text, normalised: NFC, no invisible or direction-changing characters,
    whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_CONTROLS.sub(" ", _LINE_DROP.sub("", text))
    text = _drop_stray_joiners(text)
    return " ".join(text.split())


def clean_body(text: str) -> str:
    """A body (Markdown), normalised: NFC, no embeddings, overrides or isolates, no stray joiners."""
    text = unicodedata.normalize("NFC", text)
    text = _BODY_CONTROLS.sub("", _BODY_DROP.sub("", text))
    return _drop_stray_joiners(text)


def for_matching(text: str) -> str:
    """The text watched words are matched against: NFC, with every format character removed."""
    return _FORMAT.sub("", unicodedata.normalize("NFC", text))


def grapheme_count(text: str) -> int:
    """The characters a reader sees: "🇪🇸", "é" (e + combining accent) and "क्या"'s parts count as shown."""
    return len(_GRAPHEME.findall(text))


def is_compact(text: str) -> bool:
    """Mostly written in Chinese, Japanese or Korean characters."""
    letters = len(_LETTER.findall(text))
    return bool(letters) and len(_COMPACT.findall(text)) * 2 >= letters


def minimum_length(text: str, minimum: int) -> int:
    """`minimum` graphemes for most scripts; fewer for the compact ones (15 → 6)."""
    return math.ceil(minimum * COMPACT_RATIO) if is_compact(text) else minimum


def long_enough(text: str, minimum: int) -> bool:
    return grapheme_count(text) >= minimum_length(text, minimum)


def looks_like_question(text: str) -> bool:
    """A sentence in any script: at least three words with letters, or, in a script written
    without spaces, at least six graphemes of it. No question mark is required."""
    words = [word for word in text.split() if _LETTER.search(word)]
    if len(words) >= MIN_WORDS:
        return True
    unspaced = sum(1 for grapheme in _GRAPHEME.findall(text) if _UNSPACED.match(grapheme))
    return unspaced >= MIN_UNSPACED_GRAPHEMES
