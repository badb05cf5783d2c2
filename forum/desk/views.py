from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import ExpertProfile
from forum.answers.models import Answer, Comment
from forum.core.errors import AlreadyHandled
from forum.core.forms import apply_errors
from forum.core.privacy import ratelimit_key, source_hash
from forum.core.ratelimit import ratelimit
from forum.moderation.access import moderator_required
from forum.moderation.models import FirstPostReview, PostRevision, SourceBlock, Suspension, WatchedWord
from forum.people import selectors as account_selectors
from forum.people import services as account_services
from forum.questions.models import PendingEdit, Question
from forum.questions.selectors import answer_location

from . import revision_services, selectors, services
from .forms import (
    BlockForm,
    EditForm,
    LogFilterForm,
    ReasonForm,
    ReportForm,
    SuspendForm,
    WatchedWordForm,
)

# --- reporting (anyone) -------------------------------------------------------------------


def _reportable(kind: str, pk: int) -> tuple[Question | Answer | Comment, Question]:
    post: Question | Answer | Comment
    if kind == "question":
        post = thread = get_object_or_404(Question, pk=pk)
    elif kind == "answer":
        answer = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
        post, thread = answer, answer.question
    else:  # a clarification: under a published answer, if it is under one
        comment = get_object_or_404(Comment.objects.select_related("question", "answer"), pk=pk)
        if comment.answer is not None and comment.answer.status != Answer.Status.PUBLISHED:
            raise Http404
        post, thread = comment, comment.question
    if post.status != post.Status.PUBLISHED or thread.status != Question.Status.PUBLISHED:
        raise Http404
    return post, thread


def _after_report(kind: str, post, thread) -> str:
    if kind == "answer":
        return answer_location(post)
    if kind == "comment" and post.answer is not None:
        return answer_location(post.answer)
    return thread.get_absolute_url()


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
                messages.info(request, gettext("You already reported this post. The moderators will look at it."))
            else:
                messages.success(request, gettext("Thank you. The moderators will look at your report."))
            return redirect(_after_report(kind, post, thread))
    return render(request, "moderation/report.html", {"form": form, "post": post, "thread": thread, "kind": kind})


# --- the desk -----------------------------------------------------------------------------


@never_cache
@require_safe
@moderator_required
def queue(request):
    return render(request, "moderation/queue.html", {**selectors.queue(), **LIMITS})


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


# The lengths the desk's block and suspend forms offer: the models' own (one definition).
LIMITS = {"block_lengths": SourceBlock.LENGTHS, "suspension_days": Suspension.DAYS}


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
        messages.error(request, str(error) or gettext("You can't do that."))
    except AlreadyHandled as error:
        messages.info(request, error.messages[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Done. The action is in the moderation log."))
    return _back(request, back)


def _reason(request) -> str:
    """The reason typed, or else the text of the canned reason picked (forms without JavaScript)."""
    return ReasonForm(request.POST).reason_text()


# --- actions on a question: one URL and one small view each ------------------------------


@require_POST
@moderator_required
def question_approve(request, pk):
    question = get_object_or_404(Question, pk=pk)
    return _run(request, services.question_approve, moderator=request.user, question=question, reason=_reason(request))


@require_POST
@moderator_required
def question_reject(request, pk):
    question = get_object_or_404(Question, pk=pk)
    return _run(request, services.question_reject, moderator=request.user, question=question, reason=_reason(request))


@require_POST
@moderator_required
def question_hide(request, pk):
    question = get_object_or_404(Question, pk=pk)
    return _run(request, services.post_hide, moderator=request.user, post=question, reason=_reason(request))


@require_POST
@moderator_required
def question_restore(request, pk):
    question = get_object_or_404(Question, pk=pk)
    return _run(request, services.post_restore, moderator=request.user, post=question, reason=_reason(request))


@require_POST
@moderator_required
def question_dismiss_reports(request, pk):
    question = get_object_or_404(Question, pk=pk)
    return _run(request, services.flags_dismiss, moderator=request.user, post=question, reason=_reason(request))


@require_POST
@moderator_required
def question_lock(request, pk):
    question = get_object_or_404(Question, pk=pk)
    return _run(request, services.question_lock, moderator=request.user, question=question, reason=_reason(request))


@require_POST
@moderator_required
def question_unlock(request, pk):
    question = get_object_or_404(Question, pk=pk)
    return _run(request, services.question_unlock, moderator=request.user, question=question, reason=_reason(request))


@require_POST
@moderator_required
def question_reopen(request, pk):
    question = get_object_or_404(Question, pk=pk)
    return _run(request, services.question_reopen, moderator=request.user, question=question, reason=_reason(request))


# --- actions on an answer ------------------------------------------------------------------


@require_POST
@moderator_required
def answer_approve(request, pk):
    answer = get_object_or_404(Answer, pk=pk)
    return _run(request, services.answer_approve, moderator=request.user, answer=answer, reason=_reason(request))


@require_POST
@moderator_required
def answer_hide(request, pk):
    answer = get_object_or_404(Answer, pk=pk)
    return _run(request, services.post_hide, moderator=request.user, post=answer, reason=_reason(request))


@require_POST
@moderator_required
def answer_restore(request, pk):
    answer = get_object_or_404(Answer, pk=pk)
    return _run(request, services.post_restore, moderator=request.user, post=answer, reason=_reason(request))


@require_POST
@moderator_required
def answer_dismiss_reports(request, pk):
    answer = get_object_or_404(Answer, pk=pk)
    return _run(request, services.flags_dismiss, moderator=request.user, post=answer, reason=_reason(request))


@require_POST
@moderator_required
def edit_approve(request, pk):
    edit = get_object_or_404(PendingEdit, pk=pk)
    return _run(request, services.question_edit_approve, moderator=request.user, edit=edit, reason=_reason(request))


@require_POST
@moderator_required
def edit_reject(request, pk):
    edit = get_object_or_404(PendingEdit, pk=pk)
    return _run(request, services.question_edit_reject, moderator=request.user, edit=edit, reason=_reason(request))


@require_POST
@moderator_required
def mark_reviewed(request, pk):
    review = get_object_or_404(FirstPostReview, pk=pk)
    return _run(request, services.first_post_mark_reviewed, moderator=request.user, review=review)


def _edit(request, post, kind: str):
    form = EditForm(request.POST or None, initial={"title": getattr(post, "title", ""), "body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(moderator=request.user, post=post, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, gettext("Edited. The original text is kept and the edit is logged."))
            return _back(request)
    back = request.GET.get("next", "") or request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return render(request, "moderation/edit.html", {"form": form, "post": post, "kind": kind, "next": back})


def _rollback(request, post, revision):
    return _run(request, revision_services.post_rollback, moderator=request.user, post=post, revision=revision,
                reason=_reason(request), back="moderation:log")  # fmt: skip


@require_POST
@moderator_required
def question_rollback(request, pk, revision_pk):
    question = get_object_or_404(Question, pk=pk)
    return _rollback(request, question, get_object_or_404(PostRevision, pk=revision_pk, question=question))


@require_POST
@moderator_required
def answer_rollback(request, pk, revision_pk):
    answer = get_object_or_404(Answer, pk=pk)
    return _rollback(request, answer, get_object_or_404(PostRevision, pk=revision_pk, answer=answer))


@never_cache
@require_http_methods(["GET", "POST"])
@moderator_required
def question_edit(request, pk):
    return _edit(request, get_object_or_404(Question, pk=pk), "question")


@never_cache
@require_http_methods(["GET", "POST"])
@moderator_required
def answer_edit(request, pk):
    return _edit(request, get_object_or_404(Answer, pk=pk), "answer")


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
    context = {"form": form, "question": question, "author": author, **LIMITS}
    return render(request, "moderation/reveal.html", context)


@require_POST
@moderator_required
def suspend(request, user_id):
    member = get_object_or_404(get_user_model(), pk=user_id)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give a number of days (1–365) and a reason."))
        return _back(request)
    return _run(request, services.user_suspend, moderator=request.user, user=member, **form.cleaned_data)


@require_POST
@moderator_required
def suspend_question_author(request, pk):
    question = get_object_or_404(Question, pk=pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give a number of days (1–365) and a reason."))
        return _back(request)
    return _run(
        request, services.question_author_suspend, moderator=request.user, question=question, **form.cleaned_data
    )


@require_POST
@moderator_required
def unsuspend_question_author(request, pk):
    question = get_object_or_404(Question, pk=pk)
    return _run(request, services.question_author_unsuspend, moderator=request.user, question=question,
                reason=_reason(request))  # fmt: skip


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
        messages.error(request, gettext("Choose how long and give a reason."))
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
            messages.success(request, gettext("Added."))
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
    return render(
        request,
        "moderation/experts.html",
        {"applications": account_selectors.applications_waiting(), "verified": account_selectors.verified_experts()},
    )


def _decide(request, pk, decide):
    profile = get_object_or_404(ExpertProfile, pk=pk)
    return _run(request, decide, back="moderation:experts", moderator=request.user, profile=profile,
                reason=_reason(request))  # fmt: skip


@require_POST
@moderator_required
def expert_verify(request, pk):
    return _decide(request, pk, account_services.expert_verify)


@require_POST
@moderator_required
def expert_reject(request, pk):
    return _decide(request, pk, account_services.expert_reject)


@require_POST
@moderator_required
def expert_revoke(request, pk):
    return _decide(request, pk, account_services.expert_revoke)
