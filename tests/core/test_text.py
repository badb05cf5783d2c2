"""forum.core.text: user text in any script, normalised and measured as a reader sees it."""

import unicodedata

import pytest

from forum.core.text import clean_body, clean_line, for_matching, grapheme_count, looks_like_question, minimum_length

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
ZWSP, ZWNJ, ZWJ, WJ, BOM = "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"
COUPLE = "👩\u200d❤\ufe0f\u200d👨"  # a ZWJ emoji sequence: one grapheme
PERSIAN = "می\u200cخواهم"  # "I want": the ZWNJ keeps the prefix apart from the verb


def test_it_removes_direction_overrides_from_a_line():
    assert clean_line(f"Is my file {RLO}exe.live{PDF} safe to open?") == "Is my file exe.live safe to open?"
    for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
        assert clean_line(f"a{control}b") == "ab"


def test_it_removes_zero_width_characters_from_a_line():
    assert clean_line(f"k{ZWSP}ill{WJ} my{BOM}self\u00ad") == "kill myself"
    assert clean_line(f"{ZWJ}name{ZWNJ}") == "name"  # joiners with nothing to join
    assert clean_line(f"a {ZWJ}{ZWJ} b") == "a b"


def test_it_keeps_joiners_that_join_letters_or_emoji():
    assert clean_line(PERSIAN) == PERSIAN
    assert clean_line(f"We {COUPLE} each other") == f"We {COUPLE} each other"
    assert clean_body(f"{PERSIAN} {COUPLE}") == f"{PERSIAN} {COUPLE}"


def test_it_collapses_whitespace_and_controls_in_a_line():
    assert clean_line("  Is\tthis\nnormal\x00 at\u2028all?  ") == "Is this normal at all?"


def test_it_normalises_to_nfc():
    decomposed = unicodedata.normalize("NFD", "¿Es normal llorar después del sexo?")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    assert clean_line(decomposed) == "¿Es normal llorar después del sexo?"
    assert clean_body(decomposed) == "¿Es normal llorar después del sexo?"


def test_it_removes_embeddings_and_isolates_from_a_body_but_keeps_its_lines():
    body = f"First line {RLO}reversed\n\nSecond {LRI}isolated{PDI} line\twith a tab"
    assert clean_body(body) == "First line reversed\n\nSecond isolated line\twith a tab"
    assert clean_body("שלום\u200f world") == "שלום\u200f world"  # a direction mark reorders nothing around it


def test_it_sees_through_invisible_characters_for_watched_words():
    assert for_matching(f"k{ZWSP}ill my{ZWJ}self") == "kill myself"
    assert for_matching(unicodedata.normalize("NFD", "café")) == "café"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("🇪🇸", 1),
        (unicodedata.normalize("NFD", "é"), 1),
        (COUPLE, 1),
        ("👍🏽", 1),
        ("क्या", 1),  # a conjunct and its vowel sign: one cluster since Unicode 15.1
        ("abc", 3),
        ("做爱", 2),
    ],
)
def test_it_counts_graphemes(text, count):
    assert grapheme_count(text) == count


def test_it_asks_fewer_characters_of_chinese_japanese_and_korean():
    assert minimum_length("How are you doing today?", 15) == 15
    assert minimum_length("Нормально ли это?", 15) == 15
    assert minimum_length("做爱后哭是正常的吗？", 15) == 6
    assert minimum_length("セックスの後に泣くのは普通ですか？", 15) == 6
    assert minimum_length("섹스 후에 우는 것이 정상인가요?", 15) == 6


@pytest.mark.parametrize(
    "title",
    [
        "Why do I feel sad after sex?",
        "Нормально ли плакать после секса?",
        "هل من الطبيعي البكاء بعد الجنس؟",
        "האם זה נורמלי לבכות אחרי סקס?",
        "做爱后哭是正常的吗？",
        "セックスの後に泣くのは普通ですか？",
        "क्या सेक्स के बाद रोना सामान्य है?",
        "¿Es normal llorar después del sexo?",
        "Is crying after sex normal 😢",
        "เป็นเรื่องปกติไหมที่จะร้องไห้",
    ],
)
def test_it_takes_a_question_in_any_script_as_a_sentence(title):
    assert looks_like_question(title)


@pytest.mark.parametrize("title", ["!!!!!!!!!!!!!!!!!!!!", "help me", "😢 😢 😢 😢", "123 456 789", "做爱"])
def test_it_refuses_what_is_not_a_sentence(title):
    assert not looks_like_question(title)
