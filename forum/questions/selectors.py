"""Every read a questions page needs, joined so a page costs a fixed number of queries."""

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import ExpertProfile, User
from forum.answers.models import THREAD_ORDER, Answer, Comment, Vote
from forum.core import replicas
from forum.core.pagecache import ANSWERED, EXPERT_ANSWERED, count_for_generation, row_version, shows_rows
from forum.moderation.models import PostRevision

from .crisis_selectors import crisis_resources as crisis_resources  # the crisis box's lines
from .models import AskerContact, Follow, Notification, Question, SupportNote, Tag

PAGE_SIZE = 20
ANSWERS_PER_PAGE = 20  # as Discourse loads a topic's posts: a long thread stays light on a phone
SORTS = {
    "newest": ("-created_at", "-id"),
    "active": ("-last_activity_at", "-id"),
    "votes": ("-score", "-created_at", "-id"),
    "unanswered": ("-created_at", "-id"),
}


# What a list row shows (templatetags/question_rows.py; the search page's rows too): loading only
# these keeps a page of rows cheap. A field a row starts to show must be added here, or the
# query-count tests fail.
ROW_FIELDS = (
    *("id", "title", "slug", "status", "is_anonymous", "content_warnings", "score", "answer_count"),
    *("has_accepted_answer", "has_expert_answer", "created_at", "last_activity_at"),
    *("author_id", "author__id", "author__username"),
)


def _listing() -> QuerySet[Question]:
    """Published questions for a list; evaluate a slice of _rows(it), then attach_topics() to the rows."""
    return Question.objects.published().select_related("author").only(*ROW_FIELDS)


def _rows(questions: QuerySet[Question]) -> QuerySet[Question]:
    """The rows of a list page, each with its row version (pagecache.row_version): what the page
    cache checks a cached list page against (`_shown`)."""
    return questions.annotate(row_version=row_version(Question))


def _shown(questions: list[Question]) -> list[Question]:
    """Tell the page cache which rows, at which versions, the page being rendered shows."""
    shows_rows(Question, ((q.pk, q.row_version) for q in questions))  # type: ignore[attr-defined]  # _rows()
    return questions


_TOPICS_SQL = """
    SELECT link.question_id, tag.id, tag.name, tag.slug, tag.is_sensitive
    FROM {link} AS link JOIN {tag} AS tag ON tag.id = link.tag_id
    WHERE link.question_id = ANY(%s)
    ORDER BY tag.name, tag.id
"""


def attach_topics(questions: list[Question]) -> list[Question]:
    """Give each question its tags as `topics`, in one query over the link table: a fixed
    statement, without Django's prefetch machinery (which costs ~2 ms for a page of 20 rows)."""
    if not questions:
        return questions
    sql = _TOPICS_SQL.format(
        link=connection.ops.quote_name(Question.tags.through._meta.db_table),
        tag=connection.ops.quote_name(Tag._meta.db_table),
    )
    with replicas.reading(Question).cursor() as cursor:
        cursor.execute(sql, [[q.pk for q in questions]])
        rows = cursor.fetchall()
    tags: dict[int, Tag] = {}
    by_question: dict[int, list[Tag]] = {q.pk: [] for q in questions}
    for question_id, tag_id, name, slug, is_sensitive in rows:
        if tag_id not in tags:
            tags[tag_id] = Tag(id=tag_id, name=name, slug=slug, is_sensitive=is_sensitive)
        by_question[question_id].append(tags[tag_id])
    for question in questions:
        question.topics = by_question[question.pk]
    return questions


def question_list(*, sort: str = "newest", tag: Tag | None = None, expert: bool = False, page: int | str = 1) -> Page:
    sort = sort if sort in SORTS else "newest"
    questions = _listing()
    if expert:
        questions = questions.filter(has_expert_answer=True)
    if sort == "unanswered":
        questions = questions.filter(answer_count=0)
    if tag is not None:
        questions = questions.filter(tags=tag)
    paginator = Paginator(_rows(questions).order_by(*SORTS[sort]), PAGE_SIZE)
    if tag is not None and not expert and sort != "unanswered":
        # The services keep this counter exact; it spares a COUNT(*) over a large topic.
        paginator.count = tag.question_count
    else:
        # A COUNT(*) over 100,000 rows takes ~10 ms: count once per content generation.
        unanswered = sort == "unanswered"
        name = f"questions:tag={tag.pk if tag else ''}:expert={int(expert)}:unanswered={int(unanswered)}"
        scopes = (ANSWERED,) * unanswered + (EXPERT_ANSWERED,) * expert  # the filters' own changes
        paginator.count = count_for_generation(name, questions, scopes)
    result = paginator.get_page(page)
    result.object_list = _shown(attach_topics(list(result.object_list)))
    return result


def home_lists(*, newest: int = 15, expert: int = 5) -> tuple[list[Question], list[Question]]:
    """The home page's newest and newest expert-answered questions: three queries (one for both lists' tags)."""
    latest = list(_rows(_listing()).order_by("-created_at", "-id")[:newest])
    answered = list(_rows(_listing()).filter(has_expert_answer=True).order_by("-created_at", "-id")[:expert])
    _shown(attach_topics([*latest, *answered]))
    return latest, answered


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


def question_for_thread_qs() -> QuerySet[Question]:
    """A thread's question; the view attaches its topics (attach_topics)."""
    return Question.objects.select_related("author")


def _thread_order(question: Question, *, include_hidden: bool = False) -> QuerySet[Answer]:
    """A thread's answers in reading order: verified experts first, then the accepted one, then by
    score, then oldest. "Verified" is checked against the expert's profile, so a lapsed
    verification never sorts or shows as verified, even before the nightly job clears the flag."""
    current_expert = Q(
        is_expert=True,
        author__expert_profile__status=ExpertProfile.Status.VERIFIED,
        author__expert_profile__verified_until__gte=timezone.localdate(),
    )
    answers = Answer.objects.filter(question=question).annotate(
        expert_first=Case(When(current_expert, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    # Moderators' threads show hidden answers too (to restore them); never held or deleted ones.
    shown = [Answer.Status.PUBLISHED, Answer.Status.HIDDEN] if include_hidden else [Answer.Status.PUBLISHED]
    answers = answers.filter(status__in=shown)
    return answers.order_by("-expert_first", *THREAD_ORDER[1:])


# What an answer in a thread shows (templates/questions/_answer.html, seo.py); fewer columns,
# fewer objects to build. A field the thread starts to show must be added here.
_ANSWER_FIELDS = (
    *("id", "question_id", "author_id", "body_html", "status", "score", "is_expert", "is_accepted", "created_at"),
    *("text_changed_at", "accepted_at", "crisis_at", "crisis_handled_at"),
    *("author__id", "author__username"),
)


def thread_answers(question: Question, *, page: int | str = 1, include_hidden: bool = False) -> Page:
    """One page of the thread's answers (ANSWERS_PER_PAGE), in one query: the stored
    answer_count spares a COUNT(*). Each answer carries `shows_expert` and, for a current
    expert, `expert_title` and `expert_photo` (their photo's hash) from the joined profile; no
    profile objects are built."""
    answers = (
        _thread_order(question, include_hidden=include_hidden)
        .annotate(expert_title=F("author__expert_profile__title"))
        .annotate(expert_photo=F("author__expert_profile__photo__sha256"))  # a hash, never the image
        .select_related("author")
        .only(*_ANSWER_FIELDS)
    )
    paginator = Paginator(answers, ANSWERS_PER_PAGE)
    if not include_hidden:
        paginator.count = question.answer_count  # kept exact by the answer services
    result = paginator.get_page(page)
    result.object_list = list(result.object_list)
    for answer in result.object_list:
        answer.shows_expert = answer.expert_first  # type: ignore[attr-defined]  # annotated above
    return result


def answer_page_number(answer: Answer) -> int:
    """Which page of its thread a published answer is on (one query over the thread's ids)."""
    ids = list(_thread_order(answer.question).values_list("id", flat=True))
    return ids.index(answer.pk) // ANSWERS_PER_PAGE + 1 if answer.pk in ids else 1


def answer_location(answer: Answer) -> str:
    """The thread's address, on the page the answer is on, at the answer."""
    number = answer_page_number(answer)
    page = f"?page={number}" if number > 1 else ""
    return f"{answer.question.get_absolute_url()}{page}#answer-{answer.pk}"


def member_marks(user, *, question: Question, answers: Iterable[Answer]) -> tuple[dict[str, int], bool]:
    """What the member did on this thread, in one query: their votes, as {"q<id>": v, "a<id>": v},
    and whether they follow it. A visitor costs nothing."""
    if not user.is_authenticated:
        return {}, False
    votes = (
        Vote.objects.filter(user=user)
        .filter(Q(question=question) | Q(answer__in=[a.pk for a in answers]))
        .annotate(q=F("question_id"), a=F("answer_id"), v=F("value"))
    )
    # The follow as one more row, told apart by its value: a vote is +1 or -1 (a constraint).
    follow = Follow.objects.filter(user=user, question=question).annotate(
        q=F("question_id"), a=Value(None, output_field=IntegerField()), v=Value(0, output_field=IntegerField())
    )
    marks: dict[str, int] = {}
    following = False
    for q, a, v in votes.values_list("q", "a", "v").union(follow.values_list("q", "a", "v"), all=True):
        if v == 0:
            following = True
        else:
            marks[f"q{q}" if q else f"a{a}"] = v
    return marks, following


def question_for_key(key_hash: str) -> Question | None:
    """The private page's question, with `has_asker_contact` (an address is on file; never which)."""
    contact = AskerContact.objects.filter(question=OuterRef("pk"))
    return (
        Question.objects.select_related("author")
        .annotate(has_asker_contact=Exists(contact))
        .filter(key_hash=key_hash)
        .first()
    )


def unread_notification_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def members_with_unread_count() -> QuerySet:
    """Members, each with `unread_count` (their unread notices) computed in the same query: how
    the session's member is loaded (forum/people/auth.py), so the header's count costs nothing."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return User.objects.annotate(unread_count=Coalesce(Subquery(unread), 0))


NOTIFICATIONS_PER_PAGE = 30
_NOTICE_FIELDS = (
    *("id", "kind", "question_id", "answer_id", "comment_id", "message", "decision", "created_at", "read_at"),
    *("question__id", "question__title", "question__slug", "question__status", "question__author_id"),
)


def notifications_page(user, *, page: int | str = 1) -> Page:
    """A member's notices, newest first, with their threads' titles: two queries (count, page)."""
    notices = (
        Notification.objects.filter(recipient=user)
        .select_related("question")
        .only(*_NOTICE_FIELDS)
        .order_by("-created_at", "-id")
    )
    result = Paginator(notices, NOTIFICATIONS_PER_PAGE).get_page(page)
    result.object_list = list(result.object_list)
    for notice in result.object_list:
        question = notice.question
        # A thread that was public when the notice was written may be hidden since: its title then
        # shows only to its asker (a decision on their own post).
        shows = question is not None and (question.is_published or question.author_id == user.pk)
        notice.shows_title = shows  # type: ignore[attr-defined]
    return result


SENSITIVE_WARNINGS = {"sexual-trauma", "abuse", "self-harm"}


def is_sensitive(question: Question) -> bool:
    """Threads about assault, abuse or self-harm show crisis resources (from the attached topics)."""
    return bool(SENSITIVE_WARNINGS & set(question.content_warnings)) or any(t.is_sensitive for t in question.topics)


def support_notes(question: Question) -> list[SupportNote]:
    """The moderators' supportive notes to the asker, oldest first; never who wrote them."""
    return list(SupportNote.objects.filter(question=question).only("question_id", "body_html", "created_at"))


# --- clarifications (answers.Comment) -----------------------------------------------------

COMMENTS_SHOWN = 3  # under each post on the thread page; the rest on its clarifications page
COMMENTS_PER_PAGE = 50
# What a clarification shows (templatetags/thread_posts.py: comment_item).
_COMMENT_FIELDS = (
    *("id", "question_id", "answer_id", "author_id", "by_asker", "by_expert", "body_html", "status", "created_at"),
    *("author__id", "author__username"),
)


def _comments() -> QuerySet[Comment]:
    """Published clarifications with what their byline needs; `expert_now` is True only while
    the author's verification is current (as an answer's badge)."""
    current_expert = Q(
        by_expert=True,
        author__expert_profile__status=ExpertProfile.Status.VERIFIED,
        author__expert_profile__verified_until__gte=timezone.localdate(),
    )
    return (
        Comment.objects.filter(status=Comment.Status.PUBLISHED)
        .select_related("author")
        .only(*_COMMENT_FIELDS)
        .annotate(expert_now=Case(When(current_expert, then=Value(True)), default=Value(False)))
    )


# The first clarifications of each post on a thread page, and each post's count, in one statement.
# Written as SQL, not through the ORM: the same query built with Window(), a filter on the window
# and the byline's joins took Django 2.5-5 ms to compile on every thread page (PostgreSQL answers
# it in under 1 ms), and this statement's shape never changes (the page's answers are one array).
_FIRST_COMMENTS_SQL = """
SELECT c.id, c.question_id, c.answer_id, c.author_id, c.by_asker, c.by_expert, c.body_html, c.status,
       c.created_at, u.username AS author_username,
       COALESCE(c.by_expert AND e.status = %(verified)s AND e.verified_until >= %(today)s, false) AS expert_now,
       w.position, w.total
FROM (
    SELECT id,
           row_number() OVER (PARTITION BY answer_id ORDER BY created_at, id) AS position,
           count(*) OVER (PARTITION BY answer_id) AS total
    FROM {comment}
    WHERE question_id = %(question)s AND status = %(published)s
      AND (answer_id IS NULL OR answer_id = ANY(%(answers)s))
) w
JOIN {comment} c ON c.id = w.id
LEFT JOIN {user} u ON u.id = c.author_id
LEFT JOIN {expert} e ON e.user_id = c.author_id
WHERE w.position <= %(shown)s
ORDER BY c.answer_id NULLS FIRST, w.position
"""


def attach_comments(question: Question, answers: Iterable[Answer]) -> None:
    """Give the question and each answer `comments_shown` (the first COMMENTS_SHOWN, oldest
    first) and `comment_count`, in ONE query whatever their number: a window numbers each post's
    clarifications and counts them, and only the first few rows come back."""
    posts: list[Any] = [question, *answers]  # given two attributes of ours
    for post in posts:
        post.comments_shown, post.comment_count = [], 0
    by_answer = {answer.pk: answer for answer in answers}
    sql = _FIRST_COMMENTS_SQL.format(
        comment=Comment._meta.db_table, user=User._meta.db_table, expert=ExpertProfile._meta.db_table
    )
    params = {
        "verified": ExpertProfile.Status.VERIFIED,
        "today": timezone.localdate(),
        "question": question.pk,
        "published": Comment.Status.PUBLISHED,
        "answers": list(by_answer),
        "shown": COMMENTS_SHOWN,
    }
    row: Any  # a Comment with the query's extra columns (author_username, expert_now, total)
    for row in Comment.objects.raw(sql, params):
        # The byline's author without another query: the id and the name are all it shows.
        row.author = User(pk=row.author_id, username=row.author_username) if row.author_id else None
        owner: Any = question if row.answer_id is None else by_answer[row.answer_id]
        owner.comments_shown.append(row)
        owner.comment_count = row.total  # the window's count


def post_comments(*, question: Question, answer: Answer | None, page: int | str = 1) -> Page:
    """All published clarifications of one post (the question itself when `answer` is None), oldest first."""
    comments = _comments().filter(question=question, answer=answer).order_by("created_at", "id")
    result = Paginator(comments, COMMENTS_PER_PAGE).get_page(page)
    result.object_list = list(result.object_list)
    return result


def _count(queryset: QuerySet, field: str) -> Coalesce:
    """COUNT(*) of `queryset`'s rows per OuterRef("pk") on `field`, as a subquery (0 for none)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def question_deletion_summary(question: Question) -> dict[str, int]:
    """What deleting a question loses, as its asker sees it: its published answers and
    clarifications, and the versions in its history. One query."""
    comments = Comment.objects.filter(status=Comment.Status.PUBLISHED)
    return (
        Question.objects.filter(pk=question.pk)
        .annotate(
            n_answers=_count(Answer.objects.published(), "question"),
            n_clarifications=_count(comments, "question"),
            n_versions=_count(PostRevision.objects.all(), "question"),
        )
        .values("n_answers", "n_clarifications", "n_versions")
        .get()
    )


def answer_deletion_summary(answer: Answer) -> dict[str, int]:
    """What deleting an answer loses: the clarifications under it and the versions in its history. One query."""
    comments = Comment.objects.filter(status=Comment.Status.PUBLISHED)
    return (
        Answer.objects.filter(pk=answer.pk)
        .annotate(n_clarifications=_count(comments, "answer"), n_versions=_count(PostRevision.objects.all(), "answer"))
        .values("n_clarifications", "n_versions")
        .get()
    )
