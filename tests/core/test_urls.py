"""quick_reverse gives exactly what reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix

from forum.core.urls import quick_reverse


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("questions:detail", [42, "how-do-i-say-this"]),
        ("questions:tag", ["sexual-health"]),
        ("questions:answer_vote", [7]),
        ("moderation:report", ["answer", 12]),
        ("people:profile", ["Ana María"]),
        ("people:profile", ["sam@home:{x}%"]),
        ("questions:answer_permalink", [9081726354]),
    ],
)
def test_it_matches_reverse(name, args):
    assert quick_reverse(name, *args) == reverse(name, args=args)


def test_a_regex_argument_is_taken_literally():
    assert quick_reverse("moderation:report", "answer", 12, literal=1) == reverse(
        "moderation:report", args=["answer", 12]
    )
    assert quick_reverse("moderation:report", "question", 5, literal=1) == "/report/question/5/"


def test_it_follows_the_script_prefix():
    try:
        set_script_prefix("/forum/")
        assert quick_reverse("questions:tag", "consent") == reverse("questions:tag", args=["consent"])
        assert quick_reverse("questions:tag", "consent").startswith("/forum/")
    finally:
        set_script_prefix("/")
