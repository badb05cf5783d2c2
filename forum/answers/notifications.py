"""Emails to members. Sent after commit; never name an anonymous asker or quote a post."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from forum.questions.models import Question


def notify_new_answer(*, question_id: int, answer_id: int) -> None:
    question = Question.objects.select_related("author").get(pk=question_id)
    recipient = question.author
    if recipient is None or not recipient.is_active:
        return
    context = {
        "question": question,
        "url": f"{settings.SITE_URL}{reverse('questions:answer_permalink', args=[answer_id])}",
        "site_name": settings.SITE_NAME,
    }
    answer = question.answers.only("is_expert").get(pk=answer_id)
    context["expert"] = answer.is_expert
    what = "A verified expert answered your question" if answer.is_expert else "Your question has a new answer"
    send_mail(
        subject=f"[{settings.SITE_NAME}] {what}",
        message=render_to_string("email/new_answer.txt", context),
        from_email=None,
        recipient_list=[recipient.email],
    )
