from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func, Q, TextField
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from forum.answers.models import CRISIS_WAITING
from forum.core.i18n import gettext_once
from forum.core.languages import DEFAULT_LANGUAGE, LANGUAGE_LABEL, POST_LANGUAGES
from forum.core.text import clean_line
from forum.core.urls import quick_reverse

from .topics import STARTER_TEXTS

TITLE_MIN = 15
TITLE_MAX = 150
BODY_MAX = 10_000
MAX_TAGS = 5
# The words after /questions/<id>/ that are actions, not a thread's slug (forum/questions/urls.py;
# tests/questions/test_thread.py checks the list): a title slugified to one gets a suffix.
THREAD_ACTIONS = frozenset(
    {
        "edit",
        "delete",
        "asker-email",
        "email-link",
        "vote",
        "answer",
        "follow",
        "unfollow",
        "history",
        "comment",
        "clarifications",
    }
)


def slug_for_title(title: str) -> str:
    """A thread's slug: the title's, cut to 80 characters, never one of the thread's action words."""
    slug = slugify(title)[:80].strip("-") or "question"
    return f"{slug}-question" if slug in THREAD_ACTIONS else slug


class ContentWarning(models.TextChoices):
    SEXUAL_TRAUMA = "sexual-trauma", _("Sexual trauma")
    ABUSE = "abuse", _("Abuse or violence")
    SELF_HARM = "self-harm", _("Self-harm")
    EXPLICIT = "explicit", _("Explicit sexual detail")
    PREGNANCY_LOSS = "pregnancy-loss", _("Pregnancy loss")


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    description = models.CharField(max_length=300, blank=True)
    is_sensitive = models.BooleanField(
        default=False, help_text=_("Threads in this topic show crisis resources (e.g. assault, abuse).")
    )
    question_count = models.PositiveIntegerField(default=0, help_text=_("Published questions, kept by the services."))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return quick_reverse("questions:tag", self.slug)

    def clean(self) -> None:
        # A topic's name shows on every list: no direction overrides or invisible characters.
        self.name = clean_line(self.name)
        self.description = clean_line(self.description)

    @property
    def label(self) -> str:
        """The name in the reader's language for a starter topic (forum.questions.topics), else as typed."""
        return gettext_once(self.name) if self.name in STARTER_TEXTS else self.name

    @property
    def about(self) -> str:
        """The description, translated like `label`."""
        return gettext_once(self.description) if self.description in STARTER_TEXTS else self.description


def title_grams(expression) -> Func:
    """What "similar questions" compares with trigrams: the title, with each run of Chinese or
    Japanese characters spelled as overlapping pairs ("做爱后哭" → "做 做爱 爱后 后哭"), since those
    scripts put no spaces between words. The SQL function is migration 0014's (IMMUTABLE, so the
    trigram index is built on it); other scripts pass through unchanged."""
    return Func(expression, function="forum_title_grams", output_field=TextField())


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)


_QuestionManagerBase = models.Manager.from_queryset(QuestionQuerySet)


class QuestionManager(_QuestionManagerBase):
    def get_queryset(self):
        # The search vector is for the database's index; no page needs it in Python, and a
        # full save() of a loaded question then never writes back a stale vector.
        return super().get_queryset().defer("search_vector")


class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by moderators")
        REJECTED = "rejected", _("Not approved")
        REMOVED = "removed", _("Deleted")

    title = models.CharField(max_length=TITLE_MAX)
    slug = models.SlugField(max_length=80, allow_unicode=False)
    body = models.TextField(max_length=BODY_MAX)
    body_html = models.TextField(help_text=_("Sanitized HTML rendered from body at write time."))
    # Stored for accountability when a member asks "as Anonymous"; never shown (see public_author).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    is_anonymous = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    tags = models.ManyToManyField(Tag, related_name="questions")
    # What the search vector is built with (forum.core.languages.search_config); the asker's choice.
    language = models.CharField(LANGUAGE_LABEL, max_length=8, choices=POST_LANGUAGES, default=DEFAULT_LANGUAGE)
    content_warnings = ArrayField(
        models.CharField(max_length=20, choices=ContentWarning.choices), default=list, blank=True
    )
    score = models.IntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    has_accepted_answer = models.BooleanField(default=False)
    has_expert_answer = models.BooleanField(default=False)
    # sha256 of the private question key; the key itself is never stored.
    key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # sha256 of the ask form's one-time token: a double submit finds the first question.
    submission_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Keyed, daily-rotating hash of the visitor's source (no IP): lets moderators block abuse.
    source_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    # History (moderation.PostRevision): when an edit last changed the title or body, when a
    # verified expert's answer was first published, and when an answer was last accepted, so
    # the thread can say "edited after the expert answered" without another query.
    text_changed_at = models.DateTimeField(null=True, blank=True)
    expert_answered_at = models.DateTimeField(null=True, blank=True)
    answer_accepted_at = models.DateTimeField(null=True, blank=True)
    # The day (UTC midnight: no time that a mail log could match) the private link was emailed to
    # an address its asker typed (questions.key_link_mail): once per question. The address is never
    # stored; not in the admin.
    key_link_emailed_at = models.DateTimeField(null=True, blank=True)
    # Moderation state.
    is_locked = models.BooleanField(default=False, help_text=_("Locked threads take no new answers."))
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    moderation_reason = models.CharField(
        max_length=500, blank=True, help_text=_("Why it was rejected or hidden; shown to the asker on their key page.")
    )
    # The crisis lane (forum/desk/crisis_selectors.py): when the text last mentioned a crisis
    # phrase (set by the posting services; kept, so the asker keeps seeing the help lines), and
    # when a moderator's logged action handled it. Waiting in the lane: crisis_at set, handled_at not.
    crisis_at = models.DateTimeField(null=True, blank=True)
    crisis_handled_at = models.DateTimeField(null=True, blank=True)
    # Title (A), body (B) and the published answers (C); written only by services.question_search_refresh.
    # Stored in the row, not TOASTed (STORAGE MAIN, migration 0006): search reads it row by row.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    objects = QuestionManager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=True) | Q(author__isnull=False), name="question_named_author_exists"
            ),
            models.CheckConstraint(condition=Q(status__in=["pending", "published", "hidden", "rejected", "removed"]),
                                   name="question_status_valid"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["status", "-created_at"], name="question_newest"),
            models.Index(fields=["status", "-last_activity_at"], name="question_active"),
            models.Index(fields=["status", "-score", "-created_at"], name="question_votes"),
            models.Index(fields=["status", "-created_at"], condition=Q(answer_count=0), name="question_unanswered"),
            models.Index(fields=["status", "-published_at"], name="question_published"),
            models.Index(fields=["crisis_at"], condition=CRISIS_WAITING, name="question_crisis_lane"),
            # Search and "similar questions" only ever look at published questions.
            GinIndex(fields=["search_vector"], condition=Q(status="published"), name="question_search"),
            GinIndex(
                OpClass(title_grams(F("title")), name="gin_trgm_ops"),
                condition=Q(status="published"),
                name="question_title_trgm",
            ),
            # The languages published questions are written in, read by search at each query
            # (search.search_scope: one descent of this index per language).
            models.Index(fields=["language"], condition=Q(status="published"), name="question_language"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return quick_reverse("questions:detail", self.pk, self.slug)

    @cached_property
    def topics(self) -> list[Tag]:
        """The tags as a plain list: the selectors prefetch them, templates loop over this."""
        return list(self.tags.all())

    @property
    def public_author(self):
        """The author to show, or None. Every template goes through this."""
        return None if self.is_anonymous else self.author

    @property
    def was_edited(self) -> bool:
        """Its text changed since it was posted: it has a history worth showing."""
        return self.text_changed_at is not None

    @property
    def edited_after(self) -> str:
        """What its last edit came after, for the thread's mark ("" when nothing notable)."""
        changed = self.text_changed_at
        if changed is None:
            return ""
        if self.expert_answered_at is not None and changed > self.expert_answered_at:
            return "edited after the expert answered"
        if self.has_accepted_answer and self.answer_accepted_at is not None and changed > self.answer_accepted_at:
            return "edited after an answer was accepted"
        return ""

    @property
    def history_url(self) -> str:
        return quick_reverse("questions:history", self.pk)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def content_warning_labels(self) -> list[str]:
        labels = dict(ContentWarning.choices)
        return [str(labels.get(value, value)) for value in self.content_warnings]  # in the reader's language


class PendingEdit(models.Model):
    """An asker's edit of a published question that a moderator must approve before it shows.

    Visitors' posts are pre-moderated; so are their edits, or an approved question could be
    rewritten into anything. The approved text stays up meanwhile; a newer edit replaces this.
    """

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="pending_edit")
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(max_length=BODY_MAX)
    body_html = models.TextField()
    tags = models.ManyToManyField(Tag, related_name="+")
    content_warnings = ArrayField(
        models.CharField(max_length=20, choices=ContentWarning.choices), default=list, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Edit of question {self.question_id} waiting for review"


class Notification(models.Model):
    """An in-site notice for a member: activity on a thread they follow, a decision about them."""

    class Kind(models.TextChoices):
        NEW_ANSWER = "new_answer", _("New answer")
        EXPERT_ANSWER = "expert_answer", _("An expert answered")
        ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
        NEW_COMMENT = "new_comment", _("New clarification")
        NEW_QUESTION = "new_question", _("New question in your field")
        POST_DECISION = "post_decision", _("A decision on your post")
        EXPERT_DECISION = "expert_decision", _("A decision on your expert application")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # None only for a notice about no thread (a decision on an expert application).
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey("answers.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey("answers.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A moderator's reason for a decision (shown to the recipient only); never post text.
    message = models.CharField(max_length=500, blank=True)
    # For POST_DECISION / EXPERT_DECISION: what was decided (approved, rejected, hidden, deleted, verified).
    decision = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"


SUPPORT_NOTE_MAX = 500  # a member reads it whole in their notice (Notification.message)


class SupportNote(models.Model):
    """A moderator's supportive note to the asker of a question (written from the crisis lane).

    The asker reads it on their private page (or, a member, in their notices), signed "the
    moderators": `written_by` is kept for accountability (and the log names the moderator), and
    is never shown to the asker or on any public page."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="support_notes")
    body = models.TextField(max_length=SUPPORT_NOTE_MAX)
    body_html = models.TextField(help_text=_("Sanitized inline HTML rendered from body at write time."))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["question", "created_at"], name="support_note_of_question")]

    def __str__(self) -> str:  # no moderator, no text: this shows in admin titles
        return f"Supportive note {self.pk} on question {self.question_id}"


class Follow(models.Model):
    """A member follows a thread: asking, answering or commenting follows it; a button stops it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="one_follow_per_member_question")]
        indexes = [models.Index(fields=["question"], name="follow_question")]

    def __str__(self) -> str:
        return f"Member {self.user_id} follows question {self.question_id}"


class AskerContact(models.Model):
    """An accountless asker's wish to be emailed about their question (forum.questions.asker_mail).

    `sealed` is a Fernet token (keys in ASKER_EMAIL_KEYS, outside the database) holding the
    address and the private key together: the email must link to the private page, and the
    server keeps the key nowhere else. Neither can be read from the database alone; the row is
    deleted when the asker stops, the question is deleted, or the thread is quiet for 30 days.
    Never shown, never logged, not in the admin.
    """

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="asker_contact")
    sealed = models.BinaryField(help_text=_("Fernet token of the address and the private key; never shown."))
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="asker_contact_created")]

    def __str__(self) -> str:
        return f"Email contact for question {self.question_id}"


class NotificationPreference(models.Model):
    """What a member wants to hear about, in the site and by email; created with the defaults
    the first time they save their choices or unsubscribe (no row: the defaults).

    Defaults: everything shows in the site; email for answers and clarifications on their own
    questions, their answer accepted and decisions about them (each is about *them*, and rare);
    no email for other threads they follow (a busy thread would fill an inbox). Verified experts
    get new questions in their areas of practice as a daily digest (one email a day, not one per
    question). Decisions about a member's posts always show in the site: there is no switch.
    """

    class ExpertQuestions(models.TextChoices):
        OFF = "off", _("Off")
        AT_ONCE = "at_once", _("At once, one email per question")
        DAILY = "daily", _("A daily digest")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    my_questions_site = models.BooleanField(default=True)
    my_questions_email = models.BooleanField(default=True)
    followed_site = models.BooleanField(default=True)
    followed_email = models.BooleanField(default=False)
    accepted_site = models.BooleanField(default=True)
    accepted_email = models.BooleanField(default=True)
    decisions_email = models.BooleanField(default=True)
    expert_questions = models.CharField(max_length=10, choices=ExpertQuestions.choices, default=ExpertQuestions.DAILY)
    # The end of the window the last daily digest covered (manage.py send_expert_digests).
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(expert_questions__in=["off", "at_once", "daily"]),
                                   name="preference_expert_questions_valid"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"Notification choices of member {self.user_id}"


class SearchWord(models.Model):
    """The forum's own vocabulary: each distinct word (unaccented, lower-case, unstemmed, 3 to 30
    letters) of the published questions with their published answers, and in how many of them
    it appears. What the spelling correction (forum/questions/spelling.py) suggests from.

    Written only by database triggers (migration 0016), from a column `words` of the question
    row that the Django model does not load: a question's words are recomputed whenever its
    status, title, body or search vector change, and the difference is applied here; a word
    whose count reaches 0 is deleted. A post that is not published contributes nothing.
    """

    word = models.TextField(primary_key=True)
    documents = models.IntegerField()

    class Meta:
        indexes = [GinIndex(OpClass(F("word"), name="gin_trgm_ops"), name="search_word_trgm")]

    def __str__(self) -> str:
        return self.word


class SearchSynonym(models.Model):
    """Words and phrases that mean the same thing here, in one language: how people put it and
    how experts write it ("cry", "tears"; "uti", "bladder infection", "cystitis"). A search for
    any of them also finds the others (forum/questions/synonyms.py). Kept by staff in the admin;
    every change is in the admin's history."""

    language = models.CharField(_("language"), max_length=8, choices=POST_LANGUAGES, default=DEFAULT_LANGUAGE)
    terms = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("words and phrases"),
        help_text=_("One per line, as people would type them (2 to 12, letters and spaces)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search synonym group")
        ordering = ["language", "id"]

    def __str__(self) -> str:
        return ", ".join(self.terms)
