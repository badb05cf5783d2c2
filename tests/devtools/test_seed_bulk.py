"""seed_bulk: a large data set whose counters are exactly what the services would have kept."""

import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from forum.answers.models import Answer, Vote
from forum.devtools.bulk import derived, planning, seeder
from forum.questions import services
from forum.questions.models import Question, Tag

N = 50


def _sum_of_votes(**target):
    votes = Vote.objects.filter(**target).order_by().values(*target).annotate(s=Sum("value")).values("s")
    return Coalesce(Subquery(votes), Value(0))


@pytest.fixture
def seeded(db, monkeypatch):
    hooked = []
    original = derived.after_bulk_insert
    monkeypatch.setattr(derived, "after_bulk_insert", lambda ids: (hooked.append(list(ids)), original(ids)))
    out = StringIO()
    call_command("seed_bulk", questions=N, seed=7, force=True, stdout=out)
    return {"out": out.getvalue(), "hooked": hooked}


def test_it_creates_published_questions_with_about_five_answers_each(seeded):
    assert Question.objects.count() == Question.objects.published().count() == N
    assert Answer.objects.published().count() == 5 * N
    assert f"Seeded {N} questions" in seeded["out"]


def test_scores_are_the_sum_of_the_votes(seeded):
    assert Vote.objects.exists()
    questions = Question.objects.annotate(vote_sum=_sum_of_votes(question=OuterRef("pk")))
    assert not questions.exclude(score=F("vote_sum")).exists()
    answers = Answer.objects.annotate(vote_sum=_sum_of_votes(answer=OuterRef("pk")))
    assert not answers.exclude(score=F("vote_sum")).exists()
    assert Question.objects.exclude(score=0).exists() and Answer.objects.exclude(score=0).exists()


def test_nobody_votes_on_their_own_post(seeded):
    assert not Vote.objects.filter(answer__author=F("user")).exists()
    assert not Vote.objects.filter(question__author=F("user")).exists()


def test_answer_counts_and_flags_match_the_answers(seeded):
    published = Answer.objects.published()
    questions = Question.objects.annotate(
        published_answers=Count("answers", filter=Q(answers__status=Answer.Status.PUBLISHED)),
        accepted=Count("answers", filter=Q(answers__is_accepted=True)),
        experts=Exists(published.filter(question=OuterRef("pk"), is_expert=True)),
        latest=Max("answers__created_at", filter=Q(answers__status=Answer.Status.PUBLISHED)),
    )
    for q in questions:
        assert q.answer_count == q.published_answers, q.pk
        assert q.accepted <= 1, q.pk
        assert q.has_accepted_answer == (q.accepted == 1), q.pk
        assert q.has_expert_answer == q.experts, q.pk
        assert q.last_activity_at == max(q.created_at, q.latest or q.created_at), q.pk
    assert questions.filter(has_expert_answer=True).exists()
    assert questions.filter(has_accepted_answer=True).exists()
    assert not Answer.objects.filter(is_accepted=True).exclude(status=Answer.Status.PUBLISHED).exists()


def test_topic_counts_match_and_every_question_has_one_to_five_topics(seeded):
    for tag in Tag.objects.annotate(n=Count("questions", filter=Q(questions__status="published"))):
        assert tag.question_count == tag.n, tag.slug
    per_question = Question.objects.annotate(n=Count("tags")).values_list("n", flat=True)
    assert set(per_question) <= {1, 2, 3, 4, 5}


def test_it_mixes_visitors_anonymous_members_and_named_members(seeded):
    assert Question.objects.filter(author__isnull=True, is_anonymous=True).exists()
    assert Question.objects.filter(author__isnull=False, is_anonymous=True).exists()
    assert Question.objects.filter(author__isnull=False, is_anonymous=False).exists()
    assert not Question.objects.filter(author__isnull=True).exclude(key_hash__isnull=False).exists()


def test_bodies_are_rendered_markdown_of_varied_length(seeded):
    lengths = set(Question.objects.values_list("body", flat=True))
    assert len(lengths) >= 3
    question = Question.objects.exclude(body_html="").first()
    assert question.body_html.startswith("<")
    assert not Question.objects.filter(body_html="").exists()
    assert not Answer.objects.filter(body_html="").exists()


def test_accounts_are_throwaway_members_without_usable_passwords(seeded):
    members = User.objects.filter(email__endswith="@" + seeder.EMAIL_DOMAIN)
    assert members.count() >= 40
    assert not any(user.has_usable_password() for user in members)
    assert members.filter(emailaddress__verified=True).count() == members.count()


def test_it_calls_the_hook_with_every_new_question(seeded):
    assert len(seeded["hooked"]) == 1
    assert sorted(seeded["hooked"][0]) == sorted(Question.objects.values_list("pk", flat=True))


def test_the_hook_fills_search_vectors_like_the_service_would(seeded):
    question = Question.objects.filter(answer_count__gt=1).first()

    def lexemes():
        with connection.cursor() as cursor:
            table = Question._meta.db_table
            cursor.execute(f'SELECT strip(search_vector)::text FROM "{table}" WHERE id = %s', [question.pk])
            return cursor.fetchone()[0]

    bulk = lexemes()
    services.question_search_refresh(question_id=question.pk)
    assert bulk and bulk == lexemes()


def test_it_refuses_when_questions_exist_unless_appending(seeded):
    with pytest.raises(CommandError, match="--append"):
        call_command("seed_bulk", questions=5, force=True, stdout=StringIO())
    call_command("seed_bulk", questions=5, force=True, append=True, stdout=StringIO())
    assert Question.objects.count() == N + 5
    tag = Tag.objects.order_by("-question_count").first()
    assert tag.question_count == tag.questions.filter(status="published").count()


def test_it_refuses_with_debug_off_unless_forced(db):
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_bulk", questions=5, stdout=StringIO())
    assert not Question.objects.exists()


@pytest.mark.parametrize("n", [1000, 3000])
def test_the_plan_has_the_benchmark_threads_from_a_thousand_questions(n):
    plan = planning.plan_answers(n, random.Random(n))
    assert sum(plan.answers) == 5 * n
    assert plan.answers[plan.short_thread] == planning.SHORT_THREAD_ANSWERS
    assert plan.long_threads and all(plan.answers[i] == planning.LONG_THREAD_ANSWERS for i in plan.long_threads)
    assert 0.05 < plan.answers.count(0) / n < 0.2  # some unanswered questions


def test_small_plans_scale_the_long_tail_down():
    plan = planning.plan_answers(N, random.Random(1))
    assert plan.short_thread is None and not plan.long_threads
    assert max(plan.answers) <= 10
    assert sum(plan.answers) == 5 * N


def _vocabulary_recounted() -> tuple[dict, dict]:
    """(the vocabulary, the same recounted from every question's words)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, documents FROM questions_searchword")
        kept = dict(cursor.fetchall())
        cursor.execute(
            "SELECT w, count(*) FROM questions_question q,"
            " unnest(forum_question_words(q.status, q.title, q.body, q.id))"
            " AS w GROUP BY w"
        )
        return kept, dict(cursor.fetchall())


def test_it_fills_the_vocabulary_once_and_exactly(seeded):
    kept, recounted = _vocabulary_recounted()
    assert kept and kept == recounted
    call_command("seed_bulk", questions=5, force=True, append=True, stdout=StringIO())
    question = Question.objects.order_by("pk").first()
    services.question_set_status(question=question, status="hidden")
    kept, recounted = _vocabulary_recounted()
    assert kept == recounted
