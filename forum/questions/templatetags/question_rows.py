"""`{% question_row q %}`: one question in a list (home, questions, topic) or in search results.

The row is the forum's hottest piece of markup: every list page shows twenty. Rendered by a
template include it costs ~200 µs a row (most of a list page's time); built here with
format_html it cost a tenth of that, and with the standard library's html.escape and one
mark_safe a quarter of that again (format_html's lazy-string wrappers were most of its cost).
Every value goes through _escape; the only pre-made HTML is the badges and counts made here
and the search snippet and title, which search.highlight() escapes whole before it marks the
matches. The asker shows only through `public_author`.
"""

import html
from functools import lru_cache

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from forum.core.templatetags.forum_time import age
from forum.questions import seo

register = template.Library()

_TAG = '<a class="tag" href="{}" dir="auto">{}</a>'


def _bold(text: str, count: int) -> SafeString:
    """ "<strong>3</strong> votes": the count, in bold, inside its translated phrase."""
    return mark_safe(escape(text).replace(str(count), f"<strong>{count}</strong>", 1))  # noqa: S308 - escaped


@lru_cache(maxsize=4096)
def _counts(language: str | None, score: int, answers: int, accepted: bool) -> tuple[SafeString, SafeString, str]:
    """The row's stats and their sentence for screen readers, in `language` (the active one):
    made once per language and counts, as every list page shows twenty rows."""
    votes_text = ngettext("%(count)s vote", "%(count)s votes", score) % {"count": score}
    answers_text = ngettext("%(count)s answer", "%(count)s answers", answers) % {"count": answers}
    values = {"votes": votes_text, "answers": answers_text}
    if accepted:
        summary = gettext("%(votes)s, %(answers)s, one accepted.") % values
    else:
        summary = gettext("%(votes)s, %(answers)s.") % values
    return _bold(votes_text, score), _bold(answers_text, answers), summary


@lru_cache(maxsize=16)
def _words(language: str | None) -> dict[str, str]:
    """The row's fixed words in `language` (the active one), looked up once per language."""
    asked = gettext("asked %(age)s ago by %(asker)s")
    return {
        "expert": format_html('<span class="badge badge-expert">{}</span>', gettext("Expert answered")),
        "warned": format_html('<span class="badge badge-warn">{}</span>', gettext("Content warning")),
        "accepted": format_html('<span class="badge badge-accepted">{}</span>', gettext("Accepted answer")),
        "anonymous": gettext("Anonymous"),
        "asked": asked.replace("%(asker)s", "\x00"),  # split around the name, which stays a value
    }


def _escape(value) -> str:
    """Django's escape() (the same five characters, ' as &#x27;) without its lazy-string
    wrapper, which cost more than the escaping on a row of fifteen values; pre-made HTML
    (SafeData: the badges, the counts, search's marked title and snippet) as it is."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


@register.simple_tag
def question_row(q, search: bool = False) -> SafeString:
    author = q.public_author
    snippet = ""
    if search:
        if q.snippet_html is None:
            snippet = f'<p class="search-snippet muted">{_escape(seo.content_warning_text(q))}</p>'
        else:
            snippet = f'<p class="search-snippet" dir="auto">{_escape(q.snippet_html)}</p>'
    language = get_language()
    words = _words(language)
    votes, answers, summary = _counts(language, q.score, q.answer_count, q.has_accepted_answer)
    asker = author.username if author is not None else words["anonymous"]
    before, _sep, after = (words["asked"] % {"age": age(q.created_at)}).partition("\x00")
    heading = "h2" if search else "h3"
    title = getattr(q, "title_html", None) or q.title  # search: escaped whole, then marked (search.highlight)
    tags = "".join(_TAG.format(_escape(t.get_absolute_url()), _escape(t.label)) for t in q.topics)
    badges = (
        (words["expert"] if q.has_expert_answer else "")
        + (words["accepted"] if search and q.has_accepted_answer else "")
        + (words["warned"] if q.content_warnings else "")
    )
    return mark_safe(  # noqa: S308 - every value above is escaped by _escape or is SafeData
        '<li class="question-row">'
        '<div class="row-stats" aria-hidden="true">'
        f"<span>{votes}</span>"
        f'<span class="{"stat-accepted" if q.has_accepted_answer else ""}">{answers}</span>'
        "</div>"
        '<div class="row-main">'
        f'<{heading} class="row-title"><a href="{_escape(q.get_absolute_url())}" dir="auto">{_escape(title)}</a>'
        f"</{heading}>"
        f'<p class="visually-hidden">{_escape(summary)}</p>'
        f"{snippet}"
        f'<div class="row-meta">{badges}{tags}'
        f'<span class="muted">{_escape(before)}{_escape(asker)}{_escape(after)}</span>'
        "</div>"
        "</div>"
        "</li>"
    )
