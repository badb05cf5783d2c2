"""Search relevance over the relevance set: where the answering thread lands for each query.

    manage.py relevance [--newer 100000] [--reuse] [--seed 17]

Builds the set (forum/devtools/relevance: the corpus threads first, then N newer bulk
questions) on an empty database, or with --reuse measures a database it built before, then
prints a table (query, kind, rank, top 3 or not, the first three titles) and the figure: the
share of queries with an answering thread in the top 3, overall and per kind.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forum.devtools.relevance import measure
from forum.questions.models import Question


class Command(BaseCommand):
    help = "Measure search relevance over the relevance set (builds it on an empty database)."

    def add_arguments(self, parser):
        parser.add_argument("--newer", type=int, default=100_000, help="Bulk questions after the corpus.")
        parser.add_argument("--seed", type=int, default=measure.DEFAULT_SEED, help="seed_bulk's random seed.")
        parser.add_argument("--reuse", action="store_true", help="Measure the set built before, if it is there.")
        parser.add_argument("--force", action="store_true", help="Run with DEBUG off (a throwaway database).")

    def handle(self, *args, newer: int, seed: int, reuse: bool, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("relevance creates throwaway accounts and questions; with DEBUG off it needs --force.")
        if newer < 0:
            raise CommandError("--newer must be 0 or more.")
        present = measure.corpus_ids()
        if reuse and len(present) == len(measure.CORPUS):
            self.stdout.write(f"Reusing the relevance set: {Question.objects.count():,} questions.")
        elif Question.objects.exists():
            raise CommandError(
                "The database has questions: the relevance set must be built on an empty one "
                "(pass --reuse to measure a set built before)."
            )
        else:
            started = time.monotonic()
            measure.build(newer, seed, out=self.stdout)
            self.stdout.write(
                f"Built the relevance set over {newer:,} newer questions in {time.monotonic() - started:.0f}s."
            )
        started = time.monotonic()
        report = measure.evaluate()
        self.stdout.write(report.table())
        self.stdout.write(f"({len(report.rows)} queries in {time.monotonic() - started:.1f}s)")
