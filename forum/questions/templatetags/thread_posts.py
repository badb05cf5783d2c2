"""`{% answer_card answer %}` and `{% vote_box … %}`: the repeated parts of a thread page.

A thread shows up to twenty answers, each with its vote box; through template includes they
were most of the page's time (~150 µs an answer). Built here with format_html, every value
escaped, they cost a fraction of that. The only pre-made HTML is `body_html`, which
forum.core.markdown sanitized when the answer was written.

The vote box works as two plain forms; static/js/vote.js enhances them and relies on the score
being the last text of `.vote-score`.
"""

from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from accounts.models import FORMER_MEMBER
from forum.core.html import csrf_input
from forum.core.templatetags.forum_time import day
from forum.core.urls import quick_reverse

from .clarifications import comment_block

register = template.Library()

ANSWER_TOOLS = "moderation/_thread_tools_answer.html"
_SCORE = '<span class="visually-hidden">{} </span>{}'
_PLAIN_VOTE = '<div class="vote" data-vote><span class="vote-score">' + _SCORE + "</span></div>"
_MEMBER_VOTE = '<div class="vote" data-vote>{}<span class="vote-score" aria-live="polite">' + _SCORE + "</span>{}</div>"
_VOTE_FORM = (
    '<form method="post" action="{}" class="vote-form">{}<input type="hidden" name="value" value="{}">'
    '<button type="submit" class="vote-button {}" aria-pressed="{}" aria-label="{}">{}</button></form>'
)
# The name and the title in one span: .post-meta is a flex row, and a bare ", title" would be an item
# of its own, its comma set apart from the name (or starting a line on a phone).
_EXPERT_BYLINE = '<span class="badge badge-expert">{}</span><span>{}{}</span> · {}'
_REPORT = '<a href="{}" rel="nofollow">{}</a>'
_EDIT = '<a href="{}">{}</a>'
_DELETE = '<a href="{}" class="delete-link">{}</a>'
_EDITED = ' · <a href="{}" class="edited-link">{}</a>'
_AVATAR = '<img class="expert-photo answer-avatar" src="{}" alt="{}" width="32" height="32" loading="lazy">'
_EDITED_AFTER = ' <a href="{}" class="badge badge-warn edited-after">{}</a>'
_ARTICLE = (
    '<article class="{classes}" id="answer-{pk}" aria-label="{label}">'
    '<div class="post-layout">{vote}<div class="post-body">'
    '<p class="post-meta">{accepted}{byline}{edited}</p>'
    '<div class="prose post-text" dir="auto">{body}</div>'
    "{expert_note}{actions}{tools}{accept}{comments}"
    "</div></div></article>"
)


@lru_cache(maxsize=8)
def _words(language: str | None) -> dict[str, str]:
    """The card's words in the active language, looked up once per language: a thread shows twenty
    cards."""
    return {
        "up": gettext("Helpful (upvote)"),
        "down": gettext("Not helpful (downvote)"),
        "score": gettext("Score"),
        "expert": gettext("Verified expert"),
        "edited": gettext("edited"),
        "edited_after": gettext("edited after it was accepted"),
        "accepted": format_html('<span class="badge badge-accepted">✓ {}</span>', gettext("Helped the asker")),
        "expert_note": format_html(
            '<p class="expert-note">{}</p>', gettext("General education, not personal medical advice.")
        ),
        "unaccept": format_html(
            '<input type="hidden" name="undo" value="1"><button type="submit" class="link-button">{}</button>',
            gettext("Unmark as the answer that helped"),
        ),
        "accept": format_html(
            '<button type="submit" class="button-small">{}</button>', gettext("This answer helped me")
        ),
        # The translators' markup (trusted, like a {% blocktranslate %} with tags in it).
        "edit": mark_safe(gettext('Edit<span class="visually-hidden"> your answer</span>')),  # noqa: S308
        "delete": mark_safe(gettext('Delete<span class="visually-hidden"> your answer</span>')),  # noqa: S308
        # Sentences with a value in them, filled per answer.
        "label": gettext("Answer by %(name)s"),
        "report": gettext('Report<span class="visually-hidden"> this answer by %(name)s</span>'),
        "photo": gettext("Photo of %(name)s"),
        "reviewed": gettext("reviewed %(day)s"),
    }


def _report(words: dict[str, str], name: str) -> SafeString:
    return mark_safe(words["report"] % {"name": escape(name)})  # noqa: S308 - the translators' markup; the name escaped


@register.simple_tag(takes_context=True)
def vote_box(context, action: str, score: int, my_vote: int | None, own: bool) -> SafeString:
    """The score, with up/down vote forms for a signed-in member on someone else's post."""
    user = context.get("user")
    words = _words(get_language())
    if user is None or not user.is_authenticated or own:
        return format_html(_PLAIN_VOTE, words["score"], score)
    mine = my_vote or 0
    csrf = csrf_input(context)
    up_value, down_value = 0 if mine == 1 else 1, 0 if mine == -1 else -1
    up = format_html(_VOTE_FORM, action, csrf, up_value, "vote-up", str(mine == 1).lower(), words["up"], "▲")
    down = format_html(_VOTE_FORM, action, csrf, down_value, "vote-down", str(mine == -1).lower(), words["down"], "▼")
    return format_html(_MEMBER_VOTE, up, words["score"], score, down)


def _moderator_tools(context, answer) -> SafeString | str:
    """A moderator session's tools for the answer (render_thread's `moderator_tools`)."""
    if not context.get("moderator_tools"):
        return ""
    with context.push(answer=answer):
        return context.template.engine.get_template(ANSWER_TOOLS).render(context)


@register.simple_tag(takes_context=True)
def answer_card(context, answer) -> SafeString:
    """One answer: vote box, badges, author, date, body, report link, the asker's accept form, clarifications."""
    question = context.get("question")
    published = question is not None and question.is_published
    words = _words(get_language())
    author = answer.author  # None once the author deleted their account
    username = author.username if author is not None else FORMER_MEMBER
    if author is not None:
        name = format_html('<a href="{}"><strong>{}</strong></a>', author.get_absolute_url(), username)
    else:
        name = format_html("<strong>{}</strong>", username)
    when = day(answer.created_at)
    if answer.shows_expert:
        title = (getattr(answer, "expert_title", None) or "").strip()  # no orphan comma without one
        byline = format_html(
            _EXPERT_BYLINE,
            words["expert"],
            name,
            format_html(', <bdi dir="auto">{}</bdi>', title) if title else "",
            when,
        )
        photo = getattr(answer, "expert_photo", None)  # the hash, joined in selectors.thread_answers
        if photo:
            byline = format_html(
                "{}{}",
                format_html(
                    _AVATAR,
                    reverse("people:expert_photo", args=[photo]),
                    words["photo"] % {"name": username},
                ),
                byline,
            )
    else:
        byline = format_html("{} · {}", name, when)
    accept = ""
    if context.get("is_asker") and published:
        key = context.get("key")
        accept = format_html(
            '<form method="post" action="{}" class="accept-form">{}{}{}</form>',
            answer.accept_url,
            csrf_input(context),
            format_html('<input type="hidden" name="key" value="{}">', key) if key else "",
            words["unaccept"] if answer.is_accepted else words["accept"],
        )
    classes = "answer card"
    if answer.status != answer.Status.PUBLISHED:
        classes += " answer-hidden"  # only a moderator's thread shows one (with its tools)
    if answer.shows_expert:
        classes += " answer-expert"
    if answer.is_accepted:
        classes += " answer-accepted"
    my_vote, mine = getattr(answer, "my_vote", 0), getattr(answer, "is_mine", False)
    links = []
    if mine:
        links.append(format_html(_EDIT, answer.edit_url, words["edit"]))
        links.append(format_html(_DELETE, quick_reverse("questions:answer_delete", answer.pk), words["delete"]))
    if published:
        links.append(format_html(_REPORT, answer.report_url, _report(words, username)))
    edited = ""
    if answer.text_changed_at is not None:
        if answer.shows_expert:  # an expert's edit is a review of what they wrote: say when
            reviewed = words["reviewed"] % {"day": day(answer.text_changed_at)}
            edited = format_html(_EDITED, answer.history_url, reviewed)
        else:
            edited = format_html(_EDITED, answer.history_url, words["edited"])
        if answer.edited_after_accepted:
            edited = format_html("{}{}", edited, format_html(_EDITED_AFTER, answer.history_url, words["edited_after"]))
    actions = format_html_join(" · ", "{}", ((link,) for link in links))
    return format_html(
        _ARTICLE,
        classes=classes,
        pk=answer.pk,
        label=words["label"] % {"name": username},
        vote=vote_box(context, answer.vote_url, answer.score, my_vote, mine),
        accepted=words["accepted"] if answer.is_accepted else "",
        byline=byline,
        body=mark_safe(answer.body_html),  # noqa: S308 - sanitized by forum.core.markdown when written
        expert_note=words["expert_note"] if answer.shows_expert else "",
        edited=edited,
        actions=format_html('<p class="post-actions">{}</p>', actions) if links else "",
        accept=accept,
        tools=_moderator_tools(context, answer),
        comments=comment_block(context, answer),
    )
