"""`{% question_row q %}`: one question in a list (home, questions, topic) or in search results.

The row is the forum's hottest piece of markup: every list page shows twenty. Rendered by a
template include it costs ~200 µs a row (most of a list page's time); built here with
format_html it costs a tenth of that. Every value goes through format_html's escaping; the
only pre-made HTML is the search snippet and title, which search.highlight() escapes whole before it
marks the matches. The asker shows only through `public_author`.
"""

from functools import lru_cache

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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


@register.simple_tag
def question_row(q, search: bool = False) -> SafeString:
    author = q.public_author
    snippet = ""
    if search:
        if q.snippet_html is None:
            snippet = format_html('<p class="search-snippet muted">{}</p>', seo.content_warning_text(q))
        else:
            snippet = format_html('<p class="search-snippet" dir="auto">{}</p>', q.snippet_html)
    language = get_language()
    words = _words(language)
    votes, answers, summary = _counts(language, q.score, q.answer_count, q.has_accepted_answer)
    asker = author.username if author is not None else words["anonymous"]
    before, _sep, after = (words["asked"] % {"age": age(q.created_at)}).partition("\x00")
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
        '<div class="row-meta">{expert}{accepted}{warned}{tags}'
        '<span class="muted">{before}{asker}{after}</span>'
        "</div>"
        "</div>"
        "</li>",
        votes=votes,
        accepted_class="stat-accepted" if q.has_accepted_answer else "",
        answers=answers,
        heading="h2" if search else "h3",
        url=q.get_absolute_url(),
        title=getattr(q, "title_html", None) or q.title,  # search: escaped whole, then marked (search.highlight)
        summary=summary,
        snippet=snippet,
        expert=words["expert"] if q.has_expert_answer else "",
        accepted=words["accepted"] if search and q.has_accepted_answer else "",
        warned=words["warned"] if q.content_warnings else "",
        tags=format_html_join("", _TAG, ((t.get_absolute_url(), t.label) for t in q.topics)),
        before=before,
        asker=asker,
        after=after,
    )
