from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import ExpertPhoto, ExpertProfile, User
from forum.answers.models import Answer, Vote
from forum.moderation.models import Suspension
from forum.questions.models import Follow, Notification, Question, Tag

_AREAS = Prefetch("areas", queryset=Tag.objects.only("id", "name", "slug"))


def verified_experts() -> QuerySet[ExpertProfile]:
    return (
        ExpertProfile.objects.filter(status=ExpertProfile.Status.VERIFIED, verified_until__gte=timezone.localdate())
        .select_related("user")
        .prefetch_related(_AREAS)
        .annotate(photo_sha256=F("photo__sha256"))  # the hash only: the image bytes stay in the table
        .order_by("user__username")
    )


def own_expert_profile(user: User) -> ExpertProfile | None:
    """The member's own application or profile, whatever its status, with `photo_sha256`."""
    return (
        ExpertProfile.objects.filter(user=user)
        .annotate(photo_sha256=F("photo__sha256"))
        .prefetch_related(_AREAS)
        .first()
    )


def profile_page(user: User) -> dict:
    """What a public profile shows. Never a question the member asked as Anonymous."""
    profile = (
        ExpertProfile.objects.filter(user=user)
        .annotate(photo_sha256=F("photo__sha256"))
        .prefetch_related(_AREAS)
        .first()
    )
    current = profile if profile and profile.is_current else None
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
        "profile": current,
        "photo_sha256": current.photo_sha256 if current else None,
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
    Never their posts: those stay, and an anonymous question must not be listed next to a name.
    The labels are English (gettext_noop): the admin shows them translated."""
    return [
        (gettext_noop("email addresses"), EmailAddress.objects.filter(user=user).count()),
        (gettext_noop("two-factor authenticators and recovery codes"), Authenticator.objects.filter(user=user).count()),
        (gettext_noop("expert profiles"), ExpertProfile.objects.filter(user=user).count()),
        (gettext_noop("expert photos"), ExpertPhoto.objects.filter(profile__user=user).count()),
        (gettext_noop("votes (the posts' scores are recounted)"), Vote.objects.filter(user=user).count()),
        (gettext_noop("notifications"), Notification.objects.filter(recipient=user).count()),
        (gettext_noop("threads followed"), Follow.objects.filter(user=user).count()),
        (gettext_noop("suspensions"), Suspension.objects.filter(user=user).count()),
    ]


# --- the member's own space (/me/): their lists, seen by them alone -------------------------------

SPACE_PAGE_SIZE = 20


def _page(queryset: QuerySet, page: int | str) -> Page:
    """Two queries: the count, the page."""
    result = Paginator(queryset, SPACE_PAGE_SIZE).get_page(page)
    result.object_list = list(result.object_list)
    return result


def my_questions(user: User, *, page: int | str = 1) -> Page:
    """Everything the member asked, anonymous ones included, in every state but deleted."""
    questions = (
        Question.objects.filter(author=user)
        .exclude(status=Question.Status.REMOVED)
        .only("id", "title", "slug", "status", "is_anonymous", "answer_count", "created_at", "moderation_reason")
        .order_by("-created_at", "-id")
    )
    return _page(questions, page)


def my_answers(user: User, *, page: int | str = 1) -> Page:
    """Every answer the member wrote but deleted ones, with its thread's title while the thread shows."""
    answers = (
        Answer.objects.filter(author=user)
        .exclude(status=Answer.Status.REMOVED)
        .select_related("question")
        .only(
            *("id", "status", "score", "is_accepted", "is_expert", "created_at", "question_id"),
            *("question__id", "question__title", "question__slug", "question__status", "question__author_id"),
        )
        .order_by("-created_at", "-id")
    )
    return _page(answers, page)


def my_follows(user: User, *, page: int | str = 1) -> Page:
    """The threads the member follows, most recently followed first."""
    follows = (
        Follow.objects.filter(user=user)
        .select_related("question")
        .only(
            *("id", "created_at", "question_id", "question__id", "question__title", "question__slug"),
            *("question__status", "question__author_id", "question__answer_count"),
        )
        .order_by("-created_at", "-id")
    )
    return _page(follows, page)
