"""Emails to members. Sent after commit; never name an anonymous asker or quote a post."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from forum.questions.models import Question


def notify_new_answer(*, question_id: int, answer_id: int) -> None:
    question = Question.objects.select_related("author").get(pk=question_id)
    recipient = question.author
    if recipient is None or not recipient.is_active:
        return
    context = {
        "question": question,
        "url": f"{settings.SITE_URL}{question.get_absolute_url()}#answer-{answer_id}",
        "site_name": settings.SITE_NAME,
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] Your question has a new answer",
        message=render_to_string("email/new_answer.txt", context),
        from_email=None,
        recipient_list=[recipient.email],
    )
