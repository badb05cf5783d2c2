"""The XSS corpus: the 80 payloads of tests/questions/test_sanitizer.py plus EXTRA_PAYLOADS (CSS, MathML,
entity and case tricks, vbscript:, attribute breaking, template-injection look-alikes, script/JSON
break-outs, unicode tricks, very long attribute values), cut into groups of GROUP_SIZE; and the odd but
valid display names and the website URLs that are checked on their own.
"""

import pytest

from tests.questions.test_sanitizer import PAYLOADS as SANITIZER_PAYLOADS

LONG = "A" * 3000
EXTRA_PAYLOADS = [
    # CSS injection
    ("css-style-breakout", "</style><script>alert(1)</script>"),
    ("css-expression-style-tag", "<style>*{width:expression(alert(1))}</style>"),
    ("css-expression-comment-split", '<p style="width:expr/**/ession(alert(1))">x</p>'),
    ("css-import-text", "@import url(javascript:alert(1)); body{behavior:url(x.htc)}"),
    ("css-svg-style-img", "<svg><style><img src=x onerror=alert(1)></style></svg>"),
    # MathML
    ("mathml-mi-xlink", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    (
        "mathml-mglyph-comment-mxss",
        '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1'
        '&Tab;onerror=alert(1)&gt;">',
    ),
    ("mathml-annotation-xml", '<math><annotation-xml encoding="text/html"><script>alert(1)</script></annotation-xml>'),
    # entities and case
    ("entity-encoded-script", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("entity-decimal-img", "&#60;img src=x onerror=alert(1)&#62;"),
    (
        "entity-href-no-semicolons",
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
        '&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    ),
    ("entity-double-encoded", '<a href="&amp;#106;avascript:alert(1)">x</a>'),
    ("case-img-javascript", "<IMG SRC=JaVaScRiPt:alert('XSS')>"),
    # vbscript:
    ("vbscript-upper-link", '<a href="VBSCRIPT:msgbox(1)">x</a>'),
    ("vbscript-md-mixed-case", "[x](VbScRiPt:msgbox(1))"),
    # attribute-breaking quotes
    ("quote-svg-onload", '"><svg/onload=alert(1)>'),
    ("quote-single-onmouseover", "'onmouseover='alert(1)"),
    ("quote-double-autofocus", '" onfocus="alert(1)" autofocus="'),
    ("quote-title-single", '<a href="https://ok.example" title="x\' onmouseover=\'alert(1)">x</a>'),
    ("quote-md-autolink", '<https://ok.example/"onmouseover="alert(1)>'),
    ("quote-md-link-url", '[x](https://ok.example/"onmouseover="alert(1))'),
    # template-injection look-alikes
    ("template-django-expression", "{{7*7}} {{ request.META }} {{ settings.SECRET_KEY }}"),
    ("template-django-debug-tag", "{% debug %}{% load log %}{% get_admin_log 10 as log %}"),
    ("template-other-engines", "${7*7} #{7*7} <%= 7*7 %> {{constructor.constructor('alert(1)')()}}"),
    # script / JSON break-outs
    ("json-script-breakout", "</script><script>alert(1)</script>"),
    ("json-string-breakout", '"}]}</script><script>alert(1)</script>'),
    ("json-comment-breakout", "<!--<script>alert(1)</script>-->"),
    ("xml-cdata-breakout", "]]><script>alert(1)</script><![CDATA["),
    ("xml-cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    # unicode tricks
    ("unicode-line-separators", "x\u2028</script>\u2029<script>alert(1)</script>"),
    ("unicode-rtl-override", "\u202egnp.exe<script>alert(1)</script> [safe](https://ok.example/\u202etxt.exe)"),
    ("unicode-zero-width", "<scr\u200bipt>alert(1)</scr\u200bipt> [x](java\u200bscript:alert(1))"),
    ("unicode-fullwidth", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    ("unicode-utf7", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
    # very long values
    ("long-attribute-value", f'<a href="https://ok.example/" title="{LONG}" onclick="alert(1)">x</a>'),
    ("long-href-javascript", f'<a href="javascript:alert(1)//{LONG}">x</a>'),
    # odds and ends
    ("custom-element-onclick", "<x-widget onclick=alert(1)>x</x-widget>"),
    ("comment-unbalanced", "--><script>alert(1)</script><!--"),
    ("md-code-span", "`<script>alert(1)</script>` and ```\n<img src=x onerror=alert(1)>\n```"),
    ("iframe-data-url", '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>'),
]
PAYLOADS: list[tuple[str, str]] = [(param.id, param.values[0]) for param in SANITIZER_PAYLOADS] + EXTRA_PAYLOADS
GROUP_SIZE = 12
FILLER = "filler"  # ids of the harmless values that pad the last group to GROUP_SIZE


def _groups() -> list[list[tuple[str, str]]]:
    groups = [PAYLOADS[i : i + GROUP_SIZE] for i in range(0, len(PAYLOADS), GROUP_SIZE)]
    groups[-1] += [(f"{FILLER}-{n}", f"Plain filler words {n}") for n in range(GROUP_SIZE - len(groups[-1]))]
    return groups


GROUPS = _groups()
GROUP_PARAMS = [pytest.param(g, id=f"group{n}-{g[0][0]}") for n, g in enumerate(GROUPS)]

ODD_NAMES = [
    "onerror", "onload.alert1", "javascript.x1", "data.text.html", "vbscript", "x--y", "a.b-c_d", "0.0",
    "lt.script.gt", "amp.quot", "constructor", "toString", "srcdoc", "Zz9", "A" + "b" * 28 + "C",
]  # fmt: skip

URL_PAYLOADS = [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
    'https://ok.example/"onmouseover="alert(1)', "https://ok.example/'><script>alert(1)</script>",
    "https://ok.example/\u202etxt.exe", "//evil.example/x", "https:javascript:alert(1)", "ftp://ok.example/x",
    "https://ok.example/#{{7*7}}", 'https://ok.example/?q="><svg/onload=alert(1)>',
]  # fmt: skip
