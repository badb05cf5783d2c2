from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from forum.answers.forms import AnswerForm
from forum.core import drafts
from forum.core.drafts import keeps_drafts
from forum.core.forms import apply_errors
from forum.core.pagecache import (
    ACTIVITY,
    ANSWERED,
    EXPERT_ANSWERED,
    LISTS,
    ROWS,
    SCORES,
    cache_page_for_visitors,
    changes_no_content,
    lists_scope,
    thread_scope,
)
from forum.core.privacy import ratelimit_key, recent_source_hashes
from forum.core.ratelimit import ratelimit
from forum.core.tokens import new_form_token, sha256_hex
from forum.moderation.access import is_moderator_session
from forum.moderation.models import SourceBlock, Suspension
from forum.moderation.policy import crisis_phrases, mentions_crisis

from . import access, selectors, services
from .forms import AskerEmailForm, AskForm, KeyLinkEmailForm, QuestionForm, ask_form_from_draft
from .help_views import crisis_lines
from .models import PendingEdit, Question, Tag
from .search import clean_query, pager_query, search_page, similar_questions

# What a list's order or filter depends on, beyond LISTS and its rows (ROWS): pagecache's scopes.
_ORDER_SCOPES = {"active": (ACTIVITY,), "votes": (SCORES,), "unanswered": (ANSWERED,)}


def list_scopes(request, kwargs) -> tuple[str, ...]:
    """A list page (the questions, a topic): its rows, its order, the expert filter's membership."""
    expert = (EXPERT_ANSWERED,) if request.GET.get("expert") == "1" else ()
    return (LISTS, ROWS, *_ORDER_SCOPES.get(request.GET.get("sort", "newest"), ()), *expert)


def home_scopes(request, kwargs) -> tuple[str, ...]:
    """The newest questions (an order only LISTS changes) and the newest expert-answered ones."""
    return (LISTS, ROWS, EXPERT_ANSWERED)


@require_safe
@cache_page_for_visitors(home_scopes)
def home(request):
    questions, expert_questions = selectors.home_lists(newest=15, expert=5)
    context = {"questions": questions, "expert_questions": expert_questions}
    return render(request, "questions/home.html", context)


@require_safe
@cache_page_for_visitors(list_scopes)
def question_list(request):
    sort = request.GET.get("sort", "newest")
    tag = None
    if request.GET.get("tag"):
        tag = get_object_or_404(Tag, slug=request.GET["tag"])
    expert = request.GET.get("expert") == "1"
    page = selectors.question_list(sort=sort, tag=tag, expert=expert, page=request.GET.get("page", 1))
    sort = sort if sort in selectors.SORTS else "newest"
    query = f"sort={sort}" + (f"&tag={tag.slug}" if tag else "") + ("&expert=1" if expert else "")
    context = {"page": page, "sort": sort, "tag": tag, "expert": expert, "sorts": selectors.SORTS, "query": query}
    return render(request, "questions/list.html", context)


def _ask_rate(group, request):
    # Checking for similar questions creates nothing, so it doesn't count against asking.
    return None if "preview" in request.POST else "10/h"


def _ask_page(request) -> str:
    return reverse("questions:ask")


def _thread_page(request, pk) -> str:
    return reverse("questions:detail_noslug", args=[pk])


@never_cache
@sensitive_post_parameters("asker_email")  # an error report (DEBUG's page) never shows the address
@require_http_methods(["GET", "POST"])
@ratelimit(key=ratelimit_key, rate=_ask_rate, method="POST", block=True)
# A member's form whose session ended must not become an accountless question: sign in, text kept.
@keeps_drafts(page=_ask_page, target=lambda request: "ask", fields=("title", "body"), members_only=False)
def ask(request):
    member = request.user.is_authenticated
    similar = None
    if request.method == "POST" and "preview" in request.POST:
        # "Check for similar questions" without JavaScript: keep the draft, show them, create nothing.
        form = ask_form_from_draft(request.POST, member=member)
        similar = similar_questions(title=request.POST.get("title", ""))
    elif request.method == "POST":
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
                    asker_email=data.get("asker_email", ""),
                    language=data["language"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                question = result.question
                if result.key:
                    access.remember_in_session(request, question)
                    if not result.duplicate:
                        messages.success(request, gettext("Your question was sent. Save your private link below."))
                    return redirect("questions:key", key=result.key)
                if question.status == Question.Status.PENDING:  # watched words or a first post: held
                    messages.info(request, gettext(HELD_MESSAGE))
                else:
                    messages.success(request, gettext("Your question is posted."))
                return redirect(question)
        if "form_token" in form.errors:
            # A stale or forged token: give the retry a fresh one so the kept text can be sent.
            form.data = form.data.copy()
            form.data["form_token"] = new_form_token()
    else:
        kept = drafts.take(request, "ask") or {}
        form = AskForm(member=member, initial={"form_token": new_form_token(), **kept})
    draft = (request.POST.get("title", ""), request.POST.get("body", ""))
    context = {
        "form": form,
        "crisis_resources": crisis_lines(request),
        "crisis_words": crisis_phrases(),
        "crisis_shown": request.method == "POST" and mentions_crisis(*draft),
        "similar": similar,
    }
    return render(request, "questions/ask.html", context)


@require_safe
@cache_page_for_visitors(thread_scope)
def question_detail(request, pk, slug=None):
    question = get_object_or_404(selectors.question_for_thread_qs(), pk=pk)
    if not access.can_view(request, question):
        raise Http404
    if slug != question.slug:
        return redirect(question, permanent=True)
    kept = drafts.take(request, f"answer:q{pk}")  # what a member wrote as their session ended
    extra = {"answer_form": AnswerForm(initial={"body": kept.get("body", "")})} if kept else None
    return render_thread(request, question, template="questions/detail.html", extra=extra)


# The lengths the tools' block and suspend forms offer: the models' own (as on the desk).
DESK_LIMITS = {"block_lengths": SourceBlock.LENGTHS, "suspension_days": Suspension.DAYS}


def render_thread(request, question: Question, *, template: str, extra: dict | None = None, status: int = 200):
    selectors.attach_topics([question])
    # A moderator session reads with the desk's tools (templates/moderation/_thread_tools_*.html)
    # and sees hidden answers, to restore them. Signed-in pages are never page-cached.
    moderator_tools = is_moderator_session(request)
    answers_page = selectors.thread_answers(question, page=request.GET.get("page", 1), include_hidden=moderator_tools)
    answers = answers_page.object_list
    selectors.attach_comments(question, answers)
    votes, following = selectors.member_marks(request.user, question=question, answers=answers)
    for answer in answers:
        answer.my_vote = votes.get(f"a{answer.pk}", 0)
        answer.is_mine = request.user.is_authenticated and answer.author_id == request.user.pk
    context = {
        "question": question,
        "answers": answers,
        "answers_page": answers_page,
        "expert_answers": [a for a in answers if a.shows_expert],
        "member_answers": [a for a in answers if not a.shows_expert],
        "question_my_vote": votes.get(f"q{question.pk}", 0),
        "is_asker": access.is_asker(request, question),
        "is_following": following,
        "answer_form": AnswerForm(),
        "crisis_resources": crisis_lines(request) if selectors.is_sensitive(question) else [],
        "moderator_tools": moderator_tools,
        **(DESK_LIMITS if moderator_tools else {}),
        **_own_crisis(request, question, answers),
        **(extra or {}),
    }
    return render(request, template, context, status=status)


def _own_crisis(request, question: Question, answers) -> dict:
    """A member reading their own question or answer whose words mentioned a crisis: the help
    lines, with the honest sentence about when a moderator reads it (members' pages are never
    cached for others)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    own = [post for post in (question, *answers) if post.author_id == user.pk and post.crisis_at is not None]
    if not own:
        return {}
    handled = all(post.crisis_handled_at is not None for post in own)
    return {"crisis_resources": crisis_lines(request), "crisis_wait": True, "crisis_wait_handled": handled}


@never_cache
@require_safe
def key_page(request, key):
    question = selectors.question_for_key(sha256_hex(key))
    if question is None:
        return render(request, "questions/key_invalid.html", status=404)
    if question.status == Question.Status.REMOVED:
        return render(request, "questions/key_deleted.html", status=410)
    access.remember_in_session(request, question)
    return render_key_page(request, question, key=key)


def render_key_page(
    request,
    question: Question,
    *,
    key: str,
    email_form: AskerEmailForm | None = None,
    link_form: KeyLinkEmailForm | None = None,
    status=200,
):
    """The asker's private page; also re-rendered by its email forms with their errors."""
    extra = {
        "key": key,
        "edit_waiting": PendingEdit.objects.filter(question=question).exists(),
        # Whether an address is on file, never which (selectors.question_for_key annotates it).
        "email_form": email_form or AskerEmailForm(initial={"key": key}),
        "link_form": link_form or KeyLinkEmailForm(initial={"key": key}),
        # Help lines and the honest wait when their words mentioned a crisis, and the moderators'
        # supportive notes (questions/_crisis_support.html); the thread's own help box gives way.
        "support_notes": selectors.support_notes(question),
        **({"crisis_support_resources": crisis_lines(request), "crisis_resources": []} if question.crisis_at else {}),
    }
    response = render_thread(request, question, template="questions/key.html", extra=extra, status=status)
    # The key is in this page's URL: never send it to another site. (Not "no-referrer": that
    # makes browsers send "Origin: null" with the page's own forms, which CSRF rightly refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _question_edit_page(request, pk) -> str:
    return reverse("questions:edit", args=[pk])


@never_cache
@require_http_methods(["GET", "POST"])
@keeps_drafts(page=_question_edit_page, target=lambda request, pk: f"edit:q{pk}", fields=("title", "body"),
              members_only=False)  # fmt: skip
def question_edit(request, pk):
    question = get_object_or_404(Question, pk=pk)
    access.check_asker(request, question, request.POST.get("key"))
    if question.status == Question.Status.REMOVED:
        raise Http404
    waiting = PendingEdit.objects.filter(question=question).first()
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.question_update(
                    question=question,
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    content_warnings=data["content_warnings"],
                    language=data["language"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if result.waiting_for_review:
                    messages.success(request, gettext(EDIT_WAITS_MESSAGE))
                else:
                    messages.success(request, gettext("Your question was updated."))
                return redirect(result.question)
    else:
        # An edit still waiting for review is what the asker last wrote: they continue from it.
        draft = waiting or question
        kept = drafts.take(request, f"edit:q{pk}") or {}  # typed as the member's session ended
        form = QuestionForm(
            initial={
                "title": draft.title,
                "body": draft.body,
                "tags": list(draft.tags.all()),
                "content_warnings": draft.content_warnings,
                "language": question.language,
                **kept,
            }
        )
    return render(request, "questions/edit.html", {"form": form, "question": question, "edit_waiting": waiting})


HELD_MESSAGE = gettext_noop(
    "Thank you. Your question is waiting for review: only you can see it until a moderator has read it."
)
EDIT_WAITS_MESSAGE = gettext_noop(
    "Thank you. Your edit will show once a moderator has read it; until then the thread shows "
    "the version already published."
)


@require_safe
@cache_page_for_visitors(lists_scope)
def tag_list(request):
    return render(request, "questions/tags.html", {"tags": selectors.tag_list()})


@require_safe
@cache_page_for_visitors(list_scopes)
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = selectors.question_list(sort=request.GET.get("sort", "newest"), tag=tag, page=request.GET.get("page", 1))
    return render(request, "questions/tag.html", {"tag": tag, "page": page})


@never_cache
@login_required
@require_safe
def notifications(request):
    page = selectors.notifications_page(request.user, page=request.GET.get("page", 1))
    return render(request, "questions/notifications.html", {"page": page})


@keeps_drafts(page=lambda request: reverse("questions:notifications"))
@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("questions:notifications")


@keeps_drafts(page=_thread_page)  # signing in lands on the thread, not on this POST-only address
@login_required
@require_POST
@ratelimit(key=ratelimit_key, rate="60/m", method="POST", block=True)
def question_follow(request, pk):
    question = get_object_or_404(Question, pk=pk)
    if not access.can_view(request, question):
        raise Http404
    try:
        services.follow_start(user=request.user, question=question)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, gettext("You follow this thread: you'll hear of new answers and clarifications."))
    return _back(request, question)


@keeps_drafts(page=_thread_page)
@login_required
@require_POST
@ratelimit(key=ratelimit_key, rate="60/m", method="POST", block=True)
def question_unfollow(request, pk):
    question = get_object_or_404(Question, pk=pk)
    services.follow_stop(user=request.user, question=question)
    messages.success(request, gettext("You no longer follow this thread."))
    return _back(request, question)


def _back(request, question: Question):
    """To `next` if it is a path on this site (the Following list), else to the thread."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    if question.status == Question.Status.REMOVED:
        return redirect("home")
    return redirect(question)


@require_safe
@ratelimit(key=ratelimit_key, rate="60/m", block=True)
def search(request):
    """Search results (search.search_page): typos are corrected from the forum's own words and
    the corrected search is shown when it finds anything ("Showing results for …", with a link
    to search exactly what was typed: exact=1, which the pages keep); a query made only of words
    too common to search for says so."""
    query = clean_query(request.GET.get("q", ""))
    context = {"search_query": query, "page": None}
    if query:  # an empty box gets the tips, and no query runs
        tag = get_object_or_404(Tag, slug=request.GET["tag"]) if request.GET.get("tag") else None
        expert = request.GET.get("expert") == "1"
        exact = request.GET.get("exact") == "1"
        found = search_page(query=query, tag=tag, expert=expert, page=request.GET.get("page", 1), exact=exact)
        context |= {
            "page": found.page,
            "tag": tag,
            "expert": expert,
            "tags": selectors.tag_list(),
            "pager_query": pager_query(query=found.query, tag=tag, expert=expert) + ("&exact=1" if exact else ""),
            "correction": found.correction,
            "exact_query": pager_query(query=query, tag=tag, expert=expert) + "&exact=1",
            "too_common": found.too_common,
        }
    response = render(request, "questions/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@changes_no_content  # a lookup: visitors' cached pages stay valid
@never_cache  # the answer is about a draft: keep it out of caches
@require_POST
@ratelimit(key=ratelimit_key, rate="120/m", block=True)
def similar(request):
    """Published questions like the title being typed, for similar.js on the ask page.

    A POST (with the ask form's CSRF token) so the draft title never sits in a URL, where
    proxies' and servers' access logs would keep it.
    """
    questions = similar_questions(title=request.POST.get("title", ""))
    return JsonResponse({"questions": [{"title": q.title, "url": q.get_absolute_url()} for q in questions]})
