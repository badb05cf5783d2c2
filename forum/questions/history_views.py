"""A post's history, and an author's edit of their answer (which adds to it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from forum.answers.forms import AnswerForm
from forum.answers.models import Answer
from forum.core import drafts
from forum.core.drafts import keeps_drafts
from forum.core.forms import apply_errors
from forum.core.privacy import ratelimit_key
from forum.core.ratelimit import ratelimit
from forum.moderation.access import is_moderator_session

from . import access, selectors
from .models import Question
from .revision_services import answer_edit as edit_answer
from .revisions import post_history


def _history(request, post, *, question: Question, kind: str):
    context = {
        "post": post,
        "question": question,
        "kind": kind,
        "versions": post_history(post),
        "can_roll_back": is_moderator_session(request) and post.status != post.Status.REMOVED,
    }
    response = render(request, "questions/history.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def question_history(request, pk):
    question = get_object_or_404(Question.objects.select_related("author"), pk=pk)
    if not access.can_view(request, question):
        raise Http404
    return _history(request, question, question=question, kind="question")


@never_cache
@require_safe
def answer_history(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("question__author", "author"), pk=pk)
    if not access.can_view_answer(request, answer):
        raise Http404
    return _history(request, answer, question=answer.question, kind="answer")


def _answer_edit_page(request, pk) -> str:
    return reverse("questions:answer_edit", args=[pk])


@never_cache
@require_http_methods(["GET", "POST"])
@keeps_drafts(page=_answer_edit_page, target=lambda request, pk: f"edit:a{pk}", fields=("body",))
@login_required
@ratelimit(key=ratelimit_key, rate="30/h", method="POST", block=True)
def answer_edit(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    if answer.status == Answer.Status.REMOVED or answer.question.status == Question.Status.REMOVED:
        raise Http404
    if answer.author_id != request.user.pk:
        raise PermissionDenied(gettext("Only the author can edit this answer."))
    kept = drafts.take(request, f"edit:a{pk}") if request.method == "GET" else None
    form = AnswerForm(request.POST or None, initial={"body": (kept or {}).get("body", answer.body)})
    if request.method == "POST" and form.is_valid():
        try:
            answer = edit_answer(answer=answer, editor=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if answer.status == Answer.Status.PENDING:
                messages.info(
                    request, gettext("Your edit is saved. A moderator will read it before the answer shows again.")
                )
                return redirect(answer.question)
            messages.success(request, gettext("Your answer was updated. Its earlier text is kept in its history."))
            return redirect(selectors.answer_location(answer))
    status = 400 if form.errors else 200
    return render(request, "questions/answer_edit.html", {"form": form, "answer": answer}, status=status)
