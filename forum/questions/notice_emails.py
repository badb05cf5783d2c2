"""Emails to members, written and sent by the task worker (forum/questions/notifications.py queues them).

Jobs hold ids, never words: each looks up what it needs when it runs, so a post hidden or deleted
meanwhile, a member who stopped following or turned the email off, or a closed account gets
nothing. An email never quotes a post and never names an asker: news about a thread (yours or one
you follow), an accepted answer or a decision carries only a link (a lock screen or a shared inbox
shows nothing of what was asked); an expert's new-question email and digest carry titles, which
are public. Every email has a one-click unsubscribe link for its kind (RFC 8058 headers too).

Each email is written in its reader's language (`User.language`, accounts/languages.py), not the
language of the request that caused it: the job renders it inside `translation.override`.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import ExpertProfile, User
from forum.answers.models import Answer, Comment
from forum.core import effects
from forum.core.tasks import retried_task

from . import preferences
from .models import Follow, Notification, NotificationPreference, Question
from .preferences import Channel

Kind = Notification.Kind
PUBLISHED = Question.Status.PUBLISHED
DAILY = NotificationPreference.ExpertQuestions.DAILY

# A daily digest: at most one per DIGEST_GAP (a second run the same day sends nothing), covering
# at most DIGEST_LOOKBACK (after days without a run, or the first time), listing DIGEST_MAX titles.
DIGEST_GAP = datetime.timedelta(hours=20)
DIGEST_LOOKBACK = datetime.timedelta(days=7)
DIGEST_FIRST = datetime.timedelta(days=1)
DIGEST_MAX = 50

# Whole sentences, so each language can word them its own way: (subject, first line of the email)
# of a thread's news, by the kind of news and whether the reader asked the question.
THREAD_NEWS = {
    (Kind.NEW_ANSWER, True): (
        _("Your question has a new answer"),
        _("A question you asked on %(site_name)s has a new answer."),
    ),
    (Kind.NEW_ANSWER, False): (
        _("A thread you follow has a new answer"),
        _("A thread you follow on %(site_name)s has a new answer."),
    ),
    (Kind.EXPERT_ANSWER, True): (
        _("Your question has an answer from a verified expert"),
        _("A question you asked on %(site_name)s has an answer from a verified expert."),
    ),
    (Kind.EXPERT_ANSWER, False): (
        _("A thread you follow has an answer from a verified expert"),
        _("A thread you follow on %(site_name)s has an answer from a verified expert."),
    ),
    (Kind.NEW_COMMENT, True): (
        _("Your question has a new clarification"),
        _("A question you asked on %(site_name)s has a new clarification."),
    ),
    (Kind.NEW_COMMENT, False): (
        _("A thread you follow has a new clarification"),
        _("A thread you follow on %(site_name)s has a new clarification."),
    ),
}
# A moderator's decision on a post or an expert application: (what, decision) -> the sentence.
DECISIONS = {
    ("question", "approved"): _("A moderator has made a decision on your question: it is approved and published."),
    ("question", "rejected"): _("A moderator has made a decision on your question: it was not approved."),
    ("question", "hidden"): _("A moderator has made a decision on your question: it is hidden."),
    ("question", "deleted"): _("A moderator has made a decision on your question: it was removed."),
    ("answer", "approved"): _("A moderator has made a decision on your answer: it is approved and published."),
    ("answer", "rejected"): _("A moderator has made a decision on your answer: it was not approved."),
    ("answer", "hidden"): _("A moderator has made a decision on your answer: it is hidden."),
    ("answer", "deleted"): _("A moderator has made a decision on your answer: it was removed."),
    ("expert application", "verified"): _(
        "A moderator has made a decision on your expert application: you are now a verified expert."
    ),
    ("expert application", "rejected"): _(
        "A moderator has made a decision on your expert application: it was not verified."
    ),
    ("expert application", "revoked"): _(
        "A moderator has made a decision on your expert application: your expert verification was withdrawn."
    ),
    ("question", "support-note"): _(
        "The moderators wrote you a note about your question. If you are in danger now, "
        "please call your local emergency number."
    ),
    ("answer", "support-note"): _(
        "The moderators wrote you a note about your answer. If you are in danger now, "
        "please call your local emergency number."
    ),
}
# A decision this table doesn't know yet still says what it was about.
OTHER_DECISION = {
    "question": _("A moderator has made a decision on your question: %(decision)s."),
    "answer": _("A moderator has made a decision on your answer: %(decision)s."),
    "expert application": _("A moderator has made a decision on your expert application: %(decision)s."),
}
DECISION_SUBJECTS = {
    "question": _("A moderator's decision on your question"),
    "answer": _("A moderator's decision on your answer"),
}
NOTE_SUBJECTS = {
    "question": _("A note from the moderators about your question"),
    "answer": _("A note from the moderators about your answer"),
}


def decision_sentence(what: str, decision: str) -> str:
    """The sentence of a decision email, in the active language."""
    sentence = DECISIONS.get((what, decision))
    if sentence is not None:
        return str(sentence)
    return OTHER_DECISION[what] % {"decision": decision}


@retried_task
def notify_many(*, kind: str, question_id: int, user_ids: list[int], **post: int) -> None:
    """One event for many members: one job each, so a failed delivery is retried for its recipient
    alone. Queued all together or not at all (with the database queue, one transaction), so a retry
    of this job never queues anyone twice."""
    with transaction.atomic():
        for user_id in user_ids:
            effects.task(notify_one, user_id=user_id, kind=kind, question_id=question_id, **post)


@retried_task
def notify_one(
    *,
    user_id: int,
    kind: str,
    question_id: int | None = None,
    answer_id: int | None = None,
    comment_id: int | None = None,
    decision: str = "",
) -> None:
    """One notice by email, if it still holds and the member still wants it."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    ids = {"question_id": question_id, "answer_id": answer_id, "comment_id": comment_id}
    with translation.override(user.language):  # the reader's language, whoever caused the notice
        composed = _compose(user, kind, decision=decision, **ids)
        if composed is None:
            return
        channel, subject, template, context = composed
        if not preferences.emails(preferences.preference_for(user.pk), channel):
            return
        send(user=user, channel=channel, subject=subject, template=template, context=context)


def _compose(user: User, kind: str, *, question_id, answer_id, comment_id, decision: str):
    """(channel, subject, template, context) for a notice that still holds, else None."""
    if kind in preferences.THREAD_KINDS:
        return _thread_news(user, kind, question_id=question_id, answer_id=answer_id, comment_id=comment_id)
    if kind == Kind.ANSWER_ACCEPTED:
        answer = Answer.objects.filter(
            pk=answer_id, author=user, status=Answer.Status.PUBLISHED, question__status=PUBLISHED
        ).first()
        if answer is None:
            return None
        context = {"url": _absolute(reverse("questions:answer_permalink", args=[answer.pk]))}
        return Channel.ACCEPTED, gettext("Your answer helped the asker"), "email/answer_accepted.txt", context
    if kind == Kind.POST_DECISION:
        post = _own_post(user, question_id=question_id, answer_id=answer_id)
        if post is None:
            return None
        url = _absolute(reverse("questions:notifications"))
        context = {"what": post, "decision": decision, "sentence": decision_sentence(post, decision), "url": url}
        subjects = NOTE_SUBJECTS if decision == "support-note" else DECISION_SUBJECTS  # announce_support_note
        return Channel.DECISIONS, str(subjects[post]), "email/decision.txt", context
    if kind == Kind.EXPERT_DECISION:
        url = _absolute(reverse("questions:notifications"))
        mfa_url = _absolute(reverse("mfa_index"))
        what = "expert application"
        context = {"what": what, "decision": decision, "url": url, "mfa_url": mfa_url}
        context["sentence"] = decision_sentence(what, decision)
        return Channel.DECISIONS, gettext("A decision on your expert application"), "email/decision.txt", context
    if kind == Kind.NEW_QUESTION:
        question = Question.objects.filter(pk=question_id, status=PUBLISHED).exclude(author=user).first()
        if question is None or not _is_current_expert(user):
            return None
        context = {"title": question.title, "url": _absolute(question.get_absolute_url())}
        subject = gettext("A new question in your area of practice")
        return Channel.EXPERT_QUESTIONS, subject, "email/new_question.txt", context
    return None


def _thread_news(user: User, kind: str, *, question_id, answer_id, comment_id):
    question = Question.objects.filter(pk=question_id, status=PUBLISHED).only("id", "slug", "author_id").first()
    if question is None or not Follow.objects.filter(user=user, question=question).exists():
        return None  # gone, hidden, or no longer followed
    if answer_id is not None:
        answer = Answer.objects.filter(pk=answer_id, question=question, status=Answer.Status.PUBLISHED).first()
        if answer is None:
            return None
        url = reverse("questions:answer_permalink", args=[answer.pk])
    else:
        comment = Comment.objects.filter(pk=comment_id, question=question, status=Comment.Status.PUBLISHED).first()
        if comment is None:
            return None
        url = f"{question.get_absolute_url()}#comment-{comment.pk}"
    asker = question.author_id == user.pk
    subject, headline = THREAD_NEWS[Kind(kind), asker]
    context = {"headline": headline % {"site_name": settings.SITE_NAME}, "asker": asker, "url": _absolute(url)}
    return preferences.channel_of(kind, asker=asker), str(subject), "email/new_answer.txt", context


def _own_post(user: User, *, question_id, answer_id) -> str | None:
    if answer_id is not None:
        return "answer" if Answer.objects.filter(pk=answer_id, author=user).exists() else None
    return "question" if Question.objects.filter(pk=question_id, author=user).exists() else None


def _is_current_expert(user: User) -> bool:
    return ExpertProfile.objects.filter(
        user=user, status=ExpertProfile.Status.VERIFIED, verified_until__gte=timezone.localdate()
    ).exists()


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send(*, user: User, channel: Channel, subject: str, template: str, context: dict) -> None:
    """A plain-text email with its one-click unsubscribe link (body and List-Unsubscribe headers)."""
    token = preferences.unsubscribe_token(user_id=user.pk, channel=channel)
    unsubscribe = _absolute(reverse("questions:unsubscribe", args=[token]))
    context = {
        **context,
        "site_name": settings.SITE_NAME,
        "unsubscribe_url": unsubscribe,
        "channel_label": channel.label,
        "settings_url": _absolute(reverse("questions:notification_settings")),
    }
    EmailMessage(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string(template, context),
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    ).send()


# --- the experts' daily digest (manage.py send_expert_digests) ------------------------------------


def expert_digests_queue(*, now: datetime.datetime | None = None) -> int:
    """Queue one digest job per verified expert who chose the daily digest and had none for
    DIGEST_GAP; each records the end of the window it covers, so a second run sends nothing.
    Returns the number queued."""
    now = now or timezone.now()
    experts = (
        User.objects.filter(
            is_active=True,
            expert_profile__status=ExpertProfile.Status.VERIFIED,
            expert_profile__verified_until__gte=timezone.localdate(),
        )
        .annotate(choice=Coalesce("notification_preference__expert_questions", Value(DAILY)))
        .filter(choice=DAILY)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    queued = 0
    for user_id in list(experts):
        with transaction.atomic():
            preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user_id=user_id)
            last = preference.digest_sent_at
            if last is not None and now - last < DIGEST_GAP:
                continue
            since = max(last or now - DIGEST_FIRST, now - DIGEST_LOOKBACK)
            preference.digest_sent_at = now
            preference.save(update_fields=["digest_sent_at"])
            effects.task(send_digest, user_id=user_id, since=since.isoformat(), until=now.isoformat())
            queued += 1
    return queued


@retried_task
def send_digest(*, user_id: int, since: str, until: str) -> None:
    """The titles and links of questions published in the expert's areas within (since, until]."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not _is_current_expert(user):
        return
    if preferences.preference_for(user.pk).expert_questions != DAILY:
        return
    areas = ExpertProfile.objects.filter(user=user).values("areas")
    questions = list(
        Question.objects.published()
        .filter(
            published_at__gt=datetime.datetime.fromisoformat(since),
            published_at__lte=datetime.datetime.fromisoformat(until),
            tags__in=areas,
        )
        .exclude(author=user)
        .only("id", "title", "slug", "published_at")
        .distinct()
        .order_by("-published_at")[:DIGEST_MAX]
    )
    if not questions:
        return
    context = {"questions": [(q.title, _absolute(q.get_absolute_url())) for q in questions]}
    with translation.override(user.language):  # the expert's language
        count = len(questions)
        subject = ngettext(
            "%(count)s new question in your areas of practice",
            "%(count)s new questions in your areas of practice",
            count,
        ) % {"count": count}
        template = "email/expert_digest.txt"
        send(user=user, channel=Channel.EXPERT_QUESTIONS, subject=subject, template=template, context=context)
