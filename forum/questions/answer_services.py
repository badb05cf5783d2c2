"""Every write to answers and votes. Keyword-only, atomic; counters move with F() in the same transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from accounts.experts import can_post_as_expert
from forum.answers.models import Answer, Vote
from forum.core import effects, text
from forum.core.markdown import render_markdown
from forum.core.pagecache import ACTIVITY, ANSWERED, EXPERT_ANSWERED, LISTS, ROWS, SCORES, forget_all_pages, thread
from forum.moderation import policy
from forum.moderation.models import FirstPostReview, Flag, PostRevision

from . import notifications
from .comment_services import comments_wipe
from .models import Notification, Question
from .services import follow_thread, question_search_refresh, search_vector_expression


@transaction.atomic
def answer_post(*, question: Question, author, body: str) -> Answer:
    body = text.clean_body(body)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status != Question.Status.PUBLISHED:
        raise ValidationError(gettext("This question is not open for answers."))
    if question.is_locked or question.duplicate_of_id:
        raise ValidationError(gettext("This thread is closed: it takes no new answers."))
    policy.check_member_can_post(author)
    screening = policy.screen_post(body)
    held = screening.action == "hold"
    as_expert = can_post_as_expert(author)
    now = timezone.now()
    answer = Answer(
        question=question,
        author=author,
        body=body,
        body_html=render_markdown(body),
        status=Answer.Status.PENDING if held else Answer.Status.PUBLISHED,
        posted_as_expert=as_expert,
        is_expert=as_expert,
        created_at=now,
        updated_at=now,
        crisis_at=now if screening.crisis else None,
    )
    # The question is the row locked above and the author the member posting, so checking that
    # they exist would be two queries for nothing; a new answer is not the accepted one, so the
    # one-accepted constraint doesn't apply. The database enforces both anyway.
    answer.full_clean(exclude=["question", "author"], validate_constraints=False)
    answer.save()
    policy.note_first_post(author=author, answer=answer)
    follow_thread(user_id=author.pk, question_id=question.pk)
    if held:
        return answer
    _announce(question=question, answer=answer, search_vector=True)
    return answer


def _announce(*, question: Question, answer: Answer, search_vector: bool = False) -> None:
    """A newly visible answer: count it, bump the thread, tell the asker.

    `search_vector`: refresh the question's search vector in the same UPDATE (what
    question_search_refresh does), for a caller that has held the question's row lock since
    before the answer was written, so the answers it reads are all there are."""
    now = timezone.now()
    changes = {"answer_count": F("answer_count") + 1, "last_activity_at": now}
    if answer.is_expert:
        changes["has_expert_answer"] = True
        changes["expert_answered_at"] = Coalesce(F("expert_answered_at"), Value(now))
    if search_vector:
        changes["search_vector"] = search_vector_expression()
    Question.objects.filter(pk=question.pk).update(**changes)
    # The thread; in lists, the question's row (its count), the order by activity, the unanswered
    # list, and for an expert's answer the expert-answered lists. Other lists stay cached.
    expert = (EXPERT_ANSWERED,) if answer.is_expert else ()
    effects.pages_changed(thread(question.pk), ROWS, ACTIVITY, ANSWERED, *expert)
    notifications.announce_answer(question=question, answer=answer)


@transaction.atomic
def answer_set_status(*, answer: Answer, status: str) -> Answer:
    """Move an answer between pending, published, hidden and removed, keeping the thread's counters."""
    # The author may be gone (NULL, an outer join): lock the answer and its question only.
    locked = Answer.objects.select_for_update(of=("self", "question"))
    answer = locked.select_related("question", "author").get(pk=answer.pk)
    old = answer.status
    if old == status:
        return answer
    answer.status = status
    answer.save(update_fields=["status"])
    if old == Answer.Status.PENDING and status == Answer.Status.PUBLISHED:
        _announce(question=answer.question, answer=answer)
    elif old == Answer.Status.PUBLISHED:
        Question.objects.filter(pk=answer.question_id).update(answer_count=F("answer_count") - 1)
    elif status == Answer.Status.PUBLISHED:
        Question.objects.filter(pk=answer.question_id).update(answer_count=F("answer_count") + 1)
    if answer.is_expert:
        questions_recount_expert_answers(question_ids=[answer.question_id])
    if Answer.Status.PUBLISHED in (old, status):  # its text joins or leaves the thread's search vector
        question_search_refresh(question_id=answer.question_id)
        effects.pages_changed(thread(answer.question_id), LISTS)
    return answer


def questions_recount_expert_answers(*, question_ids) -> None:
    """Question.has_expert_answer, recomputed from the published expert answers: the one recount."""
    if not question_ids:
        return
    experts = Answer.objects.filter(question=OuterRef("pk"), is_expert=True, status=Answer.Status.PUBLISHED)
    Question.objects.filter(pk__in=question_ids).update(has_expert_answer=Exists(experts))


def _locked_post(*, question: Question | None, answer: Answer | None) -> Question | Answer:
    if question is not None and answer is None:
        return Question.objects.select_for_update().get(pk=question.pk)
    if answer is not None and question is None:  # with its question (status), which is not locked
        return Answer.objects.select_for_update(of=("self",)).select_related("question").get(pk=answer.pk)
    raise ValueError("Vote on exactly one of question or answer.")


@transaction.atomic
def vote_cast(*, user, value: int, question: Question | None = None, answer: Answer | None = None) -> int:
    """Vote +1 or -1, or 0 to withdraw. Returns the post's new score."""
    if value not in (-1, 0, 1):
        raise ValidationError(gettext("A vote is up, down or withdrawn."))
    policy.check_member_can_post(user)
    post = _locked_post(question=question, answer=answer)  # serializes votes on this post
    if post.author_id == user.pk:
        raise PermissionDenied(gettext("You can't vote on your own post."))
    status_ok = post.status == post.Status.PUBLISHED
    if isinstance(post, Answer):
        status_ok = status_ok and post.question.status == Question.Status.PUBLISHED
    if not status_ok:
        raise ValidationError(gettext("Voting is closed on this post."))

    target = {"question": post} if isinstance(post, Question) else {"answer": post}
    existing = Vote.objects.filter(user=user, **target).first()
    old = existing.value if existing else 0
    if value == old:
        return post.score
    if existing and value == 0:
        existing.delete()
    elif existing:
        existing.value = value
        existing.save(update_fields=["value"])
    else:
        Vote.objects.create(user=user, value=value, **target)
    type(post).objects.filter(pk=post.pk).update(score=F("score") + (value - old))
    if isinstance(post, Question):
        effects.pages_changed(thread(post.pk), ROWS, SCORES)  # its row in lists, the order by score
    else:
        effects.pages_changed(thread(post.question_id))  # an answer's score shows on its thread only
    return post.score + (value - old)  # the post is locked: no other vote moved it meanwhile


@transaction.atomic
def answer_accept(*, question: Question, answer: Answer) -> Answer:
    """The asker marks the answer that helped; at most one per question (a database constraint).

    A member's question is accepted on only by that member, so a suspended asker is refused
    here (and in answer_unaccept); a visitor's question has no account to suspend.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.author is not None:
        policy.check_member_can_post(question.author)
    if answer.question_id != question.pk:
        raise ValidationError(gettext("That answer belongs to another question."))
    if question.status != Question.Status.PUBLISHED:
        raise ValidationError(gettext("This question is not open."))
    answer = Answer.objects.get(pk=answer.pk)
    if answer.status != Answer.Status.PUBLISHED:
        raise ValidationError(gettext("That answer is no longer available."))
    Answer.objects.filter(question=question, is_accepted=True).exclude(pk=answer.pk).update(is_accepted=False)
    if not answer.is_accepted:
        answer.is_accepted = True
        answer.accepted_at = timezone.now()
        answer.save(update_fields=["is_accepted", "accepted_at"])
        Question.objects.filter(pk=question.pk).update(has_accepted_answer=True, answer_accepted_at=answer.accepted_at)
    else:
        Question.objects.filter(pk=question.pk).update(has_accepted_answer=True)
    effects.pages_changed(thread(question.pk), LISTS)
    notifications.announce_accepted(question=question, answer=answer)
    return answer


@transaction.atomic
def answer_unaccept(*, question: Question) -> None:
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.author is not None:
        policy.check_member_can_post(question.author)
    Answer.objects.filter(question=question, is_accepted=True).update(is_accepted=False)
    Question.objects.filter(pk=question.pk).update(has_accepted_answer=False)
    effects.pages_changed(thread(question.pk), LISTS)


@transaction.atomic
def answer_delete(*, answer: Answer, user) -> Answer:
    """Its author deletes their answer: its words are wiped, not just hidden (as an asker's deletion).

    The body goes; so do its history (every version, the author's and moderators': the words are
    the author's), the clarifications under it (with their text, as a deleted question's), the
    notices that point at it, and its open reports and first-post review (nothing is left to look
    at). If it was published the thread's count goes down, a "helped the asker" mark is cleared,
    the expert flag and the search vector are recomputed, and the page cache is emptied once the
    deletion commits (as for a deleted question: no cached copy of the thread keeps its words).
    A moderator's deletion is the desk's (forum/desk), which keeps the text for the log.
    """
    locked = Answer.objects.select_for_update(of=("self", "question"))
    answer = locked.select_related("question").get(pk=answer.pk)
    if user is None or not user.is_authenticated or answer.author_id != user.pk:
        raise PermissionDenied(gettext("Only its author can delete an answer."))
    if answer.status == Answer.Status.REMOVED:
        raise ValidationError(gettext("This answer was already deleted."))
    question = answer.question
    was_published = answer.status == Answer.Status.PUBLISHED
    was_accepted = answer.is_accepted
    answer.status = Answer.Status.REMOVED
    answer.body = ""
    answer.body_html = ""
    answer.is_accepted = False
    answer.is_expert = False
    answer.updated_at = timezone.now()
    answer.save(update_fields=["status", "body", "body_html", "is_accepted", "is_expert", "updated_at"])
    changes: dict = {}
    if was_published:
        changes["answer_count"] = F("answer_count") - 1
    if was_accepted:
        changes["has_accepted_answer"] = False
    if changes:
        Question.objects.filter(pk=question.pk).update(**changes)
    PostRevision.objects.filter(answer=answer).delete()
    comments_wipe(comments=answer.comments.all())
    Notification.objects.filter(Q(answer=answer) | Q(comment__answer=answer)).delete()
    Flag.objects.filter(answer=answer, status=Flag.Status.OPEN).update(
        status=Flag.Status.RESOLVED, handled_at=timezone.now()
    )
    FirstPostReview.objects.filter(answer=answer, reviewed_at__isnull=True).update(reviewed_at=timezone.now())
    questions_recount_expert_answers(question_ids=[question.pk])
    question_search_refresh(question_id=question.pk)  # its words leave the index
    effects.pages_changed(thread(question.pk), LISTS)
    transaction.on_commit(forget_all_pages)  # no cached copy of the thread keeps its words either
    return answer
