"""Clarifications: post one (a member, or the asker through their private key), delete one's
own, and read all of a post's. The thread shows the first few (templatetags/clarifications.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from forum.answers.forms import CommentForm
from forum.answers.models import Answer, Comment
from forum.core import drafts
from forum.core.drafts import keeps_drafts
from forum.core.forms import apply_errors
from forum.core.privacy import ratelimit_key, recent_source_hashes
from forum.core.ratelimit import ratelimit

from . import access, comment_services, selectors
from .help_views import crisis_lines
from .models import Question

PENDING_MESSAGE = gettext_noop("Thank you. Your clarification will show once a moderator has read it.")


def _published_answer(pk) -> Answer:
    answer = get_object_or_404(Answer.objects.select_related("question", "question__author"), pk=pk)
    if answer.status != Answer.Status.PUBLISHED or answer.question.status != Question.Status.PUBLISHED:
        raise Http404
    return answer


def _published_question(pk) -> Question:
    return get_object_or_404(Question.objects.published().select_related("author"), pk=pk)


def _render_list(request, question, answer, *, form=None, status=200, crisis=False, key=None):
    selectors.attach_topics([question])
    context = {
        "question": question,
        "answer": answer,
        "page": selectors.post_comments(question=question, answer=answer, page=request.GET.get("page", 1)),
        "form": form or _form_with_draft(request, question, answer),
        "key": key if key and access.key_opens(question, key) else None,
        "is_asker": access.is_asker(request, question, key),
        "crisis_resources": crisis_lines(request) if crisis else [],
        "crisis_wait": crisis,  # the honest sentence: the crisis lane, and how long it may take
    }
    return render(request, "questions/clarifications.html", context, status=status)


def _form_with_draft(request, question, answer) -> CommentForm:
    """The form, holding what a member wrote before their session ended (forum/core/drafts.py)."""
    kept = drafts.take(request, _target(request, answer.pk if answer else question.pk, kind="a" if answer else "q"))
    return CommentForm(initial={"body": kept.get("body", "")} if kept else None)


def _target(request, pk, *, kind: str) -> str:
    return f"comment:{kind}{pk}"


def _question_form_page(request, pk) -> str:
    return reverse("questions:question_comments", args=[pk]) + "#clarification-form-heading"


def _answer_form_page(request, pk) -> str:
    return reverse("questions:answer_comments", args=[pk]) + "#clarification-form-heading"


@require_safe
def question_comments(request, pk):
    return _render_list(request, _published_question(pk), None)


@require_safe
def answer_comments(request, pk):
    answer = _published_answer(pk)
    return _render_list(request, answer.question, answer)


def _post(request, question: Question, answer: Answer | None):
    """Who posts: a member, or else the asker (their private key, or the session that asked)."""
    key = request.POST.get("key")
    member = request.user.is_authenticated
    if not member:
        access.check_asker(request, question, key)
    form = CommentForm(request.POST)
    if form.is_valid():
        body = form.cleaned_data["body"]
        try:
            comment = comment_services.comment_post(
                question=question,
                answer=answer,
                author=request.user if member else None,
                by_asker=not member,
                body=body,
                source_hashes=None if member else recent_source_hashes(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _posted(request, comment, key=key, crisis=comment.crisis_at is not None)
    return _render_list(request, question, answer, form=form, status=400, key=key)


def _posted(request, comment: Comment, *, key, crisis: bool):
    published = comment.status == Comment.Status.PUBLISHED
    messages.success(request, gettext("Your clarification is posted.") if published else gettext(PENDING_MESSAGE))
    if crisis:
        # As on the ask page: words that suggest someone may be in danger bring the help lines.
        return _render_list(request, comment.question, comment.answer, crisis=True, key=key)
    if key and access.key_opens(comment.question, key):
        where = reverse("questions:key", args=[key])
    elif comment.answer is not None:
        where = selectors.answer_location(comment.answer)
    else:
        where = comment.question.get_absolute_url()
    if published:  # at the clarification itself; a waiting one, at its post
        where = f"{where.split('#')[0]}#comment-{comment.pk}"
    return redirect(where)


@never_cache
@require_POST
@ratelimit(key=ratelimit_key, rate="10/m", block=True)
@keeps_drafts(
    page=_question_form_page,
    target=lambda request, pk: _target(request, pk, kind="q"),
    fields=("body",),
    members_only=False,  # the asker posts without an account too
)
def question_comment(request, pk):
    return _post(request, _published_question(pk), None)


@never_cache
@require_POST
@ratelimit(key=ratelimit_key, rate="10/m", block=True)
@keeps_drafts(
    page=_answer_form_page,
    target=lambda request, pk: _target(request, pk, kind="a"),
    fields=("body",),
    members_only=False,
)
def answer_comment(request, pk):
    answer = _published_answer(pk)
    return _post(request, answer.question, answer)


def _comment_page(request, pk) -> str:
    """Where a clarification's Delete button is: its post's clarifications; the front page for one
    not in public view (an address here must not tell a hidden clarification's question)."""
    public = Comment.objects.filter(pk=pk, status=Comment.Status.PUBLISHED, question__status=Question.Status.PUBLISHED)
    comment = public.values("question_id", "answer_id").first()
    if comment is None:
        return reverse("home")
    if comment["answer_id"] is not None:
        return reverse("questions:answer_comments", args=[comment["answer_id"]])
    return reverse("questions:question_comments", args=[comment["question_id"]])


@require_POST
@keeps_drafts(page=_comment_page)
@login_required
def comment_delete(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("question", "answer"), pk=pk)
    try:  # PermissionDenied (403) for anyone but its author
        comment_services.comment_delete(comment=comment, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, gettext("Your clarification was deleted."))
    if comment.answer is not None and comment.answer.status == Answer.Status.PUBLISHED:
        return redirect(selectors.answer_location(comment.answer))
    return redirect(comment.question.get_absolute_url())
