from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from forum.answers.forms import AnswerForm
from forum.core.forms import apply_errors
from forum.core.privacy import ratelimit_key, recent_source_hashes
from forum.core.tokens import new_form_token, sha256_hex
from forum.moderation.policy import crisis_phrases, mentions_crisis

from . import access, selectors, services
from .forms import AskForm, QuestionForm
from .models import Question, Tag


@require_safe
def home(request):
    return render(request, "questions/home.html", {"questions": selectors.recent_questions(limit=15)})


@require_safe
def question_list(request):
    sort = request.GET.get("sort", "newest")
    tag = None
    if request.GET.get("tag"):
        tag = get_object_or_404(Tag, slug=request.GET["tag"])
    page = selectors.question_list(sort=sort, tag=tag, page=request.GET.get("page", 1))
    return render(
        request,
        "questions/list.html",
        {"page": page, "sort": sort if sort in selectors.SORTS else "newest", "tag": tag, "sorts": selectors.SORTS},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key=ratelimit_key, rate="10/h", method="POST", block=True)
def ask(request):
    member = request.user.is_authenticated
    if request.method == "POST":
        form = AskForm(request.POST, member=member)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.question_create(
                    author=request.user if member else None,
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    content_warnings=data["content_warnings"],
                    show_anonymous=data.get("show_anonymous", True),
                    form_token=data["form_token"],
                    source_hashes=None if member else recent_source_hashes(request),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                question = result.question
                if result.key:
                    access.remember_in_session(request, question)
                    if not result.duplicate:
                        messages.success(request, "Your question was sent. Save your private link below.")
                    return redirect("questions:key", key=result.key)
                messages.success(request, "Your question is posted.")
                return redirect(question)
        if "form_token" in form.errors:
            # A stale or forged token: give the retry a fresh one so the kept text can be sent.
            form.data = form.data.copy()
            form.data["form_token"] = new_form_token()
    else:
        form = AskForm(member=member, initial={"form_token": new_form_token()})
    draft = (request.POST.get("title", ""), request.POST.get("body", ""))
    context = {
        "form": form,
        "crisis_resources": selectors.crisis_resources(),
        "crisis_words": crisis_phrases(),
        "crisis_shown": request.method == "POST" and mentions_crisis(*draft),
    }
    return render(request, "questions/ask.html", context)


@require_safe
def question_detail(request, pk, slug=None):
    question = get_object_or_404(selectors.question_for_thread_qs(), pk=pk)
    if not access.can_view(request, question):
        raise Http404
    if slug != question.slug:
        return redirect(question, permanent=True)
    return render_thread(request, question, template="questions/detail.html")


def render_thread(request, question: Question, *, template: str, extra: dict | None = None, status: int = 200):
    answers = selectors.thread_answers(question)
    votes = selectors.votes_by(request.user, question=question, answers=answers)
    for answer in answers:
        answer.my_vote = votes.get(f"a{answer.pk}", 0)
        answer.is_mine = answer.author_id == request.user.pk
    context = {
        "question": question,
        "answers": answers,
        "question_my_vote": votes.get(f"q{question.pk}", 0),
        "is_asker": access.is_asker(request, question),
        "answer_form": AnswerForm(),
        "crisis_resources": selectors.crisis_resources() if selectors.is_sensitive(question) else [],
        **(extra or {}),
    }
    return render(request, template, context, status=status)


@never_cache
@require_safe
def key_page(request, key):
    question = selectors.question_for_key(sha256_hex(key))
    if question is None:
        return render(request, "questions/key_invalid.html", status=404)
    if question.status == Question.Status.REMOVED:
        return render(request, "questions/key_deleted.html", status=410)
    access.remember_in_session(request, question)
    response = render_thread(request, question, template="questions/key.html", extra={"key": key})
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    question = get_object_or_404(Question, pk=pk)
    access.check_asker(request, question, request.POST.get("key"))
    if question.status == Question.Status.REMOVED:
        raise Http404
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                question = services.question_update(
                    question=question,
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    content_warnings=data["content_warnings"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Your question was updated.")
                return redirect(question)
    else:
        form = QuestionForm(
            initial={
                "title": question.title,
                "body": question.body,
                "tags": list(question.tags.all()),
                "content_warnings": question.content_warnings,
            }
        )
    return render(request, "questions/edit.html", {"form": form, "question": question})


@require_POST
def question_delete(request, pk):
    question = get_object_or_404(Question, pk=pk)
    access.check_asker(request, question, request.POST.get("key"))
    try:
        services.question_delete(question=question)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Your question was deleted. Its words are gone from the forum.")
    return redirect("home")


@require_safe
def tag_list(request):
    return render(request, "questions/tags.html", {"tags": selectors.tag_list()})


@require_safe
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = selectors.question_list(sort=request.GET.get("sort", "newest"), tag=tag, page=request.GET.get("page", 1))
    return render(request, "questions/tag.html", {"tag": tag, "page": page})


@login_required
@require_safe
def notifications(request):
    items = selectors.notifications_for(request.user)
    services.notifications_mark_read(user=request.user)
    return render(request, "questions/notifications.html", {"notifications": items})
