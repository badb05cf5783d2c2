"""Writes for members and experts: applying, review decisions, and keeping the expert flag true."""

import datetime
import secrets
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.experts import can_post_as_expert
from accounts.models import ExpertProfile, User
from forum.answers.models import Answer, Vote
from forum.core import effects, text
from forum.core.errors import AlreadyHandled
from forum.core.markdown import render_markdown
from forum.core.pagecache import EVERYTHING
from forum.moderation import policy
from forum.moderation.models import Flag, ModerationAction
from forum.questions import notifications
from forum.questions.answer_services import questions_recount_expert_answers
from forum.questions.models import Question

from .photos import Encoded, expert_photo_store

VERIFICATION_DAYS = 365
Status = ExpertProfile.Status


@transaction.atomic
def expert_apply(
    *,
    user: User,
    title: str,
    credentials: str,
    licence_number: str,
    licence_body: str,
    jurisdiction: str,
    website: str = "",
    bio: str = "",
    areas: Iterable,
    photo: Encoded | None = None,
) -> ExpertProfile:
    policy.check_member_can_post(user)
    profile = ExpertProfile.objects.select_for_update().filter(user=user).first()
    if profile is not None and profile.status == Status.PENDING:
        raise ValidationError(_("You have already applied. Your application is waiting for a moderator."))
    if profile is not None and profile.is_current:
        raise ValidationError(_("You are already a verified expert."))
    profile = profile or ExpertProfile(user=user)
    profile.title = text.clean_line(title)
    profile.credentials = credentials.strip()
    profile.licence_number = licence_number.strip()
    profile.licence_body = licence_body.strip()
    profile.jurisdiction = jurisdiction.strip()
    profile.website = website.strip()
    profile.bio = text.clean_body(bio)
    profile.bio_html = render_markdown(profile.bio)
    profile.status = Status.PENDING
    profile.reviewer = None
    profile.decided_at = None
    profile.decision_reason = ""
    profile.verified_until = None
    profile.full_clean()
    profile.save()
    areas = list(areas)
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area of practice.")})
    profile.areas.set(areas)
    if photo is not None:
        expert_photo_store(profile=profile, encoded=photo)
    return profile


def _already_decided(profile: ExpertProfile) -> str:
    return _("This application was already decided: %(status)s.") % {"status": profile.get_status_display().lower()}


def _decide(profile: ExpertProfile, *, moderator, status: str, reason: str, until: datetime.date | None = None):
    profile.status = status
    profile.reviewer = moderator
    profile.decided_at = timezone.now()
    profile.decision_reason = reason
    profile.verified_until = until
    profile.save(update_fields=["status", "reviewer", "decided_at", "decision_reason", "verified_until", "updated_at"])


def _locked(profile: ExpertProfile) -> ExpertProfile:
    return ExpertProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)


@transaction.atomic
def expert_verify(*, moderator, profile: ExpertProfile, reason: str = "", days: int = VERIFICATION_DAYS):
    profile = _locked(profile)
    if profile.user_id == moderator.pk:
        raise PermissionDenied(_("You can't review your own application. Ask another moderator."))
    if profile.status != Status.PENDING:
        raise AlreadyHandled(_already_decided(profile))
    _decide(profile, moderator=moderator, status=Status.VERIFIED, reason=reason,
            until=timezone.localdate() + datetime.timedelta(days=days))  # fmt: skip
    effects.audit(moderator, ModerationAction.Kind.EXPERT_VERIFY, target_user=profile.user, reason=reason)
    notifications.announce_expert_decision(user_id=profile.user_id, decision="verified", reason=reason)
    expert_sync_answers(user=profile.user)
    return profile


@transaction.atomic
def expert_reject(*, moderator, profile: ExpertProfile, reason: str):
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give a reason: the applicant sees it.")})
    profile = _locked(profile)
    if profile.user_id == moderator.pk:
        raise PermissionDenied(_("You can't review your own application. Ask another moderator."))
    if profile.status != Status.PENDING:
        raise AlreadyHandled(_already_decided(profile))
    _decide(profile, moderator=moderator, status=Status.REJECTED, reason=reason.strip())
    effects.audit(moderator, ModerationAction.Kind.EXPERT_REJECT, target_user=profile.user, reason=reason.strip())
    notifications.announce_expert_decision(user_id=profile.user_id, decision="rejected", reason=reason.strip())
    return profile


@transaction.atomic
def expert_revoke(*, moderator, profile: ExpertProfile, reason: str):
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give a reason: the expert sees it.")})
    profile = _locked(profile)
    if profile.status != Status.VERIFIED:
        raise AlreadyHandled(_("This expert is not verified."))
    _decide(profile, moderator=moderator, status=Status.REVOKED, reason=reason.strip())
    effects.audit(moderator, ModerationAction.Kind.EXPERT_REVOKE, target_user=profile.user, reason=reason.strip())
    notifications.announce_expert_decision(user_id=profile.user_id, decision="revoked", reason=reason.strip())
    expert_sync_answers(user=profile.user)
    return profile


@transaction.atomic
def expert_sync_answers(*, user) -> int:
    """Make the expert flag on a member's answers match their standing now (verification, expiry, MFA)."""
    current = can_post_as_expert(user)
    answers = Answer.objects.filter(author=user, posted_as_expert=True).exclude(is_expert=current)
    question_ids = list(answers.values_list("question_id", flat=True).distinct())
    changed = answers.update(is_expert=current)
    questions_recount_expert_answers(question_ids=question_ids)
    # The badge and the expert's title show on every thread they answered, and in list rows.
    effects.pages_changed(EVERYTHING)
    return changed


def experts_lapse(*, today: datetime.date | None = None) -> int:
    """Periodic: clear the flag from answers of experts whose verification expired. Returns experts affected."""
    today = today or timezone.localdate()
    lapsed = ExpertProfile.objects.filter(status=Status.VERIFIED, verified_until__lt=today).select_related("user")
    count = 0
    for profile in lapsed:
        expert_sync_answers(user=profile.user)
        count += 1
    return count


# --- deleting an account ------------------------------------------------------------------
# The written policy is on the privacy page (templates/pages/privacy.html); keep the two in step.


@transaction.atomic
def account_delete(*, user: User, by) -> None:
    """Delete a member's account, as the privacy page promises.

    Gone: the account, its email addresses, authenticators, sessions, expert profile (and photo),
    notifications (and notification choices), follows, suspensions and votes (the posts' scores
    are recounted). Kept, without the
    account: their answers (shown as by "a former member"; `posted_as_expert` stays as history,
    the expert flag goes as for any expert no longer verified), their questions (all of them
    anonymous from now on: a question asked under the name has no name left to show, and an
    anonymous one loses its stored link to the account), their reports (a moderator still needs
    to see them), and the records moderators made (the log keeps the moderator's name).
    """
    if by is not None and by.pk == user.pk:
        raise PermissionDenied(_("You can't delete your own account here; ask another admin."))
    # Locking the account first: a vote, post or report about to reference it waits for this
    # transaction, then fails its foreign key check, so nothing is added behind our back.
    user = User.objects.select_for_update().get(pk=user.pk)

    _withdraw_votes(user)
    Question.objects.filter(author=user).update(author=None, is_anonymous=True)
    expert_answers = Answer.objects.filter(author=user, is_expert=True)
    question_ids = list(expert_answers.values_list("question_id", flat=True).distinct())
    expert_answers.update(is_expert=False)
    Answer.objects.filter(author=user).update(author=None)
    questions_recount_expert_answers(question_ids=question_ids)
    # A report counts once per reporter: the former member's reports keep one shared stand-in.
    stand_in = f"former-member-{secrets.token_hex(16)}"
    Flag.objects.filter(reporter=user).update(reporter=None, reporter_hash=stand_in)
    _delete_sessions(user)
    _forget_name_in_admin_history(user)
    user.delete()  # cascades to email addresses, authenticators, expert profile, notifications, follows, suspensions
    effects.pages_changed(EVERYTHING)  # their name leaves every cached page


def _withdraw_votes(user: User) -> None:
    """Delete the member's votes and take each one off its post's score, with F() (like vote_cast)."""
    mine = Vote.objects.select_for_update().filter(user=user)
    votes = list(mine.values_list("pk", "question_id", "answer_id", "value"))
    if not votes:
        return
    Vote.objects.filter(pk__in=[pk for pk, *_ in votes]).delete()
    for value in (1, -1):
        questions = sorted(q for _, q, a, v in votes if q is not None and v == value)
        answers = sorted(a for _, q, a, v in votes if a is not None and v == value)
        if questions:
            Question.objects.filter(pk__in=questions).update(score=F("score") - value)
        if answers:
            Answer.objects.filter(pk__in=answers).update(score=F("score") - value)


def _forget_name_in_admin_history(user: User) -> None:
    """The admin's own history of changes to the account names it by its number from now on."""
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
        object_repr=f"member account #{user.pk}"
    )


def _delete_sessions(user: User) -> None:
    """End every session signed in as the member (they also hold allauth's records of how they
    signed in, with the email address). Sessions are not linked to accounts by a key, so this
    reads them; deleting an account is rare."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    model = getattr(store_class, "get_model_class", None)
    if model is None:  # a cache-only engine keeps no list of sessions to look through
        return
    wanted = str(user.pk)
    doomed = [
        session.session_key
        for session in model().objects.only("session_key", "session_data").iterator(chunk_size=2000)
        if session.get_decoded().get(SESSION_KEY) == wanted
    ]
    for key in doomed:
        store_class(key).delete()
