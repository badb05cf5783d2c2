"""Deleting, which cannot be undone, asks first on a page of its own (issue 15).

A question: the asker's button (the private page, with the key; the thread, for a member who
asked or the browser session that asked) POSTs here without `confirm`; that renders the page that
says what will be lost, with the key in a hidden field (never in a URL); its button POSTs
`confirm=yes`, which deletes. An answer: its author's link GETs the page, whose button POSTs.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from forum.answers.models import Answer

from . import access, selectors, services
from .answer_services import answer_delete as delete_answer
from .models import AskerContact, Question


def _private(response):
    # The page holds the key in its form: never send it elsewhere, never index it.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@sensitive_post_parameters("key")
@require_POST
def question_delete(request, pk):
    question = get_object_or_404(Question, pk=pk)
    key = request.POST.get("key", "")
    access.check_asker(request, question, key)
    if question.status == Question.Status.REMOVED:
        messages.error(request, gettext("This question was already deleted."))
        return redirect("home")
    if request.POST.get("confirm") != "yes":
        key = key if access.key_opens(question, key) else ""
        context = {
            "question": question,
            "key": key,
            "lost": selectors.question_deletion_summary(question),
            "has_contact": bool(key) and AskerContact.objects.filter(question=question).exists(),
        }
        return _private(render(request, "questions/delete_question.html", context))
    try:
        services.question_delete(question=question)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, gettext("Your question was deleted. Its words are gone from the forum."))
    return redirect("home")


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def answer_delete(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    # Someone else's answer, or one already gone, is not there for this member.
    if answer.author_id != request.user.pk or answer.status == Answer.Status.REMOVED:
        raise Http404
    if not access.can_view(request, answer.question):
        raise Http404
    if request.method == "GET":
        context = {"answer": answer, "question": answer.question, "lost": selectors.answer_deletion_summary(answer)}
        return _private(render(request, "questions/delete_answer.html", context))
    try:
        delete_answer(answer=answer, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, gettext("Your answer was deleted. Its words are gone from the forum."))
    return redirect(answer.question)
