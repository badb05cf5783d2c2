from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.core.urls import quick_reverse

ANSWER_MIN = 20
ANSWER_MAX = 20_000
# A thread's reading order: verified experts first, then the accepted answer, then by score, then
# oldest. The thread's selector puts *currently* verified experts first (questions.selectors).
# A post waiting in the desk's crisis lane: its text mentioned a crisis phrase (crisis_at, set by
# the posting services) and no moderator has handled it yet (crisis_handled_at, set by the audit
# writer when a moderator's logged action names it, forum/moderation/audit.py).
CRISIS_WAITING = Q(crisis_at__isnull=False, crisis_handled_at__isnull=True)

THREAD_ORDER = ("-is_expert", "-is_accepted", "-score", "created_at", "id")


class AnswerQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Answer.Status.PUBLISHED)


class Answer(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Held for review")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by moderators")
        REMOVED = "removed", _("Deleted")

    question = models.ForeignKey("questions.Question", on_delete=models.CASCADE, related_name="answers")
    # None once the author deleted their account: the answer stays, shown as by "a former member".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    body = models.TextField(max_length=ANSWER_MAX)
    body_html = models.TextField(help_text=_("Sanitized HTML rendered from body at write time."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    score = models.IntegerField(default=0)
    posted_as_expert = models.BooleanField(default=False, help_text=_("The author was a verified expert when posting."))
    is_expert = models.BooleanField(
        default=False, help_text=_("Shows the expert flag now: posted as expert and the expert is still verified.")
    )
    is_accepted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    crisis_at = models.DateTimeField(null=True, blank=True)  # see CRISIS_WAITING
    crisis_handled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # When an edit last changed the body, and when the asker last accepted it (the thread marks
    # "edited after it was accepted"; the history is moderation.PostRevision).
    text_changed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = list(THREAD_ORDER)
        constraints = [
            models.UniqueConstraint(fields=["question"], condition=Q(is_accepted=True), name="one_accepted_answer"),
        ]
        indexes = [
            models.Index(fields=["question", "status"], name="answer_thread"),
            models.Index(fields=["crisis_at"], condition=CRISIS_WAITING, name="answer_crisis_lane"),
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk} to question {self.question_id}"

    def get_absolute_url(self) -> str:
        """The permalink, which finds the page of the thread the answer is on."""
        return quick_reverse("questions:answer_permalink", self.pk)

    @property
    def vote_url(self) -> str:
        return quick_reverse("questions:answer_vote", self.pk)

    @property
    def report_url(self) -> str:
        return quick_reverse("moderation:report", "answer", self.pk, literal=1)

    @property
    def accept_url(self) -> str:
        return quick_reverse("questions:answer_accept", self.pk)

    @property
    def edit_url(self) -> str:
        return quick_reverse("questions:answer_edit", self.pk)

    @property
    def history_url(self) -> str:
        return quick_reverse("questions:answer_history", self.pk)

    @property
    def edited_after_accepted(self) -> bool:
        return bool(
            self.is_accepted and self.text_changed_at and self.accepted_at and self.text_changed_at > self.accepted_at
        )


class Vote(models.Model):
    """One member's up (+1) or down (-1) vote on one question or one answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    question = models.ForeignKey(
        "questions.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="vote_value_up_or_down"),
            models.CheckConstraint(
                condition=(
                    Q(question__isnull=False, answer__isnull=True) | Q(question__isnull=True, answer__isnull=False)
                ),
                name="vote_on_exactly_one_post",
            ),
            models.UniqueConstraint(fields=["user", "question"], condition=Q(question__isnull=False),
                                    name="one_vote_per_user_question"),
            models.UniqueConstraint(fields=["user", "answer"], condition=Q(answer__isnull=False),
                                    name="one_vote_per_user_answer"),
        ]  # fmt: skip

    def __str__(self) -> str:
        target = f"question {self.question_id}" if self.question_id else f"answer {self.answer_id}"
        return f"{self.value:+d} on {target}"


COMMENT_MAX = 600
COMMENT_MIN = 2


class Comment(models.Model):
    """A clarification under a question (answer is None) or under one of its answers.

    Short, inline markdown only. Written by a member, an expert or the question's asker; the
    asker — with an account or through the private link — is shown as "the asker" whenever the
    question is anonymous, so `by_asker` is what the page reads, never the author's name.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by moderators")
        REMOVED = "removed", _("Deleted")

    question = models.ForeignKey("questions.Question", on_delete=models.CASCADE, related_name="comments")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    # None for the accountless asker (by_asker) and once a member deleted their account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    by_asker = models.BooleanField(default=False, help_text=_("Written by the question's asker."))
    # A verified expert with MFA when it was written (accounts.experts.can_post_as_expert), as
    # Answer.posted_as_expert; the page shows the badge while the verification is current.
    by_expert = models.BooleanField(default=False, help_text=_("Written by a verified expert."))
    body = models.TextField(max_length=COMMENT_MAX)
    body_html = models.TextField(help_text=_("Sanitized inline HTML rendered from body at write time."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    # Keyed, daily-rotating hash of a visitor's source (no IP), for source blocks.
    source_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    crisis_at = models.DateTimeField(null=True, blank=True)  # see CRISIS_WAITING
    crisis_handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "published", "hidden", "removed"]), name="comment_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["question", "status", "created_at"], name="comment_thread"),
            models.Index(fields=["crisis_at"], condition=CRISIS_WAITING, name="comment_crisis_lane"),
        ]

    def __str__(self) -> str:
        target = f"answer {self.answer_id}" if self.answer_id else f"question {self.question_id}"
        return f"Comment {self.pk} on {target}"
