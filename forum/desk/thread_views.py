"""Desk pages a moderator reaches from a thread: closing as a duplicate (with a search for the
original), moving topics, and deleting (a confirmation page of its own). See views.py for the rest."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from forum.answers.models import Answer, Comment
from forum.core.errors import AlreadyHandled
from forum.core.forms import apply_errors
from forum.moderation.access import moderator_required
from forum.moderation.canned import picked_text
from forum.questions.models import Question
from forum.questions.search import clean_query, question_search

from . import comment_services, services, thread_services
from .forms import DuplicateForm, ReasonForm, RetagForm
from .views import _run

DUPLICATE_CANDIDATES = 10


def _candidates(question: Question, query: str) -> list[Question]:
    """Published questions matching `query` (the site's search), never the question itself."""
    if not query:
        return []
    found = question_search(query=query).object_list
    return [q for q in found if q.pk != question.pk][:DUPLICATE_CANDIDATES]


@never_cache
@require_http_methods(["GET", "POST"])
@moderator_required
def close_duplicate(request, pk):
    """GET ?q=…: candidates from the search, with radio buttons; POST: close (the original must be
    another published question)."""
    question = get_object_or_404(Question, pk=pk)
    form = DuplicateForm(request.POST or None)
    query = clean_query(request.GET.get("q", "") if request.method == "GET" else request.POST.get("q", ""))
    if request.method == "GET" and "q" not in request.GET:
        query = clean_query(question.title)
    if request.method == "POST" and form.is_valid():
        original = Question.objects.filter(pk=form.cleaned_data["duplicate_of"]).first()
        reason = form.cleaned_data["reason"] or picked_text(form.cleaned_data.get("canned"))
        try:
            if original is None or original.status != Question.Status.PUBLISHED or original.pk == question.pk:
                raise ValidationError({"duplicate_of": gettext("Choose another published question.")})
            services.question_close_duplicate(
                moderator=request.user, question=question, duplicate_of=original, reason=reason
            )
        except AlreadyHandled as error:
            messages.info(request, error.messages[0])
            return redirect(question)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, gettext("Closed as a duplicate. The action is in the moderation log."))
            return redirect(question)
    context = {"question": question, "form": form, "query": query, "candidates": _candidates(question, query)}
    return render(request, "moderation/duplicate.html", context, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@moderator_required
def question_retag(request, pk):
    question = get_object_or_404(Question, pk=pk)
    form = RetagForm(request.POST or None, initial={"tags": list(question.tags.all())})
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"] or picked_text(form.cleaned_data.get("canned"))
        try:
            thread_services.question_retag(
                moderator=request.user, question=question, tags=form.cleaned_data["tags"], reason=reason
            )
        except AlreadyHandled as error:
            messages.info(request, error.messages[0])
            return redirect(question)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, gettext("Moved. The action is in the moderation log."))
            return redirect(question)
    return render(request, "moderation/retag.html", {"question": question, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


# --- deleting: a confirmation page first ---------------------------------------------------


def _delete(request, *, shown, kind: str, thread: Question, action, **target):
    """POST without confirm=yes: the confirmation page, saying what will be lost, the reason kept.
    POST with it (and a reason): delete, logged. `shown` is the post; `target` the service's arguments."""
    reason = ReasonForm(request.POST).reason_text()
    confirmed = request.POST.get("confirm") == "yes"
    if confirmed and reason:
        back = "moderation:queue"
        return _run(request, action, moderator=request.user, reason=reason, back=back, **target)
    context = {"post": shown, "kind": kind, "thread": thread, "reason": reason, "missing_reason": confirmed,
               "next": request.POST.get("next", "")}  # fmt: skip
    return render(request, "moderation/confirm_delete.html", context, status=400 if confirmed else 200)


@require_POST
@moderator_required
def question_delete(request, pk):
    question = get_object_or_404(Question.objects.prefetch_related("tags"), pk=pk)
    return _delete(request, shown=question, kind="question", thread=question, action=services.post_delete,
                   post=question)  # fmt: skip


@require_POST
@moderator_required
def answer_delete(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("question", "author"), pk=pk)
    return _delete(request, shown=answer, kind="answer", thread=answer.question, action=services.post_delete,
                   post=answer)  # fmt: skip


@require_POST
@moderator_required
def comment_delete(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("question"), pk=pk)
    return _delete(request, shown=comment, kind="clarification", thread=comment.question,
                   action=comment_services.comment_delete, comment=comment)  # fmt: skip
