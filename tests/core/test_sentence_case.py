"""allauth's title-cased words in the site's sentence case (forum/core/templatetags/sentence_case.py)."""

import pytest
from django.template import Context, Template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from forum.core.templatetags.sentence_case import sentence_case, sentence_case_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two-Factor Authentication", "Two-factor authentication"),
        ("Change Password", "Change password"),
        ("Sign In", "Sign in"),
        ("Set Up TOTP", "Set up TOTP"),
        ("WebAuthn Security Keys", "WebAuthn security keys"),
        ("Welcome to Ask Freely", "Welcome to Ask Freely"),
        ("Don't Have An Account?", "Don't have an account?"),
        ("\n    Recovery Codes\n", "Recovery codes"),
    ],
)
def test_it_writes_allauths_words_in_sentence_case(text, expected):
    assert sentence_case(text) == expected


def test_it_changes_letter_case_only_and_keeps_escaping():
    crafted = '<script>Alert("X")</script> Confirm Email <b class="Big">Address</b>'
    escaped = sentence_case(escape(crafted))
    assert escaped.lower() == escape(crafted).lower()  # the same characters, some in lower case
    assert "<" not in escaped and isinstance(escaped, SafeString)
    assert not isinstance(sentence_case(crafted), SafeString)  # unsafe in, unsafe out: escaped when shown
    assert sentence_case_text('<b class="Big">Email Address</b>') == '<b class="Big">Email address</b>'
    assert sentence_case(mark_safe("<em>Sign In</em>")) == "<em>Sign in</em>"


def test_it_works_as_a_block_filter_in_templates():
    rendered = Template("{% load sentence_case %}{% filter sentence_case %}Change {{ word }}{% endfilter %}").render(
        Context({"word": "<b>Password</b>"})
    )
    assert rendered == "Change &lt;b&gt;password&lt;/b&gt;"  # escaped first, then only the case changed
