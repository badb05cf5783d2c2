"""Clarifications for the benchmark: one thread carries many, so `make bench` can show that a
thread page costs the same queries with them and measure what rendering them costs."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forum.answers.models import Answer, Comment
from forum.core.markdown import render_inline_markdown
from forum.questions.models import Question

_ASKS = (
    "How long have you two been together?",
    "Did she say anything *afterwards*, or was it quiet?",
    "Is this the first time it happened, or has it happened before?",
    "Were you both sober?",
    "Thank you — that helps. Did you talk about it the next day?",
    "Could you say a little more about what you mean by **distant**?",
    "Has anything changed recently, like stress at work or a move?",
)


@transaction.atomic
def seed_thread_comments(*, question: Question, on_question: int, per_answer: int, answers: int) -> int:
    """Give `question` clarifications (under it and under its first `answers` answers), once."""
    if Comment.objects.filter(question=question).exists():
        return 0
    rng = random.Random(question.pk)  # noqa: S311 - picks demo sentences, no secret
    members = list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)[:200])
    targets = [None, *Answer.objects.published().filter(question=question).order_by("pk")[:answers]]
    now = timezone.now()
    comments = []
    for target in targets:
        for _ in range(on_question if target is None else per_answer):
            text = rng.choice(_ASKS)
            asker = rng.random() < 0.3
            comments.append(
                Comment(
                    question=question,
                    answer=target,
                    author_id=question.author_id if asker else rng.choice(members),
                    by_asker=asker and question.author_id is not None,
                    body=text,
                    body_html=render_inline_markdown(text),
                    created_at=now,
                    updated_at=now,
                )
            )
    Comment.objects.bulk_create(comments, batch_size=1000)
    return len(comments)
