"""Every write to questions and tags. Keyword-only, atomic; views call these and nothing else."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext

from forum.answers.models import Answer, Comment
from forum.core import effects, languages, text
from forum.core.markdown import render_markdown
from forum.core.pagecache import LISTS, forget_all_pages, thread
from forum.core.tokens import question_key_from_form_token, sha256_hex
from forum.moderation import policy
from forum.moderation.models import PostRevision

from . import asker_mail, notifications
from .comment_services import comments_wipe
from .models import MAX_TAGS, Follow, Notification, PendingEdit, Question, Tag, slug_for_title
from .revisions import revision_record

Status = Question.Status


@dataclass(frozen=True)
class AskResult:
    question: Question
    key: str | None  # the private key, for a visitor's question; shown once
    duplicate: bool = False


def _slug_for(title: str) -> str:
    return slug_for_title(title)


def _check_tags(tags: list[Tag]) -> None:
    if not 1 <= len(tags) <= MAX_TAGS:
        raise ValidationError({"tags": gettext("Choose between 1 and %(max)s topics.") % {"max": MAX_TAGS}})


def _move_tag_counts(question: Question, *, was_published: bool) -> None:
    """Keep Tag.question_count equal to the number of published questions per tag."""
    now_published = question.status == Status.PUBLISHED
    if was_published == now_published:
        return
    _move_tag_counts_for_tags(question, delta=1 if now_published else -1)


@transaction.atomic
def question_create(
    *,
    author,
    title: str,
    body: str,
    tags: Iterable[Tag],
    content_warnings: Iterable[str] = (),
    show_anonymous: bool = True,
    form_token: str,
    source_hashes: Mapping[datetime.date, str] | None = None,
    asker_email: str = "",
    language: str = languages.DEFAULT_LANGUAGE,
) -> AskResult:
    """Ask a question. `author` is None for a visitor, who gets a private key instead.

    `source_hashes` are the visitor's keyed source hashes for recent days (see
    forum.core.privacy.recent_source_hashes): today's is stored, all are checked for blocks.
    `asker_email`: a visitor's address to be told of answers (forum.questions.asker_mail), sealed.
    `language`: what it is written in (forum.core.languages), which its search vector follows.
    """
    title, body = text.clean_line(title), text.clean_body(body)
    submission_hash = sha256_hex(form_token)
    existing = Question.objects.filter(submission_hash=submission_hash).first()
    if existing is not None:
        return _duplicate(existing, form_token)

    tags = list(tags)
    _check_tags(tags)
    is_visitor = author is None
    if is_visitor:
        policy.check_source_can_post(source_hashes or {})
    else:
        policy.check_member_can_post(author)
    screening = policy.screen_post(title, body)
    held = screening.action == "hold"
    key = question_key_from_form_token(form_token) if is_visitor else None
    premoderate = held or (is_visitor and settings.FORUM_PREMODERATE_ANONYMOUS)
    source_hash = source_hashes[max(source_hashes)] if is_visitor and source_hashes else ""
    now = timezone.now()
    question = Question(
        title=title.strip(),
        slug=_slug_for(title),
        body=body,
        body_html=render_markdown(body),
        language=language,
        author=author,
        is_anonymous=is_visitor or show_anonymous,
        status=Status.PENDING if premoderate else Status.PUBLISHED,
        content_warnings=sorted(set(content_warnings)),
        key_hash=sha256_hex(key) if key else None,
        submission_hash=submission_hash,
        source_hash=source_hash,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
        published_at=None if premoderate else now,
        crisis_at=now if screening.crisis else None,
    )
    # Uniqueness is the database's job here: a racing double submit lands in the IntegrityError branch.
    question.full_clean(exclude=["tags", "search_vector"], validate_unique=False)
    try:
        with transaction.atomic():
            question.save()
    except IntegrityError:
        # The same form submitted twice at once: the other request created it.
        return _duplicate(Question.objects.get(submission_hash=submission_hash), form_token)
    question.tags.set(tags)
    _move_tag_counts(question, was_published=False)
    policy.note_first_post(author=author, question=question)
    if key and asker_email:
        asker_mail.asker_contact_set(question=question, key=key, email=asker_email)
    question_search_refresh(question_id=question.pk)
    if author is not None:
        follow_thread(user_id=author.pk, question_id=question.pk)
    if question.status == Status.PUBLISHED:
        effects.pages_changed(LISTS)
        notifications.announce_question(question=question)
    return AskResult(question=question, key=key)


def _duplicate(question: Question, form_token: str) -> AskResult:
    key = question_key_from_form_token(form_token) if question.key_hash else None
    return AskResult(question=question, key=key, duplicate=True)


@dataclass(frozen=True)
class EditResult:
    question: Question
    waiting_for_review: bool  # the new text is kept aside until a moderator approves it


def edit_needs_review(question: Question) -> bool:
    """Pre-moderation can't be bypassed by editing: a visitor's approved question changes only
    after a moderator reads the new text (the approved text stays up meanwhile)."""
    return (
        question.author_id is None
        and settings.FORUM_PREMODERATE_ANONYMOUS
        and question.status in (Status.PUBLISHED, Status.HIDDEN)
    )


@transaction.atomic
def question_update(
    *,
    question: Question,
    title: str,
    body: str,
    tags: Iterable[Tag],
    content_warnings: Iterable[str] = (),
    language: str | None = None,
) -> EditResult:
    """The asker edits their question. A visitor's published question keeps its approved text
    until a moderator approves the edit; words held for review send it back to review too.
    A new `language` applies at once (it only changes how search reads the text)."""
    title, body = text.clean_line(title), text.clean_body(body)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status == Status.REMOVED:
        raise ValidationError(gettext("This question was deleted."))
    tags = list(tags)
    _check_tags(tags)
    if question.author is not None:
        policy.check_member_can_post(question.author)
    screening = policy.screen_post(title, body)
    held = screening.action == "hold"
    crisis_fields = policy.crisis_mark(question, crisis=screening.crisis)
    if crisis_fields:  # the words are in the lane's hands even while the edit waits for review
        question.save(update_fields=crisis_fields)
    if edit_needs_review(question) or (held and question.status == Status.PUBLISHED):
        _keep_for_review(question, title=title, body=body, tags=tags, content_warnings=content_warnings)
        if language is not None and language != question.language:
            question_set_language(question=question, language=language)
        return EditResult(question=question, waiting_for_review=True)
    question = question_apply_text(
        question=question, title=title, body=body, tags=tags, content_warnings=content_warnings, language=language
    )
    PendingEdit.objects.filter(question=question).delete()  # a direct edit supersedes a waiting one
    return EditResult(question=question, waiting_for_review=False)


def _keep_for_review(question: Question, *, title: str, body: str, tags: list[Tag], content_warnings) -> None:
    edit = PendingEdit(
        question=question,
        title=title.strip(),
        body=body,
        body_html=render_markdown(body),
        content_warnings=sorted(set(content_warnings)),
    )
    edit.full_clean(exclude=["question", "tags"])
    PendingEdit.objects.filter(question=question).delete()
    edit.save()
    edit.tags.set(tags)


@transaction.atomic
def question_apply_text(
    *,
    question: Question,
    title: str,
    body: str,
    tags: Iterable[Tag],
    content_warnings: Iterable[str] = (),
    language: str | None = None,
) -> Question:
    """Write a question's new text, topics and warnings (the asker's edit, or an approved one).
    A changed title or body is kept in the question's history, as the asker's version.
    `language`: a new language, or None to keep it."""
    title, body = text.clean_line(title), text.clean_body(body)
    question = Question.objects.select_for_update().get(pk=question.pk)
    tags = list(tags)
    was_published = question.status == Status.PUBLISHED
    if was_published:
        _move_tag_counts_for_tags(question, delta=-1)
    asker = PostRevision.Role.ASKER
    revision_record(post=question, title=title.strip(), body=body, editor_id=question.author_id, role=asker)
    question.title = title.strip()
    question.slug = _slug_for(title)
    question.body = body
    question.body_html = render_markdown(body)
    question.content_warnings = sorted(set(content_warnings))
    question.language = question.language if language is None else language
    question.updated_at = timezone.now()
    question.full_clean(exclude=["tags", "search_vector"])
    fields = ["title", "slug", "body", "body_html", "content_warnings", "language", "updated_at", "text_changed_at"]
    question.save(update_fields=fields)
    question.tags.set(tags)
    if was_published:
        _move_tag_counts_for_tags(question, delta=1)
        effects.pages_changed(thread(question.pk), LISTS)
    question_search_refresh(question_id=question.pk)
    return question


@transaction.atomic
def question_set_language(*, question: Question, language: str) -> Question:
    """Change what a question is written in: its search vector is rebuilt with that language's
    configuration. Page text doesn't change, so no cached page does."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    question.language = language
    question.full_clean(exclude=["tags", "search_vector"])
    question.save(update_fields=["language"])
    question_search_refresh(question_id=question.pk)
    return question


def _move_tag_counts_for_tags(question: Question, *, delta: int) -> None:
    Tag.objects.filter(questions=question).update(question_count=F("question_count") + delta)


@transaction.atomic
def question_set_status(*, question: Question, status: str) -> Question:
    """Move a question between pending, published, hidden and removed, keeping counters right."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    was_published = question.status == Status.PUBLISHED
    question.status = status
    fields = ["status"]
    first_publication = status == Status.PUBLISHED and question.published_at is None
    if first_publication:
        question.published_at = timezone.now()
        question.last_activity_at = question.published_at
        fields += ["published_at", "last_activity_at"]
    question.save(update_fields=fields)
    _move_tag_counts(question, was_published=was_published)
    if status == Status.REMOVED:  # deleted, by the asker or a moderator: the asker's address goes
        asker_mail.asker_contact_erase(question_id=question.pk)
    if was_published or status == Status.PUBLISHED:
        effects.pages_changed(thread(question.pk), LISTS)
    if first_publication:
        notifications.announce_question(question=question)
    return question


def question_publish(*, question: Question) -> Question:
    """Publish a pending question (the admin now; the moderation desk later)."""
    if question.status not in (Status.PENDING, Status.HIDDEN):
        raise ValidationError(gettext("Only a pending or hidden question can be published."))
    return question_set_status(question=question, status=Status.PUBLISHED)


@transaction.atomic
def question_delete(*, question: Question) -> Question:
    """The asker deletes their question: its words are wiped everywhere, not just hidden.

    Title, body, slug and search vector are emptied; every clarification on the thread is
    removed with its text (the asker's own, and others', which quote and answer them); its
    history (PostRevision: every version, the asker's and moderators'), any edit waiting for
    review, and the admin history's description of the
    row go too; the page cache is emptied once the deletion is committed.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status == Status.REMOVED:
        raise ValidationError(gettext("This question was already deleted."))
    question = question_set_status(question=question, status=Status.REMOVED)
    question.title = DELETED_TITLE
    question.slug = "deleted"
    question.body = ""
    question.body_html = ""
    question.content_warnings = []
    question.updated_at = timezone.now()
    question.save(update_fields=["title", "slug", "body", "body_html", "content_warnings", "updated_at"])
    PostRevision.objects.filter(question=question).delete()
    PendingEdit.objects.filter(question=question).delete()
    comments_wipe(comments=Comment.objects.filter(question=question))
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Question), object_id=str(question.pk)
    ).update(object_repr=DELETED_TITLE, change_message="")
    question_search_refresh(question_id=question.pk)  # the old words leave the index too
    transaction.on_commit(forget_all_pages)
    return question


DELETED_TITLE = "[deleted]"
# A tsvector must stay under 1 MB; a thread buried in gibberish answers must not break posting.
ANSWERS_TEXT_MAX = 1_000_000


@transaction.atomic
def question_search_refresh(*, question_id: int) -> None:
    """Recompute the stored search vector: title (A), body (B), published answers (C), in one UPDATE.

    Every service that changes a question's text, or its answers' text or visibility, calls this last.
    """
    # Lock the row first: an UPDATE that has to wait for another writer's row lock would still
    # read the answers as they were when it started; the statement after the lock sees them now.
    list(Question.objects.select_for_update().filter(pk=question_id).values_list("pk", flat=True))
    Question.objects.filter(pk=question_id).update(search_vector=search_vector_expression())


def search_vector_expression():
    """The stored search vector of a question row, as an expression for UPDATE (also used by seed_bulk)."""
    answers_text = (
        Answer.objects.filter(question=OuterRef("pk"), status=Answer.Status.PUBLISHED)
        .order_by()
        .values("question")
        .annotate(text=StringAgg("body", " "))
        .values("text")
    )
    config = search_config_expression()
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("body", weight="B", config=config)
        + SearchVector(Left(Subquery(answers_text), ANSWERS_TEXT_MAX), weight="C", config=config)
    )


# The languages with a stemmer, English first (most rows); every other one reads as forum_simple.
STEMMED_LANGUAGES = sorted(languages.STEMMED, key=lambda code: (code != languages.DEFAULT_LANGUAGE, code))
_LANGUAGE_COLUMN = f"{connection.ops.quote_name(Question._meta.db_table)}.{connection.ops.quote_name('language')}"


def search_config_expression(codes: Sequence[str] = STEMMED_LANGUAGES) -> RawSQL:
    """The row's own text search configuration, from its language: CASE language WHEN 'es' THEN
    'forum_spanish' … ELSE 'forum_simple' END, over the constant names of forum.core.languages
    (`codes`: every stemmed language, or those a search knows to be in use). A name is never
    built from a stored or submitted value. Raw SQL: the same CASE as 20 When() objects cost
    Django ~2 ms to resolve, at every write and in every search."""
    whens = " ".join("WHEN %s THEN %s" for _ in codes)
    params = [value for code in codes for value in (code, languages.search_config(code))]
    sql = f"CASE {_LANGUAGE_COLUMN} {whens} ELSE %s END" if codes else "%s"
    return RawSQL(sql, [*params, languages.SIMPLE_CONFIG], output_field=CharField())  # noqa: S611 - constants


def notifications_mark_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def follow_thread(*, user_id: int, question_id: int) -> None:
    """The member follows the thread (asking, answering and commenting do it too). One statement,
    INSERT … ON CONFLICT DO NOTHING: following twice, or two requests at once, leave one row."""
    Follow.objects.bulk_create([Follow(user_id=user_id, question_id=question_id)], ignore_conflicts=True)


@transaction.atomic
def follow_start(*, user, question: Question) -> None:
    """The Follow button. Only a question the member may see (the view checks it)."""
    if question.status == Status.REMOVED:
        raise ValidationError(gettext("This question was deleted."))
    follow_thread(user_id=user.pk, question_id=question.pk)


@transaction.atomic
def follow_stop(*, user, question: Question) -> None:
    """Stop following: no more news of the thread, in the site or by email (queued emails check too)."""
    Follow.objects.filter(user=user, question=question).delete()
