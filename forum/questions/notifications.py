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
from forum.core.tasks import retried_task

from .models import Question


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
