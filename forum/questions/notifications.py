"""Emails to members, sent by the task worker. Never name an anonymous asker or quote a post.

Tasks take ids and look the rest up when they run: a question deleted (or hidden) before then
sends nothing, and its words never reach the job table. Transient mail errors are retried
(forum.core.tasks).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from forum.answers.models import Answer
from forum.core import effects
from forum.core.tasks import retried_task

from . import asker_mail
from .models import Notification, Question


def announce_answer(*, question: Question, answer: Answer) -> None:
    """A newly visible answer, in the transaction that published it: tell who should know."""
    asker_mail.on_thread_activity(question=question, what="answer")  # an accountless asker who left an address
    if question.author_id and question.author_id != answer.author_id:
        kind = Notification.Kind.EXPERT_ANSWER if answer.is_expert else Notification.Kind.NEW_ANSWER
        Notification.objects.create(recipient_id=question.author_id, kind=kind, question=question, answer=answer)
        effects.task(notify_new_answer, question_id=question.pk, answer_id=answer.pk)  # with the write


def announce_accepted(*, question: Question, answer: Answer) -> None:
    """The asker marked `answer` as the one that helped."""
    if answer.author_id is not None and answer.author_id != question.author_id:  # None: a former member
        Notification.objects.create(
            recipient_id=answer.author_id, kind=Notification.Kind.ANSWER_ACCEPTED, question=question, answer=answer
        )


def announce_comment(*, comment) -> None:
    """A newly visible clarification (answers.Comment), in the transaction that published it."""
    if not comment.by_asker:  # an accountless asker who left an address; never for their own
        asker_mail.on_thread_activity(question=comment.question, what="comment")


@retried_task
def notify_new_answer(*, question_id: int, answer_id: int) -> None:
    """Tell the asker their question has a new answer (a link to it, nothing quoted)."""
    question = Question.objects.select_related("author").filter(pk=question_id).first()
    if question is None or question.status != Question.Status.PUBLISHED:
        return
    recipient = question.author
    if recipient is None or not recipient.is_active:
        return
    answer = question.answers.only("is_expert", "status").filter(pk=answer_id).first()
    if answer is None or answer.status != Answer.Status.PUBLISHED:
        return
    context = {
        "question": question,
        "url": f"{settings.SITE_URL}{reverse('questions:answer_permalink', args=[answer_id])}",
        "site_name": settings.SITE_NAME,
        "expert": answer.is_expert,
    }
    what = "A verified expert answered your question" if answer.is_expert else "Your question has a new answer"
    send_mail(
        subject=f"[{settings.SITE_NAME}] {what}",
        message=render_to_string("email/new_answer.txt", context),
        from_email=None,
        recipient_list=[recipient.email],
    )
