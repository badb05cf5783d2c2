from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from forum.answers.models import Answer
from forum.core.forms import apply_errors
from forum.core.privacy import ratelimit_key, source_hash
from forum.core.ratelimit import ratelimit
from forum.questions.models import Question
from forum.questions.selectors import answer_location

from . import selectors, services
from .access import moderator_required
from .forms import (
    BlockForm,
    DuplicateForm,
    EditForm,
    LogFilterForm,
    ReasonForm,
    ReportForm,
    SuspendForm,
    WatchedWordForm,
)
from .models import FirstPostReview, WatchedWord

# --- reporting (anyone) -------------------------------------------------------------------


def _reportable(kind: str, pk: int):
    model = Question if kind == "question" else Answer
    post = get_object_or_404(model.objects.select_related(*(["question"] if kind == "answer" else [])), pk=pk)
    thread = post if kind == "question" else post.question
    if post.status != "published" or thread.status != Question.Status.PUBLISHED:
        raise Http404
    return post, thread


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key=ratelimit_key, rate="20/h", method="POST", block=True)
def report(request, kind, pk):
    post, thread = _reportable(kind, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            flag = services.flag_create(
                post=post,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                reporter=request.user if request.user.is_authenticated else None,
                reporter_hash="" if request.user.is_authenticated else source_hash(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if flag is None:
                messages.info(request, "You already reported this post. The moderators will look at it.")
            else:
                messages.success(request, "Thank you. The moderators will look at your report.")
            return redirect(thread.get_absolute_url() if kind == "question" else answer_location(post))
    return render(request, "moderation/report.html", {"form": form, "post": post, "thread": thread, "kind": kind})


# --- the desk -----------------------------------------------------------------------------


@never_cache
@require_safe
@moderator_required
def queue(request):
    return render(request, "moderation/queue.html", selectors.queue())


@never_cache
@require_safe
@moderator_required
def log(request):
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.action_log(
        moderator=filters.get("moderator", ""),
        kind=filters.get("kind", ""),
        since=filters.get("since"),
        until=filters.get("until"),
        page=request.GET.get("page", 1),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "moderation/log.html", {"form": form, "page": page, "query": query.urlencode()})


QUESTION_ACTIONS = {
    "approve": lambda m, q, d: services.question_approve(moderator=m, question=q, reason=d["reason"]),
    "reject": lambda m, q, d: services.question_reject(moderator=m, question=q, reason=d["reason"]),
    "hide": lambda m, q, d: services.post_hide(moderator=m, post=q, reason=d["reason"]),
    "restore": lambda m, q, d: services.post_restore(moderator=m, post=q, reason=d["reason"]),
    "delete": lambda m, q, d: services.post_delete(moderator=m, post=q, reason=d["reason"]),
    "dismiss": lambda m, q, d: services.flags_dismiss(moderator=m, post=q, reason=d["reason"]),
    "lock": lambda m, q, d: services.question_lock(moderator=m, question=q, reason=d["reason"]),
    "unlock": lambda m, q, d: services.question_unlock(moderator=m, question=q, reason=d["reason"]),
    "reopen": lambda m, q, d: services.question_reopen(moderator=m, question=q, reason=d["reason"]),
}
ANSWER_ACTIONS = {
    "approve": lambda m, a, d: services.answer_approve(moderator=m, answer=a, reason=d["reason"]),
    "hide": lambda m, a, d: services.post_hide(moderator=m, post=a, reason=d["reason"]),
    "restore": lambda m, a, d: services.post_restore(moderator=m, post=a, reason=d["reason"]),
    "delete": lambda m, a, d: services.post_delete(moderator=m, post=a, reason=d["reason"]),
    "dismiss": lambda m, a, d: services.flags_dismiss(moderator=m, post=a, reason=d["reason"]),
}


def _back(request, default: str = "moderation:queue"):
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if target and safe else reverse(default))


def _run(request, action, *args, back: str = "moderation:queue", **kwargs):
    try:
        action(*args, **kwargs)
    except PermissionDenied as error:
        messages.error(request, str(error) or "You can't do that.")
    except services.AlreadyHandled as error:
        messages.info(request, error.messages[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Done. The action is in the moderation log.")
    return _back(request, back)


@require_POST
@moderator_required
def act(request, kind, pk, action):
    actions = QUESTION_ACTIONS if kind == "question" else ANSWER_ACTIONS
    if action not in actions:
        raise Http404
    post = get_object_or_404(Question if kind == "question" else Answer, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    return _run(request, actions[action], request.user, post, {"reason": form.cleaned_data.get("reason", "")})


@require_POST
@moderator_required
def close_duplicate(request, pk):
    question = get_object_or_404(Question, pk=pk)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the number of the original question.")
        return _back(request)
    original = Question.objects.filter(pk=form.cleaned_data["duplicate_of"]).first()
    if original is None:
        messages.error(request, "There is no question with that number.")
        return _back(request)
    return _run(
        request,
        services.question_close_duplicate,
        moderator=request.user,
        question=question,
        duplicate_of=original,
        reason=form.cleaned_data["reason"],
    )


@require_POST
@moderator_required
def mark_reviewed(request, pk):
    review = get_object_or_404(FirstPostReview, pk=pk)
    return _run(request, services.first_post_mark_reviewed, moderator=request.user, review=review)


@never_cache
@require_http_methods(["GET", "POST"])
@moderator_required
def edit(request, kind, pk):
    post = get_object_or_404(Question if kind == "question" else Answer, pk=pk)
    form = EditForm(request.POST or None, initial={"title": getattr(post, "title", ""), "body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(moderator=request.user, post=post, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Edited. The original text is kept and the edit is logged.")
            return redirect("moderation:queue")
    return render(request, "moderation/edit.html", {"form": form, "post": post, "kind": kind})


@never_cache
@require_http_methods(["GET", "POST"])
@moderator_required
def reveal(request, pk):
    question = get_object_or_404(Question, pk=pk)
    form = ReasonForm(request.POST or None)
    author = None
    if request.method == "POST" and form.is_valid():
        try:
            author = services.author_reveal(
                moderator=request.user, question=question, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
    return render(request, "moderation/reveal.html", {"form": form, "question": question, "author": author})


@require_POST
@moderator_required
def suspend(request, user_id):
    member = get_object_or_404(get_user_model(), pk=user_id)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a number of days (1–365) and a reason.")
        return _back(request)
    return _run(request, services.user_suspend, moderator=request.user, user=member, **form.cleaned_data)


@require_POST
@moderator_required
def suspend_question_author(request, pk):
    question = get_object_or_404(Question, pk=pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a number of days (1–365) and a reason.")
        return _back(request)
    return _run(
        request, services.question_author_suspend, moderator=request.user, question=question, **form.cleaned_data
    )


@require_POST
@moderator_required
def unsuspend(request, user_id):
    member = get_object_or_404(get_user_model(), pk=user_id)
    return _run(request, services.user_unsuspend, moderator=request.user, user=member)


@require_POST
@moderator_required
def block(request, pk):
    question = get_object_or_404(Question, pk=pk)
    form = BlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how long and give a reason.")
        return _back(request)
    return _run(request, services.source_block, moderator=request.user, question=question, **form.cleaned_data)


@never_cache
@require_http_methods(["GET", "POST"])
@moderator_required
def words(request):
    form = WatchedWordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.watched_word_add(moderator=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Added.")
            return redirect("moderation:words")
    return render(request, "moderation/words.html", {"form": form, "words": WatchedWord.objects.all()})


@require_POST
@moderator_required
def word_remove(request, pk):
    word = get_object_or_404(WatchedWord, pk=pk)
    return _run(request, services.watched_word_remove, moderator=request.user, word=word)


# --- expert applications ------------------------------------------------------------------


@never_cache
@require_safe
@moderator_required
def experts(request):
    from accounts import selectors as account_selectors

    return render(
        request,
        "moderation/experts.html",
        {"applications": account_selectors.applications_waiting(), "verified": account_selectors.verified_experts()},
    )


@require_POST
@moderator_required
def expert_decide(request, pk, decision):
    from accounts import services as account_services
    from accounts.models import ExpertProfile

    decide = {
        "verify": account_services.expert_verify,
        "reject": account_services.expert_reject,
        "revoke": account_services.expert_revoke,
    }.get(decision)
    if decide is None:
        raise Http404
    profile = get_object_or_404(ExpertProfile, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    return _run(request, decide, back="moderation:experts", moderator=request.user, profile=profile, reason=reason)
