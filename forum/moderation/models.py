import datetime

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.models import FORMER_MEMBER

from . import places

EXACTLY_ONE_POST = Q(question__isnull=False, answer__isnull=True) | Q(question__isnull=True, answer__isnull=False)
# A report is of a question, an answer or a clarification (answers.Comment).
EXACTLY_ONE_REPORTED = (
    Q(question__isnull=False, answer__isnull=True, comment__isnull=True)
    | Q(question__isnull=True, answer__isnull=False, comment__isnull=True)
    | Q(question__isnull=True, answer__isnull=True, comment__isnull=False)
)
# Who made a record, once their account is deleted: the record stays, without them.
FORMER_MODERATOR = gettext_noop("a former moderator")  # translated where shown: gettext(FORMER_MODERATOR)


def _related_or_none(obj, name: str):
    """A foreign key's object, or None when its row is gone (the log's keys have no constraint)."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def member_label(*, user, question_id, question) -> str:
    """How the log and the admin name a member a record is about, without ever naming the author
    of an anonymous question: a record that came from a question names the question instead,
    unless the question was asked under the member's name (then the name is public anyway).
    `user` is None when the account is gone; `question` None when the question is."""
    if question_id is not None and (question is None or question.is_anonymous):
        return gettext("the author of question #%(number)s") % {"number": question_id}
    name = gettext("member %(name)s") % {"name": user.username} if user is not None else str(FORMER_MEMBER)
    if question_id is None:
        return name
    return gettext("%(member)s (question #%(number)s)") % {"member": name, "number": question_id}


class Flag(models.Model):
    """A report of a question, an answer or a clarification, by a member or a visitor."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        HARASSMENT = "harassment", _("Harassment or hate")
        UNSAFE = "unsafe", _("Unsafe or wrong advice")
        PERSONAL_INFO = "personal-info", _("Personal information about someone")
        MINORS = "minors", _("Sexual content involving minors")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        RESOLVED = "resolved", _("Resolved")

    question = models.ForeignKey(
        "questions.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    answer = models.ForeignKey("answers.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    comment = models.ForeignKey(
        "answers.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")  # fmt: skip
    # For visitors: the keyed daily hash of the source, so a visitor counts once per post and day.
    reporter_hash = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    # In thirds of an established member's report, fixed when it is made (see services.report_weight).
    weight = models.PositiveSmallIntegerField(default=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=EXACTLY_ONE_REPORTED, name="flag_on_exactly_one_post"),
            models.CheckConstraint(condition=Q(reporter__isnull=False) | ~Q(reporter_hash=""),
                                   name="flag_has_a_reporter"),
            models.UniqueConstraint(fields=["reporter", "question"], condition=Q(reporter__isnull=False),
                                    name="one_flag_per_member_question"),
            models.UniqueConstraint(fields=["reporter", "answer"], condition=Q(reporter__isnull=False),
                                    name="one_flag_per_member_answer"),
            models.UniqueConstraint(fields=["reporter_hash", "question"], condition=Q(reporter__isnull=True),
                                    name="one_flag_per_source_question"),
            models.UniqueConstraint(fields=["reporter_hash", "answer"], condition=Q(reporter__isnull=True),
                                    name="one_flag_per_source_answer"),
            models.UniqueConstraint(fields=["reporter", "comment"], condition=Q(reporter__isnull=False),
                                    name="one_flag_per_member_comment"),
            models.UniqueConstraint(fields=["reporter_hash", "comment"], condition=Q(reporter__isnull=True),
                                    name="one_flag_per_source_comment"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["status", "created_at"], name="flag_open_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.status})"

    @property
    def post(self):
        return self.question or self.answer or self.comment


class ModerationAction(models.Model):
    """The audit log. Append-only: a database trigger rejects UPDATE and DELETE."""

    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        HIDE = "hide", _("Hid")
        AUTO_HIDE = "auto-hide", _("Hidden automatically by reports")
        RESTORE = "restore", _("Restored")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        CLOSE_DUPLICATE = "close-duplicate", _("Closed as duplicate")
        REOPEN = "reopen", _("Reopened")
        EDIT = "edit", _("Edited")
        EDIT_APPROVE = "edit-approve", _("Approved an asker's edit")
        EDIT_REJECT = "edit-reject", _("Turned down an asker's edit")
        DELETE = "delete", _("Deleted")
        DISMISS_FLAGS = "dismiss-flags", _("Dismissed reports")
        MARK_REVIEWED = "mark-reviewed", _("Looked at a first post")
        SUSPEND = "suspend", _("Suspended a member")
        UNSUSPEND = "unsuspend", _("Lifted a suspension")
        BLOCK_SOURCE = "block-source", _("Blocked an anonymous source")
        REVEAL_AUTHOR = "reveal-author", _("Revealed the author of an anonymous post")
        WATCHED_WORD_ADD = "watched-word-add", _("Added a watched word")
        WATCHED_WORD_REMOVE = "watched-word-remove", _("Removed a watched word")
        EXPERT_VERIFY = "expert-verify", _("Verified an expert")
        EXPERT_REJECT = "expert-reject", _("Rejected an expert application")
        EXPERT_REVOKE = "expert-revoke", _("Revoked an expert's verification")
        EXPERT_PHOTO_REMOVE = "expert-photo-remove", _("Removed an expert's photo")
        ROLLBACK = "rollback", _("Rolled a post back to an earlier version")
        RETAG = "retag", _("Moved to other topics")
        SUPPORT_NOTE = "support-note", _("Wrote a supportive note")
        CRISIS_SEEN = "crisis-seen", _("Marked a crisis post as seen")

    # The log must outlive whatever it names: no database-level foreign keys, nothing cascades.
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                                  db_constraint=False, related_name="+")  # fmt: skip
    kind = models.CharField(max_length=24, choices=Kind.choices)
    question = models.ForeignKey("questions.Question", null=True, blank=True, on_delete=models.DO_NOTHING,
                                 db_constraint=False, related_name="+")  # fmt: skip
    answer = models.ForeignKey("answers.Answer", null=True, blank=True, on_delete=models.DO_NOTHING,
                               db_constraint=False, related_name="+")  # fmt: skip
    comment = models.ForeignKey("answers.Comment", null=True, blank=True, on_delete=models.DO_NOTHING,
                                db_constraint=False, related_name="+")  # fmt: skip
    target_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                                    db_constraint=False, related_name="+")  # fmt: skip
    # The moderator's display name when the row was written: the log names them after their account is gone.
    moderator_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("moderate", "Can work the moderation desk"),
            ("reveal_author", "Can reveal the stored author of an anonymous post"),
        ]
        indexes = [
            models.Index(fields=["-created_at"], name="modaction_recent"),
            models.Index(fields=["moderator", "-created_at"], name="modaction_by_moderator"),
            models.Index(fields=["kind", "-created_at"], name="modaction_by_kind"),
        ]

    def __str__(self) -> str:
        return gettext("%(action)s at %(when)s") % {
            "action": self.get_kind_display(),
            "when": f"{self.created_at:%Y-%m-%d %H:%M}",
        }

    # What a moderator does with a post in the crisis lane takes it out of the lane (audit.log_action).
    CRISIS_HANDLING_KINDS = frozenset({
        "approve", "reject", "hide", "restore", "delete", "edit", "dismiss-flags", "mark-reviewed", "lock",
        "close-duplicate", "support-note", "crisis-seen",
    })  # fmt: skip

    # Entries about whoever wrote the question they name (acting on "the author of question #N").
    AUTHOR_KINDS = frozenset({"suspend", "unsuspend", "reveal-author"})

    @property
    def moderator_label(self) -> str:
        """Who did it: the moderator's name (kept after their account is deleted), or "automatic"."""
        if self.moderator_id is None:
            return gettext("automatic")
        moderator = _related_or_none(self, "moderator")
        if moderator is not None:
            return moderator.username
        if self.moderator_name:
            return gettext("%(name)s (account deleted)") % {"name": self.moderator_name}
        return gettext(FORMER_MODERATOR)

    EXPERT_KINDS = frozenset({"expert-verify", "expert-reject", "expert-revoke"})

    @property
    def subject_link(self) -> tuple[str, bool]:
        """(where the log's "On" column links, whether what it names is gone): the thread of the
        question, the answer's permalink, the clarification in its post's list, the member's
        profile (never for the author of an anonymous question: the question instead), the
        experts' desk page. Reads only the rows action_log joins; "" when there is no link."""
        if self.kind in self.EXPERT_KINDS and self.target_user_id is not None:
            return reverse("moderation:experts"), _related_or_none(self, "target_user") is None
        if self.question_id is not None:
            question = _related_or_none(self, "question")
            gone = question is None or question.status == "removed"
            return ("" if gone else question.get_absolute_url()), gone
        if self.target_user_id is not None:
            user = _related_or_none(self, "target_user")
            return ("", True) if user is None else (reverse("people:profile", args=[user.username]), False)
        if self.answer_id is not None:
            answer = _related_or_none(self, "answer")
            gone = answer is None or answer.status == "removed"
            return ("" if gone else answer.get_absolute_url()), gone
        if self.comment_id is not None:
            comment = _related_or_none(self, "comment")
            if comment is None or comment.status == "removed":
                return "", True
            where = (
                reverse("questions:answer_comments", args=[comment.answer_id])
                if comment.answer_id
                else reverse("questions:question_comments", args=[comment.question_id])
            )
            return f"{where}#comment-{comment.pk}", False
        return "", False

    @property
    def subject_label(self) -> str:
        """What it was about; the author of an anonymous question is never named."""
        if self.target_user_id is not None or (self.question_id is not None and self.kind in self.AUTHOR_KINDS):
            return member_label(
                user=_related_or_none(self, "target_user"),
                question_id=self.question_id,
                question=_related_or_none(self, "question") if self.question_id else None,
            )
        if self.question_id is not None:
            return gettext("question #%(number)s") % {"number": self.question_id}
        if self.answer_id is not None:
            return gettext("answer #%(number)s") % {"number": self.answer_id}
        if self.comment_id is not None:
            return gettext("clarification #%(number)s") % {"number": self.comment_id}
        phrase = self.details.get("phrase") if isinstance(self.details, dict) else None
        return gettext("“%(phrase)s”") % {"phrase": phrase} if phrase else ""

    @staticmethod
    def moved_between(from_topics: list[str], to_topics: list[str], *, translated: bool = True) -> str:
        """A move between topics as the log says it: "From A, B to C." The row keeps it in
        English (the log is one record for every moderator); pages say it in the reader's language."""
        if not translated:
            return f"From {', '.join(from_topics) or 'no topic'} to {', '.join(to_topics) or 'no topic'}."
        before, after = (", ".join(topics) or gettext("no topic") for topics in (from_topics, to_topics))
        return gettext("From %(before)s to %(after)s.") % {"before": before, "after": after}

    @property
    def reason_shown(self) -> str:
        """The reason as the log shows it: a move's "From A to B." (written in English from the
        topics kept in `details`) said in the reader's language, then the moderator's own words."""
        details = self.details if isinstance(self.details, dict) else {}
        before, after = details.get("from_topics"), details.get("to_topics")
        if self.kind != self.Kind.RETAG or not isinstance(before, list) or not isinstance(after, list):
            return self.reason
        written = self.moved_between(before, after, translated=False)
        if not self.reason.startswith(written):
            return self.reason
        return self.moved_between(before, after) + self.reason[len(written) :]


class PostRevision(models.Model):
    """One version of a post's text (a question's title and body, an answer's body) and who wrote it.

    A post's history is its rows, oldest first: the first is the text as posted (written when the
    post is first edited, dated when it was posted), each later row the text an edit left, and the
    newest is the post's current text. A moderator's version carries the reason they gave."""

    class Role(models.TextChoices):
        ASKER = "asker", _("The asker")
        AUTHOR = "author", _("The author")
        MODERATOR = "moderator", _("A moderator")

    question = models.ForeignKey(
        "questions.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    answer = models.ForeignKey(
        "answers.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # Who wrote this version. Never shown: pages name the role ("the asker", "a moderator") or the
    # post's public author; for an asker's version it is the question's own author, nothing more.
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=EXACTLY_ONE_POST, name="revision_of_exactly_one_post"),
            models.CheckConstraint(condition=~Q(role="moderator") | ~Q(reason=""),
                                   name="moderator_revision_has_reason"),
            models.CheckConstraint(condition=Q(role__in=["asker", "author", "moderator"]), name="revision_role_valid"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["question", "created_at"], name="revision_of_question"),
            models.Index(fields=["answer", "created_at"], name="revision_of_answer"),
        ]

    def __str__(self) -> str:
        return gettext("Revision %(number)s") % {"number": self.pk}


class Suspension(models.Model):
    """A member may read but not post until `ends_at`; it ends by itself."""

    DAYS = (1, 365)  # the shortest and longest suspension, in days

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions")
    ends_at = models.DateTimeField()
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    # The post that led here. For an anonymous question the desk only ever says "the author of
    # question #N", and such a suspension is lifted through that question, never by name.
    question = models.ForeignKey(
        "questions.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["user", "ends_at"], name="suspension_active")]

    def __str__(self) -> str:  # no member id: this shows in admin titles and histories
        return gettext("Suspension #%(number)s until %(day)s") % {"number": self.pk, "day": f"{self.ends_at:%Y-%m-%d}"}

    @property
    def who_label(self) -> str:
        """Whom it suspends, as the admin shows it (never the author of an anonymous question)."""
        question = _related_or_none(self, "question") if self.question_id else None
        return member_label(user=_related_or_none(self, "user"), question_id=self.question_id, question=question)


class SourceBlock(models.Model):
    """Blocks an anonymous source by the keyed hash stored with its post (no IP address is known)."""

    # The lengths a moderator may choose (hours, label): a block lasts at most as long as the
    # hashes of the last week can recognise the source (forum.core.privacy.BLOCK_LOOKBACK_DAYS).
    LENGTHS = ((24, _("24 hours")), (72, _("3 days")), (168, _("7 days")))

    source_hash = models.CharField(max_length=64)
    hash_day = models.DateField(help_text=_("The UTC day whose key produced the hash."))
    ends_at = models.DateTimeField()
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["ends_at"], name="sourceblock_active")]

    def __str__(self) -> str:
        return gettext("Block until %(when)s") % {"when": f"{self.ends_at:%Y-%m-%d %H:%M}"}


class WatchedWord(models.Model):
    class Action(models.TextChoices):
        BLOCK = "block", _("Block the post")
        HOLD = "hold", _("Hold the post for review")
        CRISIS = "crisis", _("Show crisis resources and put the post in the crisis lane")

    phrase = models.CharField(max_length=100)
    action = models.CharField(max_length=10, choices=Action.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "phrase"]
        constraints = [models.UniqueConstraint(fields=["phrase", "action"], name="watched_word_unique")]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.action})"


class FirstPostReview(models.Model):
    """A new member's first post, listed once in the queue for a look (it is already published)."""

    question = models.OneToOneField(
        "questions.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.OneToOneField("answers.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=EXACTLY_ONE_POST, name="first_post_exactly_one")]
        indexes = [models.Index(fields=["reviewed_at", "created_at"], name="first_post_queue")]

    def __str__(self) -> str:
        return gettext("First post review %(number)s") % {"number": self.pk}


class CannedReason(models.Model):
    """A ready-made reason moderators keep in the admin and pick beside a reason field.

    Its text goes into the moderation log and, for a rejection, to the asker: kind and concrete."""

    class Use(models.TextChoices):
        ANY = "any", _("Any action")
        REJECT = "reject", _("Rejecting a post")
        HIDE = "hide", _("Hiding a post")
        DELETE = "delete", _("Deleting a post")
        LOCK = "lock", _("Locking a thread")
        DUPLICATE = "duplicate", _("Closing as a duplicate")
        RETAG = "retag", _("Moving to other topics")

    label = models.CharField(max_length=60, help_text=_("What the picker shows, e.g. “Personal details”."))
    text = models.CharField(max_length=500, help_text=_("The reason as it goes into the log (and to the asker)."))
    use = models.CharField(_("for"), max_length=10, choices=Use.choices, default=Use.ANY)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "label"]
        indexes = [models.Index(fields=["is_active", "position"], name="canned_reason_active")]

    def __str__(self) -> str:
        return self.label


class CrisisResource(models.Model):
    """A help line or service shown on sensitive threads and on the ask page."""

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300)
    contact = models.CharField(max_length=100, blank=True, help_text=_("A phone number or short text."))
    url = models.URLField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Who it is for: blank language = in every language, blank country = international. Readers
    # see their language's first (forum/questions/selectors.crisis_resources), all on /help/.
    language = models.CharField(
        _("language"), max_length=7, blank=True, choices=places.LANGUAGE_CHOICES,
        help_text=_("The language the service answers in. Leave blank if it helps in every language."),
    )  # fmt: skip
    country = models.CharField(
        _("country"), max_length=2, blank=True, choices=places.COUNTRY_CHOICES,
        help_text=_("Where the service helps. Leave blank for an international service."),
    )  # fmt: skip

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def country_name(self) -> str:
        return places.country_name(self.country)

    @property
    def language_name(self) -> str:
        return places.language_name(self.language)


def suspension_end(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
