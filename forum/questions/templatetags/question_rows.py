"""`{% question_row q %}`: one question in a list (home, questions, topic) or in search results.

The row is the forum's hottest piece of markup: every list page shows twenty. Rendered by a
template include it costs ~200 µs a row (most of a list page's time); built here with
format_html it costs a tenth of that. Every value goes through format_html's escaping; the
only pre-made HTML is the search snippet, which search.highlight() escapes whole before it
marks the matches. The asker shows only through `public_author`.
"""

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from forum.core.templatetags.forum_time import age
from forum.questions import seo

register = template.Library()

_TAG = '<a class="tag" href="{}" dir="auto">{}</a>'


def _votes(count: int) -> str:
    return ngettext("%(count)s vote", "%(count)s votes", count) % {"count": count}


def _answers(count: int) -> str:
    return ngettext("%(count)s answer", "%(count)s answers", count) % {"count": count}


def _stat(text: str, count: int) -> SafeString:
    """ "<strong>3</strong> votes": the count, in bold, inside its translated phrase."""
    return mark_safe(escape(text).replace(str(count), f"<strong>{count}</strong>", 1))  # noqa: S308 - escaped


@register.simple_tag
def question_row(q, search: bool = False) -> SafeString:
    author = q.public_author
    snippet = ""
    if search:
        if q.snippet_html is None:
            snippet = format_html('<p class="search-snippet muted">{}</p>', seo.content_warning_text(q))
        else:
            snippet = format_html('<p class="search-snippet" dir="auto">{}</p>', q.snippet_html)
    votes, answers = _votes(q.score), _answers(q.answer_count)
    if q.has_accepted_answer:
        summary = gettext("%(votes)s, %(answers)s, one accepted.") % {"votes": votes, "answers": answers}
    else:
        summary = gettext("%(votes)s, %(answers)s.") % {"votes": votes, "answers": answers}
    asker = author.username if author is not None else gettext("Anonymous")
    asked = gettext("asked %(age)s ago by %(asker)s") % {"age": age(q.created_at), "asker": "\x00"}
    before, _, after = asked.partition("\x00")
    return format_html(
        '<li class="question-row">'
        '<div class="row-stats" aria-hidden="true">'
        "<span>{votes}</span>"
        '<span class="{accepted_class}">{answers}</span>'
        "</div>"
        '<div class="row-main">'
        '<{heading} class="row-title"><a href="{url}" dir="auto">{title}</a></{heading}>'
        '<p class="visually-hidden">{summary}</p>'
        "{snippet}"
        '<div class="row-meta">{expert}{warned}{tags}'
        '<span class="muted">{before}{asker}{after}</span>'
        "</div>"
        "</div>"
        "</li>",
        votes=_stat(votes, q.score),
        accepted_class="stat-accepted" if q.has_accepted_answer else "",
        answers=_stat(answers, q.answer_count),
        heading="h2" if search else "h3",
        url=q.get_absolute_url(),
        title=q.title,
        summary=summary,
        snippet=snippet,
        expert=format_html('<span class="badge badge-expert">{}</span>', gettext("Expert answered"))
        if q.has_expert_answer
        else "",
        warned=format_html('<span class="badge badge-warn">{}</span>', gettext("Content warning"))
        if q.content_warnings
        else "",
        tags=format_html_join("", _TAG, ((t.get_absolute_url(), t.name) for t in q.topics)),
        before=before,
        asker=asker,
        after=after,
    )
