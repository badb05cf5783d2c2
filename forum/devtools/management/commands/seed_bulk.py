"""A large, realistic data set for benchmarks, written fast with PostgreSQL COPY.

    manage.py seed_bulk --questions 100000 [--seed 1] [--append] [--force]

N published questions (titles and markdown bodies from a small set of templates in our own
words), 1–5 topics each, about five answers per question with a long tail, votes whose sums
are the stored scores, some accepted and some expert answers, a few hundred throwaway
members and a handful of experts. Every counter the services keep (score, answer_count,
has_accepted_answer, has_expert_answer, last_activity_at, Tag.question_count) is consistent.

Experts get a current, verified ExpertProfile so that their answers show as expert answers.

The parts live in forum/devtools/bulk/: the words (`texts`), how many answers each question
gets (`planning`), the COPY plumbing (`pgcopy`), the rows (`seeder`) and what is computed from
them afterwards (`derived`). Every constraint and index is live during the load, except the
RUM search index in loads of 10,000 questions or more: dropped, then built again (`indexes`).
At the end the tables are vacuumed and analyzed, so that benchmarks see a steady-state database.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import User
from forum.answers.models import Answer, Vote
from forum.devtools.bulk.indexes import rum_index_set_aside
from forum.devtools.bulk.seeder import Seeder
from forum.questions.models import Question, SearchWord, Tag


class Command(BaseCommand):
    help = "Bulk-create a realistic benchmark data set (throwaway accounts; refuses DEBUG off without --force)."

    def add_arguments(self, parser):
        parser.add_argument("--questions", type=int, required=True, help="How many published questions.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (same seed, same shape).")
        parser.add_argument("--append", action="store_true", help="Add to a database that already has questions.")
        parser.add_argument("--force", action="store_true", help="Run with DEBUG off (a benchmark database).")

    def handle(self, *args, questions: int, seed: int | None, append: bool, force: bool, **options):
        if questions < 1:
            raise CommandError("--questions must be at least 1.")
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_bulk creates hundreds of throwaway accounts; with DEBUG off it needs --force "
                "(use it only on a benchmark database)."
            )
        if Question.objects.exists() and not append:
            raise CommandError("There are questions already: pass --append to add more, or use an empty database.")
        tags = list(Tag.objects.order_by("pk"))
        if not tags:
            raise CommandError("No topics (questions.Tag): run migrate first.")
        started = time.monotonic()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                # The vocabulary's trigger only sets each row's words; derived.py adds them at the end.
                cursor.execute("SET LOCAL forum.vocabulary_deferred = on")
            seeder = Seeder(questions, seed, tags, self.stdout)
            with rum_index_set_aside(questions=questions, log=seeder.log):
                report = seeder.run()
            with connection.cursor() as cursor:  # for what follows in an enclosing transaction (tests)
                cursor.execute("SET LOCAL forum.vocabulary_deferred = off")
        # Fresh statistics for the planner, and (outside a transaction) the visibility map a
        # just-loaded table lacks, so that the next queries see the steady state, not the load.
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in (User, Question, Question.tags.through, Answer, Vote, Tag, SearchWord):
                cursor.execute(f'{vacuum} "{model._meta.db_table}"')
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Seeded {report['questions']:,} questions, {report['answers']:,} answers, {report['votes']:,} votes, "
            f"{report['users']:,} accounts in {elapsed:.1f}s."
        )
        for label, url in report["urls"]:
            self.stdout.write(f"  {label}: {settings.SITE_URL}{url}")
