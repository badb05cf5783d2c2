"""Nothing typed is lost when a member's session has ended: their text waits for them to sign in.

A signed-in form carries a hidden `draft_owner` field: a keyed hash of the member's id (not the
id). A POST that arrives without a signed-in member (the session expired, or was deleted) is
not acted on: `keeps_drafts` keeps the allowed text fields (each capped) in the browser's
session under a name for the form's target, with the owner mark, and sends the person to sign
in with `next` = the page where the form lives, never the POST-only URL. Django keeps a
session's data across signing in (`cycle_key`), allauth's two steps included.

The draft is shown only:
- to the account whose form it was (the owner mark must match the member signed in now; at
  each sign-in, `claim` drops every draft of another account, so one sign-in decides);
- on its own page (the view of that page calls `take`), once: taking it removes it;
- within an hour of being kept.
Signing out flushes the session, and with it every draft. A POST without the mark (a
visitor's own form, a hand-made request) keeps nothing: the views answer it as before, or
send a visitor to sign in, to the same page.
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop

SESSION_KEY = "kept_drafts"
OWNER_FIELD = "draft_owner"
KEEP_SECONDS = 3600
FIELD_MAX = 20_000  # the longest text any form takes (an answer)
DRAFTS_MAX = 5  # per session; the oldest goes first
KEPT_MESSAGE = gettext_noop("Your session had ended; we kept what you wrote — check it and post.")
SIGNED_OUT_ERROR = gettext_noop("You are signed out (your session had ended). Sign in again to do this.")
SIGN_IN_MESSAGE = gettext_noop("Your session had ended. Sign in again and we'll put back what you wrote.")
_SALT = "forum.core.drafts.owner"

Target = Callable[..., str]


def owner_mark(user) -> str:
    """The hidden field's value for a member: a keyed hash of their id, stable, revealing nothing."""
    return salted_hmac(_SALT, str(user.pk)).hexdigest()[:32]


def owner_input(context) -> SafeString | str:
    """`<input type=hidden name=draft_owner>` for a signed-in member's form; nothing for a visitor."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', OWNER_FIELD, owner_mark(user))


def _drafts(session) -> dict[str, dict[str, Any]]:
    drafts = session.get(SESSION_KEY)
    return drafts if isinstance(drafts, dict) else {}


def keep(request, target: str, fields: tuple[str, ...], *, owner: str) -> bool:
    """Keep the allowed, non-empty text fields of the POST (each cut at FIELD_MAX); False if none."""
    kept = {}
    for name in fields:
        value = request.POST.get(name, "")
        if isinstance(value, str) and value.strip():
            kept[name] = value[:FIELD_MAX]
    if not kept:
        return False
    drafts = {name: d for name, d in _drafts(request.session).items() if name != target}
    drafts[target] = {"fields": kept, "owner": owner[:64], "at": int(time.time())}
    newest = sorted(drafts.items(), key=lambda item: item[1].get("at", 0))[-DRAFTS_MAX:]
    request.session[SESSION_KEY] = dict(newest)
    return True


def take(request, target: str) -> dict[str, str] | None:
    """The kept fields for `target`, removed from the session; only for their owner, within the hour."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None  # a visitor's page leaves it for after the sign-in (and reads no session)
    drafts = _drafts(request.session)
    if target not in drafts:
        return None
    draft = drafts.pop(target)
    if drafts:
        request.session[SESSION_KEY] = drafts
    else:
        del request.session[SESSION_KEY]
    fresh = time.time() - draft.get("at", 0) <= KEEP_SECONDS
    mine = constant_time_compare(str(draft.get("owner", "")), owner_mark(user))
    fields = draft.get("fields")
    if not (fresh and mine and isinstance(fields, dict)):
        return None
    messages.info(request, gettext(KEPT_MESSAGE))
    return {name: str(value) for name, value in fields.items()}


def claim(sender, request, user, **kwargs) -> None:
    """At each sign-in: drafts of another account, or older than the hour, are dropped."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return
    mark, now = owner_mark(user), time.time()
    drafts = {
        target: draft
        for target, draft in _drafts(session).items()
        if constant_time_compare(str(draft.get("owner", "")), mark) and now - draft.get("at", 0) <= KEEP_SECONDS
    }
    if drafts:
        session[SESSION_KEY] = drafts
    else:
        session.pop(SESSION_KEY, None)


def connect() -> None:
    user_logged_in.connect(claim, dispatch_uid="forum.core.drafts.claim")


def keeps_drafts(*, page: Target, target: Target | None = None, fields: tuple[str, ...] = (), members_only=True):
    """For a view a signed-in member posts to: a POST with no member signed in goes to sign in.

    `page(request, **kwargs)` is where the form lives (the sign-in's `next`); `target(...)` names
    the draft; `fields` is the allow-list of text fields kept. A POST carrying the owner mark
    keeps its text; one without keeps nothing and, when `members_only` (a view only members use:
    answering, voting, an answer's edit), is still sent to sign in, to `page`. Otherwise (a view
    visitors use too: asking, clarifications, a question's edit) it reaches the view as before.
    Put it outside `login_required`, after `require_POST`.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST" or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            owner = request.POST.get(OWNER_FIELD, "")
            if not owner and not members_only:
                return view(request, *args, **kwargs)
            if owner and target is not None and keep(request, target(request, *args, **kwargs), fields, owner=owner):
                messages.info(request, gettext(SIGN_IN_MESSAGE))
            sign_in = redirect_to_login(page(request, *args, **kwargs))
            if request.headers.get("Accept", "").startswith("application/json"):  # a script's (vote.js)
                return JsonResponse({"error": gettext(SIGNED_OUT_ERROR), "sign_in": sign_in["Location"]}, status=401)
            return sign_in

        return wrapper

    return decorator
