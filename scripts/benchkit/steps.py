"""The benchmark's steps that need Django: migrate and seed, choose endpoints and writers, check the database.

Imported only inside a helper subprocess, after django.setup() (benchkit/helpers.py).
"""

from __future__ import annotations

import os
import random
import time
import urllib.parse
from datetime import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User
from forum.answers.models import Answer, Comment, Vote
from forum.devtools.bulk import planning, seeder, texts
from forum.devtools.bulk.comments import seed_thread_comments
from forum.questions.models import Question, Tag

from .common import NEVER_CACHED

READ_THREADS = 20  # threads among the write targets that the reads-under-writes pass also reads


def setup(payload: dict) -> dict:
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    migrated = time.monotonic() - started
    wanted = payload["questions"]
    have = Question.objects.published().count()
    seeded = None
    if have < wanted:
        print(f"seeding {wanted - have:,} questions (the database has {have:,}) …", flush=True)
        started = time.monotonic()
        call_command("seed_bulk", questions=wanted - have, append=have > 0, force=True, seed=payload.get("seed"))
        seeded = time.monotonic() - started
    else:
        print(f"reusing the database: {have:,} published questions", flush=True)
    started = time.monotonic()
    call_command("collectstatic", interactive=False, verbosity=0)
    return {
        "migrate_seconds": round(migrated, 2),
        "seed_seconds": None if seeded is None else round(seeded, 2),
        "seeded_questions": wanted - have if seeded is not None else 0,
        "collectstatic_seconds": round(time.monotonic() - started, 2),
    }


def prepare(payload: dict) -> dict:
    """Endpoints, writers (fresh password, verified email), write targets, and SQL queries per page."""
    published = Question.objects.published()

    def thread(size: int):
        exact = published.filter(answer_count=size).order_by("-pk").first()
        if exact is not None:
            return exact
        below = published.filter(answer_count__lte=size).order_by("-answer_count", "-pk").first()
        return below or published.order_by("-answer_count").first()

    long_thread = thread(planning.LONG_THREAD_ANSWERS)
    short_thread = thread(planning.SHORT_THREAD_ANSWERS)
    # A thread of one page of answers with many clarifications: 50 under the question, 5 under
    # each answer (the page shows the first few of each and links to the rest).
    talk_thread = published.exclude(pk__in=[long_thread.pk, short_thread.pk]).filter(answer_count__gte=20).first()
    talk_thread = talk_thread or long_thread
    seed_thread_comments(question=talk_thread, on_question=50, per_answer=5, answers=20)
    talk_comments = Comment.objects.filter(question=talk_thread).count()
    talk_label = f"{talk_thread.answer_count} answers, {talk_comments} clarifications"
    tag = Tag.objects.filter(is_sensitive=False).order_by("-question_count").first()
    quote = urllib.parse.quote_plus
    endpoints = [
        ("noop", "/bench/noop", "ceiling: middleware only"),
        ("home", "/", "home page"),
        ("list_active", "/questions/?sort=active", "questions, most active"),
        ("thread_5", short_thread.get_absolute_url(), f"thread, {short_thread.answer_count} answers"),
        ("thread_200", long_thread.get_absolute_url(), f"thread, {long_thread.answer_count} answers"),
        ("thread_comments", talk_thread.get_absolute_url(), f"thread, {talk_label}"),
        ("topic", f"/tags/{tag.slug}/", f"topic ({tag.question_count:,} questions)"),
        ("search_common", f"/search/?q={quote(texts.SEARCH_COMMON_WORD)}", "search, common word"),
        ("search_rare", f"/search/?q={quote(texts.SEARCH_RARE_WORD)}", "search, rare word"),
        ("search_phrase", f"/search/?q={quote(chr(34) + texts.SEARCH_PHRASE + chr(34))}", "search, phrase"),
        ("search_natural", f"/search/?q={quote(texts.SEARCH_NATURAL)}", "search, natural question"),
        ("search_misspelled", f"/search/?q={quote(texts.SEARCH_MISSPELLED)}", "search, misspelt word"),
    ]

    # Writers: members who have not been used lately (rate limits are per member and hour).
    # Two groups: the write mix's and the paced writers of the reads-under-writes pass.
    k, paced = payload["writers"], payload.get("paced_writers", 0)
    total = k + paced
    candidates = list(
        User.objects.filter(is_active=True, email__endswith=f"@{seeder.EMAIL_DOMAIN}")
        .exclude(username__startswith="dr-")
        .order_by(F("last_login").asc(nulls_first=True), "?")
        .values_list("pk", "email")[: total * 3]
    )
    if len(candidates) < total:
        raise SystemExit("not enough seeded members to write with")
    chosen = random.sample(candidates[: max(total, len(candidates) // 2)], total)
    writers, paced_writers = chosen[:k], chosen[k:]
    password = os.environ["BENCH_WRITER_PASSWORD"]
    User.objects.filter(pk__in=[pk for pk, _ in chosen]).update(password=make_password(password))
    for pk, email in chosen:
        EmailAddress.objects.update_or_create(user_id=pk, email=email, defaults={"verified": True, "primary": True})

    # Targets: answers on the long thread (contended), answers and questions spread over the forum.
    fixtures = [long_thread.pk, short_thread.pk, talk_thread.pk]
    sample_q = list(
        published.exclude(pk__in=fixtures).order_by("?").values_list("pk", "author_id")[:300]
    )  # fmt: skip
    spread = list(
        Answer.objects.published()
        .filter(question_id__in=[pk for pk, _ in sample_q])
        .values_list("pk", "author_id")[:600]
    )
    hot = list(Answer.objects.published().filter(question=long_thread).values_list("pk", "author_id"))

    # Reads under writes: the visitors' pages of the cached pass, and threads the writes land on.
    read_threads = published.filter(pk__in=[pk for pk, _ in sample_q[:READ_THREADS]]).order_by("pk")
    read_paths = [path for name, path, _ in endpoints if name != "noop" and name not in NEVER_CACHED]
    read_paths += [question.get_absolute_url() for question in read_threads]

    # SQL queries per page (second request of each: warm): a visitor with the page cache off (the
    # page is rendered: what the budgets are about) and on (a hit), and a signed-in member (never cached).
    def count(client: Client, path: str) -> dict:
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        return {"status": response.status_code, "queries": len(ctx.captured_queries)}

    visitor = Client(HTTP_HOST="127.0.0.1")
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(User.objects.exclude(pk__in=[pk for pk, _ in chosen]).filter(is_active=True).first())
    queries = {}
    for name, path, _ in endpoints:
        with override_settings(FORUM_PAGE_CACHE_SECONDS=0):
            uncached = count(visitor, path)
        queries[name] = {"visitor": uncached, "visitor_cached": count(visitor, path), "member": count(member, path)}

    totals = {
        "questions": published.count(),
        "answers": Answer.objects.published().count(),
        "votes": Vote.objects.count(),
        "accounts": User.objects.count(),
    }
    return {
        "endpoints": [{"name": n, "path": p, "label": lbl} for n, p, lbl in endpoints],
        "queries": queries,
        "writers": [{"id": pk, "email": email} for pk, email in writers],
        "paced_writers": [{"id": pk, "email": email} for pk, email in paced_writers],
        "read_paths": read_paths,
        "targets": {"questions": sample_q, "answers": spread, "hot_answers": hot},
        "totals": totals,
    }


def verify(payload: dict) -> dict:
    """After the write mix: the invariants the services promise, and the writes the load generator saw."""
    q, a, v = Question._meta.db_table, Answer._meta.db_table, Vote._meta.db_table
    checks = {
        "question_score_not_sum_of_votes": f"""
            SELECT count(*) FROM "{q}" q LEFT JOIN (SELECT question_id, SUM(value) s FROM "{v}"
            WHERE question_id IS NOT NULL GROUP BY question_id) x ON x.question_id = q.id
            WHERE q.score <> COALESCE(x.s, 0)""",
        "answer_score_not_sum_of_votes": f"""
            SELECT count(*) FROM "{a}" a LEFT JOIN (SELECT answer_id, SUM(value) s FROM "{v}"
            WHERE answer_id IS NOT NULL GROUP BY answer_id) x ON x.answer_id = a.id
            WHERE a.score <> COALESCE(x.s, 0)""",
        "answer_count_wrong": f"""
            SELECT count(*) FROM "{q}" q LEFT JOIN (SELECT question_id, count(*) c FROM "{a}"
            WHERE status = 'published' GROUP BY question_id) x ON x.question_id = q.id
            WHERE q.answer_count <> COALESCE(x.c, 0)""",
        "questions_with_two_accepted": f"""
            SELECT count(*) FROM (SELECT question_id FROM "{a}" WHERE is_accepted
            GROUP BY question_id HAVING count(*) > 1) x""",
        "has_accepted_answer_wrong": f"""
            SELECT count(*) FROM "{q}" q WHERE q.has_accepted_answer <> EXISTS
            (SELECT 1 FROM "{a}" a WHERE a.question_id = q.id AND a.is_accepted)""",
    }
    problems = {}
    with connection.cursor() as cursor:
        for name, sql in checks.items():
            cursor.execute(sql)
            problems[name] = cursor.fetchone()[0]

    # Every vote the generator saw succeed is in the database with the value it last cast.
    expected = payload["votes"]  # [user_id, "a"|"q", post_id, value]
    found = {}
    for row in Vote.objects.filter(user_id__in={e[0] for e in expected}).values_list(
        "user_id", "question_id", "answer_id", "value"
    ):
        user, question_id, answer_id, value = row
        found[(user, "q", question_id) if question_id else (user, "a", answer_id)] = value
    problems["votes_missing_or_wrong"] = sum(
        1 for user, kind, post, value in expected if found.get((user, kind, post), 0) != value
    )
    posted = payload["answers_posted"]  # {user_id: n}
    since = datetime.fromisoformat(payload["since"])
    problems["answers_missing"] = sum(
        max(0, n - Answer.objects.filter(author_id=int(user), created_at__gte=since).count())
        for user, n in posted.items()
    )
    return {"problems": problems, "ok": not any(problems.values())}
