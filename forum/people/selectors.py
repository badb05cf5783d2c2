from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import ExpertProfile, User
from forum.answers.models import Answer, Vote
from forum.moderation.models import Suspension
from forum.questions.models import Notification, Question, Tag

_AREAS = Prefetch("areas", queryset=Tag.objects.only("id", "name", "slug"))


def verified_experts() -> QuerySet[ExpertProfile]:
    return (
        ExpertProfile.objects.filter(status=ExpertProfile.Status.VERIFIED, verified_until__gte=timezone.localdate())
        .select_related("user")
        .prefetch_related(_AREAS)
        .order_by("user__username")
    )


def profile_page(user: User) -> dict:
    """What a public profile shows. Never a question the member asked as Anonymous."""
    profile = ExpertProfile.objects.filter(user=user).prefetch_related(_AREAS).first()
    answers = list(
        Answer.objects.filter(author=user, status=Answer.Status.PUBLISHED, question__status=Question.Status.PUBLISHED)
        .select_related("question")
        .only(
            "id", "score", "is_expert", "is_accepted", "created_at", "question__id", "question__title", "question__slug"
        )
        .order_by("-created_at")[:30]
    )
    questions = list(
        Question.objects.published()
        .filter(author=user, is_anonymous=False)
        .only("id", "title", "slug", "score", "answer_count", "created_at")
        .order_by("-created_at")[:30]
    )
    return {
        "profile": profile if profile and profile.is_current else None,
        "answers": answers,
        "questions": questions,
    }


def applications_waiting() -> list[ExpertProfile]:
    return list(
        ExpertProfile.objects.filter(status=ExpertProfile.Status.PENDING)
        .select_related("user")
        .prefetch_related(_AREAS)
        .order_by("created_at")
    )


def experts_verified_for_review() -> list[ExpertProfile]:
    return list(verified_experts())


def account_deletion_summary(user: User) -> list[tuple[str, int]]:
    """What deleting the account removes, counted (services.account_delete; the privacy page).
    Never their posts: those stay, and an anonymous question must not be listed next to a name."""
    return [
        ("email addresses", EmailAddress.objects.filter(user=user).count()),
        ("two-factor authenticators and recovery codes", Authenticator.objects.filter(user=user).count()),
        ("expert profiles", ExpertProfile.objects.filter(user=user).count()),
        ("votes (the posts' scores are recounted)", Vote.objects.filter(user=user).count()),
        ("notifications", Notification.objects.filter(recipient=user).count()),
        ("suspensions", Suspension.objects.filter(user=user).count()),
    ]
