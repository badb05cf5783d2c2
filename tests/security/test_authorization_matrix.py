"""Every URL of the site, as every persona, with every method that matters: one table, one status per cell.

Each row is (url name, kwargs builder, method, {persona: expected}). A cell holds an HTTP status,
or LOGIN (302 to the sign-in page), MFA (302 to the TOTP setup page) or MFA_CODE (302 to allauth's
page asking for an authenticator code, for a session that has not passed MFA); a plain 302 means "a
redirect that is *not* to the sign-in page" (the action worked, or was refused with a message).

Every persona gets its own world (one test per persona, each in its own transaction), and every
request runs in a savepoint that is rolled back afterwards with the client's cookies restored,
so a state-changing POST never changes what a later row sees.

`test_it_lists_every_named_route_in_the_matrix` walks the URL resolver: a new URL without a row
here fails with its name.
"""

import copy
import dataclasses
import datetime
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import UserFactory, log_in, make_answer, make_expert, make_question

pytestmark = pytest.mark.django_db

PERSONAS = (
    "visitor",
    "key_holder",
    "member",
    "outsider",
    "suspended",
    "expert",
    "moderator_without_mfa",
    "moderator_without_mfa_session",
    "moderator",
    "revealing_moderator",
)
ANONYMOUS = ("visitor", "key_holder")
MODERATORS = ("moderator", "revealing_moderator")

LOGIN = "login"  # 302 to /accounts/login/?next=...
MFA = "mfa"  # 302 to the TOTP setup page
MFA_SETUP = "/accounts/2fa/totp/activate/"
MFA_CODE = "mfa-code"  # 302 to the authenticator-code page (allauth's re-authentication)
MFA_CODE_PAGE = "/accounts/2fa/reauthenticate/?next="

# allauth's own URLs are allauth's business; these are the ones our pages link to and rely on.
ALLAUTH_KEPT = {"account_login", "account_signup", "account_logout", "mfa_index"}


# --- cells ------------------------------------------------------------------------------------


def everyone(status, **cells):
    unknown = set(cells) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {persona: cells.get(persona, status) for persona in PERSONAS}


def signed_in(status, **cells):
    """Anonymous clients are sent to sign in; everyone signed in gets `status`."""
    return everyone(status, **dict.fromkeys(ANONYMOUS, LOGIN), **cells)


def desk(status, **cells):
    """moderator_required: sign in → 403 for members → MFA setup → a code for a session that did not
    pass MFA → `status` for moderators who did."""
    base = everyone(403, **dict.fromkeys(ANONYMOUS, LOGIN), moderator_without_mfa=MFA,
                    moderator_without_mfa_session=MFA_CODE)  # fmt: skip
    return {**base, **dict.fromkeys(MODERATORS, status), **cells}


def anonymous_only(status, signed_in_status):
    return everyone(signed_in_status, **dict.fromkeys(ANONYMOUS, status))


# --- rows -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Row:
    name: str
    kwargs: Callable[[SimpleNamespace], dict]
    method: str
    expect: dict
    data: Callable[[SimpleNamespace], dict] | None = None
    query: Callable[[SimpleNamespace], str] | None = None
    note: str = ""

    def __str__(self):
        return f"{self.method} {self.name}" + (f" [{self.note}]" if self.note else "")


def none(w):
    return {}


def pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


def thread(attr):
    return lambda w: {"pk": getattr(w, attr).pk, "slug": getattr(w, attr).slug}


def post(kind, attr, **extra):
    return lambda w: {"kind": kind, "pk": getattr(w, attr).pk, **extra}


def desk_actions(name, kwargs):
    """A desk action: a POST the desk may make (it lands back on the desk, done or refused with a
    message), and a GET nobody may."""
    return [
        Row(name, kwargs, "POST", desk(302), data=lambda w: REASON),
        Row(name, kwargs, "GET", everyone(405)),
    ]


def ask_data(w):
    from forum.core.tokens import new_form_token

    return {
        "title": "Is it normal to feel nervous before the first time?",
        "body": "We have talked about it a lot and I still feel nervous. Is that normal?",
        "tags": [w.tag.pk],
        "form_token": new_form_token(),
        "show_anonymous": "on",
    }


def edit_data(w):
    return {
        "title": "How do I bring up trying something new, gently?",
        "body": "An edited version of the details, still long enough to pass validation.",
        "tags": [w.tag.pk],
    }


ANSWER = {"body": "Talk about it outside the bedroom first, when you both feel relaxed."}
REASON = {"reason": "authorization matrix"}
EXPERT_APPLICATION = {
    "title": "Couples therapist",
    "credentials": "MSc Psychology, 10 years of couples therapy",
    "licence_number": "PSY-42",
    "licence_body": "Board of Psychology",
    "jurisdiction": "Netherlands",
}


def rows_for_public_get(name, kwargs=none, query=None):
    return [
        Row(name, kwargs, "GET", everyone(200), query=query),
        Row(name, kwargs, "POST", everyone(405)),
    ]


MATRIX = [
    # --- public pages: everyone reads, nobody posts -------------------------------------------
    *rows_for_public_get("home"),
    Row("home", none, "DELETE", everyone(405)),
    *rows_for_public_get("questions:list", query=lambda w: f"?sort=votes&tag={w.tag.slug}&expert=1"),
    *rows_for_public_get("questions:tags"),
    *rows_for_public_get("questions:tag", lambda w: {"slug": w.tag.slug}),
    Row("questions:tag", lambda w: {"slug": "no-such-topic"}, "GET", everyone(404), note="unknown topic"),
    *rows_for_public_get("questions:search", query=lambda w: "?q=partner"),
    # A draft title never goes in a URL: a POST (CSRF-checked; this client does not enforce it).
    Row("questions:similar", none, "POST", everyone(200), data=lambda w: {"title": "bring up something new"}),
    Row("questions:similar", none, "GET", everyone(405), query=lambda w: "?title=bring+up+something+new"),
    Row("questions:similar", none, "PUT", everyone(405)),
    *rows_for_public_get("questions:feed_latest"),
    Row("questions:feed_latest", none, "DELETE", everyone(405)),
    *rows_for_public_get("questions:feed_latest_atom"),
    *rows_for_public_get("questions:feed_tag", lambda w: {"slug": w.tag.slug}),
    *rows_for_public_get("sitemap"),
    Row("sitemap", none, "PUT", everyone(405)),
    *rows_for_public_get("sitemap_section", lambda w: {"section": "questions"}),
    *rows_for_public_get("sitemap_section", lambda w: {"section": "topics"}),
    Row("sitemap_section", lambda w: {"section": "members"}, "GET", everyone(404), note="unknown section"),
    Row("sitemap_section", lambda w: {"section": "questions"}, "GET", everyone(404), query=lambda w: "?p=99"),
    *rows_for_public_get("robots_txt"),
    *rows_for_public_get("healthz"),
    Row("favicon", none, "GET", everyone(301)),
    Row("favicon", none, "POST", everyone(405)),
    *rows_for_public_get("about"),
    *rows_for_public_get("guidelines"),
    *rows_for_public_get("privacy"),
    *rows_for_public_get("accounts:experts"),
    *rows_for_public_get("accounts:profile", lambda w: {"username": w.member.username}),
    Row("accounts:profile", lambda w: {"username": "nobody-here"}, "GET", everyone(404), note="unknown member"),
    Row("markdown_preview", none, "POST", everyone(200), data=lambda w: {"content": "**bold**"}),
    Row("markdown_preview", none, "GET", everyone(405)),
    Row("markdown_preview", none, "PUT", everyone(405)),
    # --- threads -----------------------------------------------------------------------------
    *rows_for_public_get("questions:detail", thread("published")),
    # Moderators (with MFA) see pending and hidden threads, as the queue links to them.
    Row(
        "questions:detail",
        thread("pending"),
        "GET",
        everyone(404, key_holder=200, moderator=200, revealing_moderator=200),
        note="pending, visitor's",
    ),
    Row(
        "questions:detail",
        thread("hidden"),
        "GET",
        everyone(404, member=200, moderator=200, revealing_moderator=200),
        note="hidden, member's",
    ),
    Row("questions:detail_noslug", pk("published"), "GET", everyone(301)),
    Row("questions:detail_noslug", pk("published"), "POST", everyone(405)),
    Row("questions:key", lambda w: {"key": w.pending.key}, "GET", everyone(200)),
    Row("questions:key", lambda w: {"key": w.pending.key}, "POST", everyone(405)),
    Row("questions:key", lambda w: {"key": w.pending.key}, "DELETE", everyone(405)),
    Row("questions:key", lambda w: {"key": "A" * 22}, "GET", everyone(404), note="wrong key"),
    # --- asking ------------------------------------------------------------------------------
    Row("questions:ask", none, "GET", everyone(200)),
    Row("questions:ask", none, "POST", everyone(302, suspended=200), data=ask_data),
    Row("questions:ask", none, "PUT", everyone(405)),
    # --- the asker's own tools ---------------------------------------------------------------
    Row("questions:edit", pk("published"), "GET", everyone(403, member=200), note="member's"),
    Row("questions:edit", pk("published"), "POST", everyone(403, member=302), data=edit_data, note="member's"),
    Row("questions:edit", pk("published"), "PUT", everyone(405)),
    Row("questions:edit", pk("pending"), "GET", everyone(403, key_holder=200), note="visitor's"),
    Row("questions:edit", pk("pending"), "POST", everyone(403, key_holder=302), data=edit_data, note="visitor's"),
    Row("questions:delete", pk("published"), "POST", everyone(403, member=302), note="member's"),
    Row("questions:delete", pk("published"), "GET", everyone(405)),
    Row("questions:delete", pk("published"), "DELETE", everyone(405)),
    Row("questions:delete", pk("pending"), "POST", everyone(403, key_holder=302), note="visitor's"),
    # An answer's permalink sends everyone to its thread, on the right page.
    Row("questions:answer_permalink", pk("answer"), "GET", everyone(302)),
    Row("questions:answer_permalink", pk("answer"), "POST", everyone(405)),
    Row("questions:answer_permalink", lambda w: {"pk": 999999}, "GET", everyone(404), note="no such answer"),
    Row("questions:answer_accept", pk("answer"), "POST", everyone(403, member=302)),
    Row("questions:answer_accept", pk("answer"), "GET", everyone(405)),
    # --- members' actions --------------------------------------------------------------------
    Row("questions:vote", pk("published"), "POST", signed_in(302, member=403), data=lambda w: {"value": 1}),
    Row("questions:vote", pk("published"), "GET", everyone(405)),
    Row("questions:vote", pk("hidden"), "POST", signed_in(404), data=lambda w: {"value": 1}, note="hidden"),
    Row("questions:answer_vote", pk("answer"), "POST", signed_in(302, outsider=403), data=lambda w: {"value": 1}),
    Row("questions:answer_vote", pk("answer"), "GET", everyone(405)),
    Row("questions:answer", pk("published"), "POST", signed_in(302, suspended=400), data=lambda w: ANSWER),
    Row("questions:answer", pk("published"), "GET", everyone(405)),
    Row("questions:answer", pk("published"), "PUT", everyone(405)),
    Row(
        "questions:answer",
        pk("hidden"),
        "POST",
        signed_in(404, member=400, moderator=400, revealing_moderator=400),
        data=lambda w: ANSWER,
        note="hidden",
    ),
    Row(
        "questions:answer",
        pk("pending"),
        "POST",
        signed_in(404, moderator=400, revealing_moderator=400),
        data=lambda w: ANSWER,
        note="pending",
    ),
    Row("questions:notifications", none, "GET", signed_in(200)),
    Row("questions:notifications", none, "POST", signed_in(405)),
    Row("questions:notifications", none, "DELETE", signed_in(405)),
    Row("questions:notifications_read", none, "POST", signed_in(302)),
    Row("questions:notifications_read", none, "GET", signed_in(405)),
    Row("accounts:expert_apply", none, "GET", signed_in(200)),
    Row(
        "accounts:expert_apply",
        none,
        "POST",
        signed_in(302, expert=200, suspended=200),
        data=lambda w: {**EXPERT_APPLICATION, "areas": [w.tag.pk]},
    ),
    Row("accounts:expert_apply", none, "PUT", signed_in(405)),
    # --- reporting (anyone, published posts only) --------------------------------------------
    Row("moderation:report", post("question", "published"), "GET", everyone(200)),
    Row("moderation:report", post("question", "published"), "POST", everyone(302), data=lambda w: {"reason": "spam"}),
    Row("moderation:report", post("question", "published"), "PUT", everyone(405)),
    Row("moderation:report", post("answer", "answer"), "GET", everyone(200)),
    Row("moderation:report", post("answer", "answer"), "POST", everyone(302), data=lambda w: {"reason": "unsafe"}),
    Row("moderation:report", post("question", "hidden"), "GET", everyone(404), note="hidden"),
    Row(
        "moderation:report",
        post("question", "hidden"),
        "POST",
        everyone(404),
        data=lambda w: {"reason": "spam"},
        note="hidden",
    ),
    Row("moderation:report", post("question", "pending"), "GET", everyone(404), note="pending"),
    # --- the moderation desk -----------------------------------------------------------------
    Row("moderation:queue", none, "GET", desk(200)),
    Row("moderation:queue", none, "POST", everyone(405)),
    Row("moderation:log", none, "GET", desk(200)),
    Row("moderation:log", none, "POST", everyone(405)),
    Row("moderation:experts", none, "GET", desk(200)),
    Row("moderation:experts", none, "POST", everyone(405)),
    Row("moderation:words", none, "GET", desk(200)),
    Row("moderation:words", none, "POST", desk(302), data=lambda w: {"phrase": "matrixword", "action": "hold"}),
    Row("moderation:words", none, "DELETE", everyone(405)),
    Row("moderation:word_remove", pk("word"), "POST", desk(302)),
    Row("moderation:word_remove", pk("word"), "GET", everyone(405)),
    Row("moderation:edit_approve", pk("edit"), "POST", desk(302)),
    Row("moderation:edit_approve", pk("edit"), "GET", everyone(405)),
    Row("moderation:edit_reject", pk("edit"), "POST", desk(302), data=lambda w: REASON),
    Row("moderation:edit_reject", pk("edit"), "GET", everyone(405)),
    Row("moderation:mark_reviewed", pk("review"), "POST", desk(302)),
    Row("moderation:mark_reviewed", pk("review"), "GET", everyone(405)),
    Row(
        "moderation:suspend",
        lambda w: {"user_id": w.outsider.pk},
        "POST",
        desk(302),
        data=lambda w: {"days": 3, **REASON},
    ),
    Row("moderation:suspend", lambda w: {"user_id": w.outsider.pk}, "GET", everyone(405)),
    Row("moderation:suspend_author", pk("published"), "POST", desk(302), data=lambda w: {"days": 3, **REASON}),
    Row("moderation:suspend_author", pk("published"), "GET", everyone(405)),
    Row("moderation:unsuspend_author", pk("published"), "POST", desk(302)),
    Row("moderation:unsuspend_author", pk("published"), "GET", everyone(405)),
    Row("moderation:unsuspend", lambda w: {"user_id": w.suspended.pk}, "POST", desk(302)),
    Row("moderation:unsuspend", lambda w: {"user_id": w.suspended.pk}, "GET", everyone(405)),
    Row(
        "moderation:close_duplicate",
        pk("published"),
        "POST",
        desk(302),
        data=lambda w: {"duplicate_of": w.original.pk, **REASON},
    ),
    Row("moderation:close_duplicate", pk("published"), "GET", everyone(405)),
    Row("moderation:block", pk("pending"), "POST", desk(302), data=lambda w: {"hours": 24, **REASON}),
    Row("moderation:block", pk("pending"), "GET", everyone(405)),
    # Without the reveal permission the form is shown, but revealing is refused.
    Row("moderation:reveal", pk("hidden"), "GET", desk(200)),
    Row("moderation:reveal", pk("hidden"), "POST", desk(200, moderator=403), data=lambda w: REASON),
    Row("moderation:reveal", pk("hidden"), "PUT", everyone(405)),
    Row("moderation:question_edit", pk("published"), "GET", desk(200)),
    Row(
        "moderation:question_edit",
        pk("published"),
        "POST",
        desk(302),
        data=lambda w: {
            "title": "How do I bring up trying something new?",
            "body": "Moderated text, long enough.",
            **REASON,
        },
    ),
    Row("moderation:question_edit", pk("published"), "DELETE", everyone(405)),
    Row("moderation:answer_edit", pk("answer"), "GET", desk(200)),
    Row("moderation:answer_edit", pk("answer"), "PUT", everyone(405)),
    *desk_actions("moderation:question_approve", pk("pending")),
    *desk_actions("moderation:question_reject", pk("pending")),
    *desk_actions("moderation:question_hide", pk("published")),
    *desk_actions("moderation:question_restore", pk("hidden")),
    *desk_actions("moderation:question_delete", pk("published")),
    *desk_actions("moderation:question_dismiss", pk("published")),
    *desk_actions("moderation:question_lock", pk("published")),
    *desk_actions("moderation:question_unlock", pk("published")),
    *desk_actions("moderation:question_reopen", pk("published")),
    *desk_actions("moderation:answer_approve", pk("answer")),
    *desk_actions("moderation:answer_hide", pk("answer")),
    *desk_actions("moderation:answer_restore", pk("answer")),
    *desk_actions("moderation:answer_delete", pk("answer")),
    *desk_actions("moderation:answer_dismiss", pk("answer")),
    *desk_actions("moderation:expert_verify", pk("application")),
    *desk_actions("moderation:expert_reject", pk("application")),
    *desk_actions("moderation:expert_revoke", pk("expert_profile")),
    Row("moderation:question_hide", lambda w: {"pk": 999999}, "POST", desk(404), note="no such question"),
    # --- allauth: the pages our templates link to --------------------------------------------
    Row("account_login", none, "GET", anonymous_only(200, 302)),
    Row(
        "account_login",
        none,
        "POST",
        anonymous_only(200, 302),
        data=lambda w: {"login": "nobody@example.com", "password": "not the password"},
    ),
    Row("account_signup", none, "GET", anonymous_only(200, 302)),
    Row("account_signup", none, "POST", anonymous_only(200, 302), data=lambda w: {"email": "not-an-email"}),
    Row("account_logout", none, "GET", anonymous_only(302, 200)),
    Row("account_logout", none, "POST", everyone(302)),
    Row("mfa_index", none, "GET", signed_in(200)),
]


# --- the world --------------------------------------------------------------------------------


def _client(user):
    return log_in(Client(), user)  # with the authenticator code when the user owns one


@pytest.fixture
def world(member_user, outsider_user, moderator_user, moderator_without_mfa, moderator_without_mfa_session,
          revealing_moderator):  # fmt: skip
    from accounts.models import ExpertProfile
    from forum.moderation import services as moderation_services
    from forum.moderation.models import FirstPostReview, Suspension, WatchedWord
    from forum.questions.models import Tag

    tag = Tag.objects.order_by("pk").first()
    # The member's first post (so it is also the first-post review), asked under their name.
    published = make_question(author=member_user, anonymous=False, title="How do I bring up trying something new?")
    original = make_question(author=outsider_user, anonymous=False, title="How do we talk about new things in bed?")
    answer = make_answer(question=published, author=outsider_user)
    pending = make_question(title="Is it normal to cry after sex sometimes?", status="pending")  # a visitor's, keyed
    hidden = make_question(author=member_user, title="Why does my partner avoid talking about it?", status="hidden")
    suspended = UserFactory(username="suspended-sam")
    Suspension.objects.create(
        user=suspended, ends_at=timezone.now() + datetime.timedelta(days=7), reason="Spam", created_by=moderator_user
    )
    expert = make_expert(UserFactory(username="expert-eve"))
    applicant = UserFactory(username="applicant-ann")
    application = ExpertProfile.objects.create(
        user=applicant,
        title="Sex therapist",
        credentials="MA",
        licence_number="T-1",
        licence_body="Board",
        jurisdiction="Belgium",
    )
    application.areas.set([tag])
    moderation_services.flag_create(post=published, reason="spam", reporter=expert)
    word = WatchedWord.objects.create(phrase="matrixhold", action="hold", created_by=moderator_user)
    review = FirstPostReview.objects.get(question=published)
    from forum.questions.models import PendingEdit

    edit = PendingEdit.objects.create(question=original, title="A proposed new title?", body="New", body_html="")

    key_holder = Client()
    assert key_holder.get(f"/questions/key/{pending.key}/").status_code == 200
    clients = {
        "visitor": Client(),
        "key_holder": key_holder,
        "member": _client(member_user),
        "outsider": _client(outsider_user),
        "suspended": _client(suspended),
        "expert": _client(expert),
        "moderator_without_mfa": moderator_without_mfa,
        "moderator_without_mfa_session": moderator_without_mfa_session,
        "moderator": _client(moderator_user),
        "revealing_moderator": revealing_moderator,
    }
    return SimpleNamespace(
        tag=tag,
        edit=edit,
        published=published,
        original=original,
        answer=answer,
        pending=pending,
        hidden=hidden,
        member=member_user,
        outsider=outsider_user,
        suspended=suspended,
        expert=expert,
        application=application,
        expert_profile=expert.expert_profile,
        word=word,
        review=review,
        clients=clients,
    )


# --- running a row ----------------------------------------------------------------------------


def _request(client, row, world):
    url = reverse(row.name, kwargs=row.kwargs(world) or None) + (row.query(world) if row.query else "")
    data = row.data(world) if row.data else {}
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            if row.method in ("GET", "POST"):
                response = getattr(client, row.method.lower())(url, data)
            else:
                response = getattr(client, row.method.lower())(url)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return url, response


def _problem(response, expected) -> str | None:
    status = response.status_code
    location = response.get("Location", "")
    if expected == LOGIN:
        if status == 302 and location.startswith("/accounts/login/"):
            return None
        return f"expected a redirect to sign in, got {status} {location}".rstrip()
    if expected == MFA:
        if status == 302 and location == MFA_SETUP:
            return None
        return f"expected a redirect to {MFA_SETUP}, got {status} {location}".rstrip()
    if expected == MFA_CODE:
        if status == 302 and location.startswith(MFA_CODE_PAGE):
            return None
        return f"expected a redirect to {MFA_CODE_PAGE}…, got {status} {location}".rstrip()
    if status != expected:
        return f"expected {expected}, got {status} {location}".rstrip()
    if status == 302 and location.startswith("/accounts/login/"):
        return "expected a redirect, got one to the sign-in page"
    return None


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_every_url_as_the_matrix_says(persona, world):
    client = world.clients[persona]
    failures = []
    for row in MATRIX:
        url, response = _request(client, row, world)
        problem = _problem(response, row.expect[persona])
        if problem:
            failures.append(f"{row.method} {url} ({row}) as {persona}: {problem}")
    assert not failures, f"{len(failures)} cell(s) differ from the matrix:\n" + "\n".join(failures)


# --- completeness -----------------------------------------------------------------------------


def _named_routes(patterns, prefix="", namespace=None):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _named_routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name


def _route_is_ours(route: str, name: str) -> bool:
    if route.startswith(("admin/", "__debug__/", "static/", "media/")):
        return False
    if route.startswith("accounts/"):
        return name in ALLAUTH_KEPT
    return True


def test_it_lists_every_named_route_in_the_matrix():
    routes = dict((name, route) for route, name in _named_routes(get_resolver().url_patterns))
    ours = {name: route for name, route in routes.items() if _route_is_ours(route, name)}
    covered = {row.name for row in MATRIX}
    missing = sorted(f"{name} (/{ours[name]})" for name in set(ours) - covered)
    assert not missing, "Add these URLs to the authorization matrix: " + ", ".join(missing)
    stale = sorted(covered - set(routes))
    assert not stale, f"The matrix names URLs that no longer exist: {stale}"
    assert covered >= ALLAUTH_KEPT


def test_it_checks_every_persona_in_every_row():
    for row in MATRIX:
        assert set(row.expect) == set(PERSONAS), row
        assert row.method in ("GET", "POST", "PUT", "DELETE"), row
    methods = {(row.name, row.method) for row in MATRIX}
    for name in {row.name for row in MATRIX}:
        assert (name, "GET") in methods or (name, "POST") in methods, name
