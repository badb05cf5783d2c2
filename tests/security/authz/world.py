"""The matrix's personas, its cells, a row, and the world every persona meets.

A cell holds an HTTP status, or LOGIN (302 to the sign-in page), MFA (302 to the TOTP setup page) or
MFA_CODE (302 to allauth's page asking for an authenticator code, for a session that has not passed
MFA); a plain 302 means "a redirect that is *not* to the sign-in page" (the action worked, or was
refused with a message).
"""

import dataclasses
import datetime
from collections.abc import Callable
from types import SimpleNamespace

from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory, log_in, make_answer, make_expert, make_question

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


# --- the world --------------------------------------------------------------------------------


def _client(user):
    return log_in(Client(), user)  # with the authenticator code when the user owns one


def build_world(member_user, outsider_user, moderator_user, moderator_without_mfa, moderator_without_mfa_session,
                revealing_moderator):  # fmt: skip
    from accounts.models import ExpertProfile
    from forum.desk import services as moderation_services
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
    # Photos: the verified expert's is public; the applicant's only theirs and the moderators'.
    from tests.people import images
    from tests.people.experts import give_photo

    expert_photo, applicant_photo = give_photo(expert), give_photo(applicant, images.png())
    moderation_services.flag_create(post=published, reason="spam", reporter=expert)
    word = WatchedWord.objects.create(phrase="matrixhold", action="hold", created_by=moderator_user)
    review = FirstPostReview.objects.get(question=published)
    from forum.questions.models import PendingEdit

    edit = PendingEdit.objects.create(question=original, title="A proposed new title?", body="New", body_html="")
    # Histories with a version to roll back to: the original text of a question and of an answer.
    from forum.moderation.models import PostRevision

    for post in (original, answer):
        moderation_services.post_edit(moderator=moderator_user, post=post, body="Moderated, long enough.", reason="r")
    question_revision = PostRevision.objects.filter(question=original).order_by("created_at", "id").first()
    answer_revision = PostRevision.objects.filter(answer=answer).order_by("created_at", "id").first()

    from forum.questions.asker_mail import asker_contact_set

    asker_contact = asker_contact_set(question=pending, key=pending.key, email="matrix-asker@example.com")
    from forum.questions.comment_services import comment_post

    # A visitor's published question (its key in `asked.key`) and a member's clarification.
    asked = make_question(title="Is it normal to want different things?")
    comment = comment_post(question=published, author=member_user, by_asker=True, body="One more detail: we're new.")

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
        question_revision=question_revision,
        answer_revision=answer_revision,
        published=published,
        asked=asked,
        comment=comment,
        original=original,
        answer=answer,
        pending=pending,
        asker_contact=asker_contact,
        hidden=hidden,
        member=member_user,
        outsider=outsider_user,
        suspended=suspended,
        expert=expert,
        application=application,
        expert_photo=expert_photo,
        applicant_photo=applicant_photo,
        expert_profile=expert.expert_profile,
        word=word,
        review=review,
        clients=clients,
    )
