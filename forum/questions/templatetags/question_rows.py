"""`{% question_row q %}`: one question in a list (home, questions, topic) or in search results.

The row is the forum's hottest piece of markup: every list page shows twenty. Rendered by a
template include it costs ~200 µs a row (most of a list page's time); built here with
format_html it costs a tenth of that. Every value goes through format_html's escaping; the
only pre-made HTML is the search snippet, which search.highlight() escapes whole before it
marks the matches. The asker shows only through `public_author`.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from forum.core.templatetags.forum_time import age

register = template.Library()

_EXPERT = mark_safe('<span class="badge badge-expert">Expert answered</span>')
_TAG = '<a class="tag" href="{}" dir="auto">{}</a>'
_WARNED = mark_safe('<span class="badge badge-warn">Content warning</span>')


def _s(count: int) -> str:
    """The plural ending, as Django's `pluralize` gives it: "1 vote", "0 votes", "-1 votes"."""
    return "" if count == 1 else "s"


@register.simple_tag
def question_row(q, search: bool = False) -> SafeString:
    author = q.public_author
    snippet = ""
    if search:
        if q.snippet_html is None:
            snippet = format_html(
                '<p class="search-snippet muted">Content warning: {}.</p>', ", ".join(q.content_warning_labels())
            )
        else:
            snippet = format_html('<p class="search-snippet" dir="auto">{}</p>', q.snippet_html)
    return format_html(
        '<li class="question-row">'
        '<div class="row-stats" aria-hidden="true">'
        "<span><strong>{score}</strong> vote{score_s}</span>"
        '<span class="{accepted_class}"><strong>{answers}</strong> answer{answers_s}</span>'
        "</div>"
        '<div class="row-main">'
        '<{heading} class="row-title"><a href="{url}" dir="auto">{title}</a></{heading}>'
        '<p class="visually-hidden">{score} vote{score_s}, {answers} answer{answers_s}{accepted_text}.</p>'
        "{snippet}"
        '<div class="row-meta">{expert}{warned}{tags}'
        '<span class="muted">asked {age} ago by {asker}</span>'
        "</div>"
        "</div>"
        "</li>",
        score=q.score,
        score_s=_s(q.score),
        accepted_class="stat-accepted" if q.has_accepted_answer else "",
        answers=q.answer_count,
        answers_s=_s(q.answer_count),
        heading="h2" if search else "h3",
        url=q.get_absolute_url(),
        title=q.title,
        accepted_text=", one accepted" if q.has_accepted_answer else "",
        snippet=snippet,
        expert=_EXPERT if q.has_expert_answer else "",
        warned=_WARNED if q.content_warnings else "",
        tags=format_html_join(
            "", '<a class="tag" href="{}" dir="auto">{}</a>', ((t.get_absolute_url(), t.name) for t in q.topics)
        ),
        age=age(q.created_at),
        asker=author.username if author is not None else "Anonymous",
    )
