"""`{% comment_item comment %}` and `{% comment_block post %}`: clarifications under a post.

Built with format_html like the answer cards (thread_posts.py), every value escaped; the only
pre-made HTML is `body_html`, sanitized by forum.core.markdown.render_inline_markdown when the
clarification was written.

Who is shown (`comment_byline`, the one definition, also used by the desk): the asker of an
anonymous question is "the asker" — no name, no link, for everyone, moderators included; the
asker of a named question by name with an "Asker" badge; a current verified expert with the
badge; other members by name; a deleted account as "a former member".
"""

from functools import lru_cache
from urllib.parse import quote

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext, pgettext

from accounts.models import FORMER_MEMBER
from forum.answers.models import COMMENT_MAX
from forum.core.drafts import owner_input
from forum.core.html import csrf_input
from forum.core.templatetags.forum_time import day
from forum.core.urls import quick_reverse

register = template.Library()

THE_ASKER = gettext_lazy("the asker")
_ASKER = '<span class="badge badge-asker">{}</span>'
_EXPERT = '<span class="badge badge-expert">{}</span>'
_NAME = '<a href="{}"><strong>{}</strong></a>'
_ITEM = (
    '<li class="comment" id="comment-{pk}"><span class="comment-text" dir="auto">{body}</span> '
    '<span class="comment-meta">— {byline} · {when}{actions}</span></li>'
)
_REPORT = ' · <a href="{}" rel="nofollow">{}</a>'
_DELETE = (
    ' · <form method="post" action="{}" class="inline-form">{}'
    '<button type="submit" class="link-button">{}</button></form>'
)
_FORM = (
    '<details class="comment-form"><summary>{summary}</summary>'
    '<form method="post" action="{action}">{csrf}{owner}{key}'
    '<label for="{id}">{label}</label>'
    '<textarea id="{id}" name="body" rows="2" maxlength="{max}" required minlength="2"></textarea>'
    '<p class="help">{help}</p>'
    '<button type="submit" class="button-small">{post}</button></form></details>'
)
# A moderator session's compact tools for a clarification (render_thread's `moderator_tools`).
_MODERATE = (
    ' · <details class="mod-tools mod-tools-inline"><summary>{moderate}</summary>'
    '<form method="post" action="{hide}" class="mod-action">{csrf}<input type="hidden" name="next" value="{back}">'
    '<label class="visually-hidden" for="reason-tc{pk}-hide">{reason_label}</label>'
    '<input id="reason-tc{pk}-hide" type="text" name="reason" placeholder="{reason}" required'
    ' maxlength="2000">'
    '<button type="submit" class="button-small button-danger">{hide_word}</button></form>'
    '<form method="post" action="{delete}" class="mod-action">{csrf}<input type="hidden" name="next" value="{back}">'
    '<button type="submit" class="button-small button-danger">{delete_word}</button></form></details>'
)
_SIGN_IN = '<p class="comment-sign-in muted"><a href="{}?next={}">{}</a></p>'


@lru_cache(maxsize=8)
def _words(language: str | None) -> dict[str, str]:
    """The clarifications' words in the active language, looked up once per language."""
    return {
        "asker": gettext("Asker"),
        "expert": gettext("Verified expert"),
        # The translators' markup (trusted, like a {% blocktranslate %} with tags in it).
        "report": mark_safe(gettext('Report<span class="visually-hidden"> this clarification</span>')),  # noqa: S308
        "delete": mark_safe(gettext('Delete<span class="visually-hidden"> your clarification</span>')),  # noqa: S308
        "summary": gettext("Ask for a clarification"),
        "label": gettext("Your clarification"),
        "post": pgettext("verb", "Post"),
        "sign_in": gettext("Sign in to ask for a clarification"),
        "reason_label": gettext("Reason for “Hide”"),
        "reason": gettext("Reason (required)"),
        "hide": gettext("Hide"),
        "delete_word": gettext("Delete…"),
        "clarifications": gettext("Clarifications"),
    }


def comment_byline(comment, question) -> SafeString:
    """How a clarification's author is shown, on the thread and at the desk alike."""
    author = comment.author
    if comment.by_asker:
        if question.is_anonymous or author is None:
            return format_html("<strong>{}</strong>", THE_ASKER)
        return format_html(_ASKER + _NAME, _words(get_language())["asker"], author.get_absolute_url(), author.username)
    if author is None:
        return format_html("<strong>{}</strong>", FORMER_MEMBER)
    name = format_html(_NAME, author.get_absolute_url(), author.username)
    if getattr(comment, "expert_now", False):
        return format_html(_EXPERT + "{}", _words(get_language())["expert"], name)
    return name


@register.simple_tag(takes_context=True)
def comment_item(context, comment) -> SafeString:
    question = context.get("question")
    user = context.get("user")
    words = _words(get_language())
    actions = format_html(
        _REPORT, quick_reverse("moderation:report", "comment", comment.pk, literal=1), words["report"]
    )
    if user is not None and user.is_authenticated and comment.author_id == user.pk:
        delete = quick_reverse("questions:comment_delete", comment.pk)
        actions = format_html("{}{}", actions, format_html(_DELETE, delete, csrf_input(context), words["delete"]))
    if context.get("moderator_tools"):
        moderate = mark_safe(  # noqa: S308 - the translators' markup; the number read out only
            gettext('Moderate<span class="visually-hidden"> clarification #%(pk)s</span>') % {"pk": int(comment.pk)}
        )
        tools = format_html(_MODERATE, pk=comment.pk, csrf=csrf_input(context), back=context["request"].get_full_path(),
                            hide=quick_reverse("moderation:comment_hide", comment.pk),
                            delete=quick_reverse("moderation:comment_delete", comment.pk), moderate=moderate,
                            reason_label=words["reason_label"], reason=words["reason"], hide_word=words["hide"],
                            delete_word=words["delete_word"])  # fmt: skip
        actions = format_html("{}{}", actions, tools)
    return format_html(
        _ITEM,
        pk=comment.pk,
        body=mark_safe(comment.body_html),  # noqa: S308 - sanitized by render_inline_markdown when written
        byline=comment_byline(comment, question),
        when=day(comment.created_at),
        actions=actions,
    )


def _urls(post) -> tuple[str, str]:
    """(the post's clarifications page, where its form posts)."""
    if getattr(post, "question_id", None) is None:  # the question itself
        return quick_reverse("questions:question_comments", post.pk), quick_reverse(
            "questions:question_comment", post.pk
        )
    return quick_reverse("questions:answer_comments", post.pk), quick_reverse("questions:answer_comment", post.pk)


def comment_form(context, post) -> SafeString | str:
    """The small form for a member or the asker; "Sign in …" for other visitors; nothing on a closed thread."""
    question = context.get("question")
    if question is None or not question.is_published or question.is_locked or question.duplicate_of_id:
        return ""
    user = context.get("user")
    request = context.get("request")
    _, action = _urls(post)
    words = _words(get_language())
    if (user is not None and user.is_authenticated) or context.get("is_asker"):
        key = context.get("key")
        kind = "q" if getattr(post, "question_id", None) is None else "a"
        return format_html(
            _FORM,
            action=action,
            csrf=csrf_input(context),
            owner=owner_input(context),
            key=format_html('<input type="hidden" name="key" value="{}">', key) if key else "",
            id=f"comment-body-{kind}{post.pk}",
            max=COMMENT_MAX,
            summary=words["summary"],
            label=words["label"],
            help=gettext("Up to %(max)s characters. *Emphasis*, `code` and links work.") % {"max": COMMENT_MAX},
            post=words["post"],
        )
    back = quote(request.get_full_path() if request is not None else "/")
    return format_html(_SIGN_IN, quick_reverse("account_login"), back, words["sign_in"])


@register.simple_tag(takes_context=True)
def comment_block(context, post) -> SafeString:
    """Under a post: its first clarifications, a link to all of them, and the form."""
    shown = getattr(post, "comments_shown", [])
    count = getattr(post, "comment_count", 0)
    listing, _ = _urls(post)
    items = format_html_join("", "{}", ((comment_item(context, c),) for c in shown))
    more = ""
    if count > len(shown):
        more = format_html(
            '<p class="comment-more"><a href="{}">{}</a></p>',
            listing,
            ngettext("Show all %(count)s clarification", "Show all %(count)s clarifications", count) % {"count": count},
        )
    label = _words(get_language())["clarifications"]
    body = format_html('<ul class="comment-list">{}</ul>', items) if shown else ""
    return format_html(
        '<section class="comments" aria-label="{}">{}{}{}</section>', label, body, more, comment_form(context, post)
    )


@register.simple_tag
def comment_byline_for(comment) -> SafeString:
    """`comment_byline` where the page is not the comment's thread (the desk): its own question."""
    return comment_byline(comment, comment.question)
