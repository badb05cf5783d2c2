from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_POST, require_safe

from forum.answers.forms import AnswerForm, VoteForm
from forum.answers.models import Answer
from forum.core.drafts import keeps_drafts
from forum.core.forms import apply_errors
from forum.core.privacy import ratelimit_key
from forum.core.ratelimit import ratelimit

from . import access, selectors
from . import answer_services as services
from .models import Question
from .views import render_thread


@require_safe
def answer_permalink(request, pk):
    """An answer's lasting address: to its thread, on the page of answers it is on."""
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=pk, status=Answer.Status.PUBLISHED)
    if not access.can_view(request, answer.question):
        raise Http404
    return redirect(selectors.answer_location(answer))


def answer_form_page(request, pk) -> str:
    """Where the answer form lives: the thread (its address without the slug redirects to it)."""
    return reverse("questions:detail_noslug", args=[pk]) + "#your-answer-heading"


def thread_page(request, pk) -> str:
    return reverse("questions:detail_noslug", args=[pk])


def answer_page(request, pk) -> str:
    return reverse("questions:answer_permalink", args=[pk])


ANSWER_HELD_MESSAGE = gettext_noop(
    "Thank you — your answer is waiting for review: it shows once a moderator has read it."
)


@require_POST
@keeps_drafts(page=answer_form_page, target=lambda request, pk: f"answer:q{pk}", fields=("body",))
@login_required
@ratelimit(key=ratelimit_key, rate="20/h", block=True)
def answer_create(request, pk):
    question = get_object_or_404(Question, pk=pk)
    if not access.can_view(request, question):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_post(question=question, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if answer.status == answer.Status.PENDING:  # watched words or a first post: held
                messages.info(request, gettext(ANSWER_HELD_MESSAGE))
            else:
                messages.success(request, gettext("Thank you — your answer is posted."))
            return redirect(selectors.answer_location(answer))
    # Show the thread again with the answer form, the text kept and the error beside it.
    return render_thread(request, question, template="questions/detail.html", extra={"answer_form": form}, status=400)


def _back_to(post) -> str:
    """Where a no-JavaScript action on a post returns: the post, on its page of the thread."""
    return selectors.answer_location(post) if isinstance(post, Answer) else post.get_absolute_url()


def _vote(request, *, question=None, answer=None):
    post = question or answer
    form = VoteForm(request.POST)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"error": gettext("Unknown vote.")}, status=400)
        messages.error(request, gettext("That vote was not understood."))
        return redirect(_back_to(post))
    try:
        score = services.vote_cast(
            user=request.user, value=form.cleaned_data["value"], question=question, answer=answer
        )
    except (ValidationError, PermissionDenied) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else str(error)
        if wants_json:
            return JsonResponse({"error": text}, status=403 if isinstance(error, PermissionDenied) else 400)
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, text)
        return redirect(_back_to(post))
    if wants_json:
        return JsonResponse({"score": score, "vote": form.cleaned_data["value"]})
    return redirect(_back_to(post))


@require_POST
@keeps_drafts(page=thread_page)  # signing in lands on the thread, not on this POST-only address
@login_required
@ratelimit(key=ratelimit_key, rate="120/h", block=True)
def question_vote(request, pk):
    return _vote(request, question=get_object_or_404(Question.objects.published(), pk=pk))


@require_POST
@keeps_drafts(page=answer_page)
@login_required
@ratelimit(key=ratelimit_key, rate="120/h", block=True)
def answer_vote(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("question").published(), pk=pk)
    if not answer.question.is_published:
        raise Http404
    return _vote(request, answer=answer)


@require_POST
def answer_accept(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    question = answer.question
    access.check_asker(request, question, request.POST.get("key"))
    try:
        if request.POST.get("undo"):
            services.answer_unaccept(question=question)
        else:
            services.answer_accept(question=question, answer=answer)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        done = gettext("Marked as the answer that helped.") if not request.POST.get("undo") else gettext("Unmarked.")
        messages.success(request, done)
    key = request.POST.get("key")
    if key and access.key_opens(question, key):
        return redirect("questions:key", key=key)
    return redirect(_back_to(answer))
