"""Writes for members and experts: applying, review decisions, and keeping the expert flag true."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from forum.core.markdown import render_markdown
from forum.moderation import policy
from forum.moderation.models import ModerationAction
from forum.moderation.services import AlreadyHandled, log_action

from .mfa import has_mfa
from .models import ExpertProfile, User

VERIFICATION_DAYS = 365
Status = ExpertProfile.Status


def can_post_as_expert(user) -> bool:
    """A current verification and MFA switched on: both, or the answer is a member's answer."""
    profile = ExpertProfile.objects.filter(user=user).first()
    return profile is not None and profile.is_current and has_mfa(user)


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
) -> ExpertProfile:
    policy.check_member_can_post(user)
    profile = ExpertProfile.objects.select_for_update().filter(user=user).first()
    if profile is not None and profile.status == Status.PENDING:
        raise ValidationError("You have already applied. Your application is waiting for a moderator.")
    if profile is not None and profile.is_current:
        raise ValidationError("You are already a verified expert.")
    profile = profile or ExpertProfile(user=user)
    profile.title = title.strip()
    profile.credentials = credentials.strip()
    profile.licence_number = licence_number.strip()
    profile.licence_body = licence_body.strip()
    profile.jurisdiction = jurisdiction.strip()
    profile.website = website.strip()
    profile.bio = bio
    profile.bio_html = render_markdown(bio)
    profile.status = Status.PENDING
    profile.reviewer = None
    profile.decided_at = None
    profile.decision_reason = ""
    profile.verified_until = None
    profile.full_clean()
    profile.save()
    areas = list(areas)
    if not areas:
        raise ValidationError({"areas": "Choose at least one area of practice."})
    profile.areas.set(areas)
    return profile


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
        raise PermissionDenied("You can't review your own application. Ask another moderator.")
    if profile.status != Status.PENDING:
        raise AlreadyHandled(f"This application was already decided: {profile.get_status_display().lower()}.")
    _decide(profile, moderator=moderator, status=Status.VERIFIED, reason=reason,
            until=timezone.localdate() + datetime.timedelta(days=days))  # fmt: skip
    log_action(moderator, ModerationAction.Kind.EXPERT_VERIFY, target_user=profile.user, reason=reason)
    expert_sync_answers(user=profile.user)
    return profile


@transaction.atomic
def expert_reject(*, moderator, profile: ExpertProfile, reason: str):
    if not (reason or "").strip():
        raise ValidationError({"reason": "Please give a reason: the applicant sees it."})
    profile = _locked(profile)
    if profile.user_id == moderator.pk:
        raise PermissionDenied("You can't review your own application. Ask another moderator.")
    if profile.status != Status.PENDING:
        raise AlreadyHandled(f"This application was already decided: {profile.get_status_display().lower()}.")
    _decide(profile, moderator=moderator, status=Status.REJECTED, reason=reason.strip())
    log_action(moderator, ModerationAction.Kind.EXPERT_REJECT, target_user=profile.user, reason=reason.strip())
    return profile


@transaction.atomic
def expert_revoke(*, moderator, profile: ExpertProfile, reason: str):
    if not (reason or "").strip():
        raise ValidationError({"reason": "Please give a reason: the expert sees it."})
    profile = _locked(profile)
    if profile.status != Status.VERIFIED:
        raise AlreadyHandled("This expert is not verified.")
    _decide(profile, moderator=moderator, status=Status.REVOKED, reason=reason.strip())
    log_action(moderator, ModerationAction.Kind.EXPERT_REVOKE, target_user=profile.user, reason=reason.strip())
    expert_sync_answers(user=profile.user)
    return profile


@transaction.atomic
def expert_sync_answers(*, user) -> int:
    """Make the expert flag on a member's answers match their standing now (verification, expiry, MFA)."""
    from forum.answers.models import Answer
    from forum.questions.models import Question

    current = can_post_as_expert(user)
    answers = Answer.objects.filter(author=user, posted_as_expert=True).exclude(is_expert=current)
    question_ids = list(answers.values_list("question_id", flat=True).distinct())
    changed = answers.update(is_expert=current)
    if question_ids:
        expert_answers = Answer.objects.filter(question=OuterRef("pk"), is_expert=True, status=Answer.Status.PUBLISHED)
        Question.objects.filter(pk__in=question_ids).update(has_expert_answer=Exists(expert_answers))
    return changed


def experts_lapse(*, today: datetime.date | None = None) -> int:
    """Periodic: clear the flag from answers of experts whose verification expired. Returns experts affected."""
    today = today or timezone.localdate()
    lapsed = ExpertProfile.objects.filter(status=Status.VERIFIED, verified_until__lt=today).select_related("user")
    count = 0
    for profile in lapsed:
        expert_sync_answers(user=profile.user)
        count += 1
    if count:
        from forum.core.pagecache import bump_content_generation

        bump_content_generation()  # visitors' cached threads must drop the lapsed badges now
    return count
