"""The rows of the benchmark data set, written fast: a worker thread builds COPY chunks while
the main thread streams them in, all in seed_bulk's transaction (a failure leaves nothing behind).

Each distinct body template is rendered once (render_markdown) and its HTML reused. As a
superuser, the per-row foreign-key triggers of the tables being loaded are switched off inside
that transaction only and each key is then checked with one set-based query before they are
switched back on (pgcopy.ForeignKeyChecks). Fields this module does not know get their model
default (pgcopy.CopyTable); anything that must be computed from the rows is done in
`derived.after_bulk_insert`.
"""

from __future__ import annotations

import itertools
import os
import queue
import random
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from forum.answers.models import Answer, Vote
from forum.core.markdown import render_markdown
from forum.questions.models import Question, Tag

from . import derived
from .pgcopy import NULL, CopyTable, ForeignKeyChecks, enc, next_id, sync_sequence
from .planning import plan_answers
from .texts import (
    ANSWER_BODIES,
    CONTEXTS,
    EXPERT_BODIES,
    EXPERT_NAMES,
    MEMBER_WORDS,
    QUESTION_BODIES,
    RARE_TITLES,
    SENSITIVE_WARNINGS,
    TITLES,
    with_context,
)

EXPERT_SHARE = 0.10  # questions with an expert answer
ACCEPTED_SHARE = 0.30  # answered questions with an accepted answer
HIDDEN_ANSWER_SHARE = 0.01  # answers hidden by moderators (not counted in answer_count)
RARE_TITLE_SHARE = 0.0005  # questions titled with texts.SEARCH_RARE_WORD
RARE_BODY_SHARE = 0.001  # questions whose body mentions it
CHUNK_QUESTIONS = 2000
EMAIL_DOMAIN = "bench.invalid"

# The columns each hot-path line in Seeder.generate() holds, in order.
QUESTION_COLUMNS = [
    "id", "title", "slug", "body", "body_html", "author_id", "is_anonymous", "status", "content_warnings",
    "score", "answer_count", "has_accepted_answer", "has_expert_answer", "key_hash", "submission_hash",
    "source_hash", "created_at", "updated_at", "last_activity_at", "published_at",
]  # fmt: skip
ANSWER_COLUMNS = [
    "id", "question_id", "author_id", "body", "body_html", "status", "score", "is_expert", "is_accepted",
    "created_at", "updated_at",
]  # fmt: skip
VOTE_COLUMNS = ["user_id", "question_id", "answer_id", "value", "created_at"]


@dataclass
class Rendered:
    body: str  # COPY-escaped markdown
    html: str  # COPY-escaped sanitized HTML


def render_all(templates: list[tuple[int, str]]) -> list[Rendered]:
    return [Rendered(enc(text), enc(render_markdown(text))) for _, text in templates]


def random_hash() -> str:
    """A stand-in for a sha256 digest; from os.urandom so that --append never collides."""
    return os.urandom(32).hex()


class Seeder:
    """Writes the rows. A worker thread builds COPY chunks while this thread streams them in."""

    def __init__(self, n: int, seed: int | None, tags: list[Tag], out):
        self.n = n
        self.rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        self.tags = tags
        self.out = out
        self.now = timezone.now()
        self.tag_ids = [t.pk for t in tags]
        # Sensitive topics are asked about less often.
        self.tag_cum_weights = list(itertools.accumulate(1 if t.is_sensitive else 6 for t in tags))
        self.sensitive = {t.pk: SENSITIVE_WARNINGS.get(t.slug, "sexual-trauma") for t in tags if t.is_sensitive}
        self.n_answers = 0
        self.n_votes = 0
        self.fixtures: dict[str, list[tuple[int, str]]] = {"long": [], "short": []}
        # Newer schema: the flag as posted (kept) next to the flag shown (re-checked).
        self.posted_as_expert = any(f.name == "posted_as_expert" for f in Answer._meta.concrete_fields)

    def log(self, message: str) -> None:
        self.out.write(f"  [{time.strftime('%H:%M:%S')}] {message}")

    def run(self) -> dict:
        started = time.monotonic()
        with connection.cursor() as cursor:
            member_ids, expert_ids = self.create_accounts(cursor)
            self.log(f"{len(member_ids) + len(expert_ids)} accounts ({len(expert_ids)} experts)")
            q_start = next_id(cursor, Question)
            a_start = next_id(cursor, Answer)
            next_id(cursor, Vote)  # only the lock: votes are numbered by the database
            tables = {
                "questions": CopyTable(Question, QUESTION_COLUMNS),
                "tags": CopyTable(Question.tags.through, ["question_id", "tag_id"]),
                "answers": CopyTable(Answer, ANSWER_COLUMNS + (["posted_as_expert"] if self.posted_as_expert else [])),
                "votes": CopyTable(Vote, VOTE_COLUMNS),
            }
            deferred = ForeignKeyChecks(cursor, [t.model for t in tables.values()])
            chunks: queue.Queue = queue.Queue(maxsize=3)
            worker = threading.Thread(
                target=self.produce, args=(chunks, tables, q_start, a_start, member_ids, expert_ids), daemon=True
            )
            worker.start()
            while True:
                chunk = chunks.get()
                if chunk is None:
                    break
                if isinstance(chunk, BaseException):
                    raise CommandError(f"seed_bulk failed while generating rows: {chunk!r}") from chunk
                for table, lines in chunk:
                    table.copy(cursor, lines)
            worker.join()
            sync_sequence(cursor, Question)
            sync_sequence(cursor, Answer)
            self.log(f"rows written in {time.monotonic() - started:.1f}s")
            deferred.validate_and_restore()
            self.log(f"foreign keys checked in {time.monotonic() - started:.1f}s")

        derived.recount_tags(self.tags)
        hook_started = time.monotonic()
        derived.after_bulk_insert(list(range(q_start, q_start + self.n)))
        self.log(f"after_bulk_insert in {time.monotonic() - hook_started:.1f}s")
        urls = []
        for label, key in (("200-answer thread", "long"), ("5-answer thread", "short")):
            for qid, slug in self.fixtures[key][-1:]:
                urls.append((label, reverse("questions:detail", args=[qid, slug])))
        return {
            "questions": self.n,
            "answers": self.n_answers,
            "votes": self.n_votes,
            "users": len(member_ids) + len(expert_ids),
            "urls": urls,
        }

    # accounts

    def create_accounts(self, cursor) -> tuple[list[int], list[int]]:
        rng = self.rng
        members = min(400, max(40, self.n // 5))
        experts = min(20, max(4, self.n // 50))
        run = secrets.token_hex(3)
        # Throwaway accounts share one unusable password: never a slow hash per account.
        unusable = make_password(None)
        start = next_id(cursor, User)
        users = CopyTable(User, ["id", "password", "username", "email", "date_joined"])
        emails = CopyTable(EmailAddress, ["user_id", "email", "verified", "primary"])
        user_lines, email_lines = [], []
        member_ids, expert_ids = [], []
        for i in range(members + experts):
            pk = start + i
            if i < members:
                name = f"{rng.choice(MEMBER_WORDS)}{rng.choice(MEMBER_WORDS)}-{run}-{i}"
                member_ids.append(pk)
            else:
                name = f"dr-{rng.choice(EXPERT_NAMES)}-{run}-{i - members}"
                expert_ids.append(pk)
            email = f"{name}@{EMAIL_DOMAIN}"
            joined = self.now - timedelta(days=rng.uniform(760, 1500))
            user_lines.append(users.line(pk, unusable, name, email, joined))
            email_lines.append(emails.line(pk, email, True, True))
        users.copy(cursor, user_lines)
        emails.copy(cursor, email_lines)
        sync_sequence(cursor, User)
        self.verify_experts(expert_ids)
        return member_ids, expert_ids

    def verify_experts(self, expert_ids: list[int]) -> None:
        """Experts get a current, verified profile (when the schema has one), so their flag shows."""
        try:
            profile_model = apps.get_model("accounts", "ExpertProfile")
        except LookupError:
            return
        today = timezone.localdate()
        titles = ["Clinical sexologist", "Psychotherapist", "General practitioner", "Gynaecologist", "Sex therapist"]
        profiles = []
        for i, pk in enumerate(expert_ids):
            values = {
                "user_id": pk,
                "title": titles[i % len(titles)],
                "credentials": "Registered practitioner; details checked by a moderator.",
                "licence_number": f"BENCH-{pk}",
                "licence_body": "Benchmark registration board",
                "jurisdiction": "Nowhere (benchmark data)",
                "status": "verified",
                "decided_at": self.now,
                "verified_until": today + timedelta(days=365),
            }
            names = {f.name for f in profile_model._meta.concrete_fields} | {
                f.attname for f in profile_model._meta.concrete_fields
            }
            profiles.append(profile_model(**{k: v for k, v in values.items() if k in names}))
        profile_model.objects.bulk_create(profiles)
        areas = getattr(profile_model, "areas", None)
        if areas is not None:
            through = areas.through
            tag_field = next(f.attname for f in through._meta.concrete_fields if f.related_model is Tag)
            profile_field = next(f.attname for f in through._meta.concrete_fields if f.related_model is profile_model)
            through.objects.bulk_create(
                through(**{profile_field: p.pk, tag_field: tag_id})
                for p in profiles
                for tag_id in self.rng.sample(self.tag_ids, min(3, len(self.tag_ids)))
            )

    # questions, answers, votes (in the worker thread: no database access here)

    def produce(self, chunks: queue.Queue, tables: dict, q_start, a_start, member_ids, expert_ids) -> None:
        try:
            self.generate(chunks, tables, q_start, a_start, member_ids, expert_ids)
        except BaseException as error:  # handed to the main thread, which raises it
            chunks.put(error)
        else:
            chunks.put(None)

    def generate(self, chunks: queue.Queue, tables: dict, q_start, a_start, member_ids, expert_ids) -> None:
        rng, n = self.rng, self.n
        everyone = member_ids + expert_ids
        q_bodies = render_all(QUESTION_BODIES)
        a_bodies = render_all(ANSWER_BODIES)
        e_bodies = render_all(EXPERT_BODIES)
        q_weights = list(itertools.accumulate(w for w, _ in QUESTION_BODIES))
        a_weights = list(itertools.accumulate(w for w, _ in ANSWER_BODIES))
        e_weights = list(itertools.accumulate(w for w, _ in EXPERT_BODIES))
        rare_body = q_bodies[-1]
        plan = plan_answers(n, rng)
        fixtures = {i: "long" for i in plan.long_threads}
        if plan.short_thread is not None:
            fixtures[plan.short_thread] = "short"
        span = timedelta(days=730).total_seconds()
        origin = self.now - timedelta(days=730, hours=1)
        tag_choices = [1] * 50 + [2] * 30 + [3] * 12 + [4] * 5 + [5] * 3
        warn_explicit = enc(["explicit"])
        q_lines: list[str] = []
        t_lines: list[str] = []
        a_lines: list[str] = []
        v_lines: list[str] = []
        a_next = a_start

        for i in range(n):
            qid = q_start + i
            created = origin + timedelta(seconds=(i + rng.random()) * span / n)
            created_s = created.isoformat()
            roll = rng.random()
            if roll < 0.35:  # a visitor: anonymous, no account, a private key
                author, anonymous, key_hash, source = None, True, random_hash(), random_hash()
            elif roll < 0.70:  # a member asking anonymously
                author, anonymous, key_hash, source = rng.choice(member_ids), True, NULL, ""
            else:  # a member asking under their name
                author, anonymous, key_hash, source = rng.choice(member_ids), False, NULL, ""
            if rng.random() < RARE_TITLE_SHARE:
                title = rng.choice(RARE_TITLES)
            else:
                title = with_context(rng.choice(TITLES), rng.choice(CONTEXTS))
            body = rare_body if rng.random() < RARE_BODY_SHARE else rng.choices(q_bodies, cum_weights=q_weights)[0]
            q_tags = self.pick_tags(rng.choice(tag_choices))
            warnings = sorted({self.sensitive[t] for t in q_tags if t in self.sensitive})
            warnings_s = enc(warnings) if warnings else (warn_explicit if rng.random() < 0.03 else "{}")
            for tag_id in q_tags:
                t_lines.append(f"{qid}\t{tag_id}")

            # Answers: `published` counted ones, plus the odd one hidden by moderators.
            published = plan.answers[i]
            hidden = 0 if i in fixtures else sum(1 for _ in range(published) if rng.random() < HIDDEN_ANSWER_SHARE)
            n_answers = published + hidden
            expert_slots: set[int] = set()
            if published and rng.random() < EXPERT_SHARE / 0.88:  # ~88% of questions have answers
                expert_slots = set(rng.sample(range(published), 2 if published > 3 and rng.random() < 0.3 else 1))
            accepted = rng.randrange(published) if published and rng.random() < ACCEPTED_SHARE else -1
            answer_authors = self.others(everyone, author, n_answers)
            last_activity = created
            for j in range(n_answers):
                aid = a_next
                a_next += 1
                is_expert = j in expert_slots
                a_author = rng.choice(expert_ids) if is_expert else answer_authors[j]
                a_created = created + timedelta(hours=rng.expovariate(1 / 30) + 0.05)
                if a_created > self.now:
                    a_created = self.now - timedelta(seconds=rng.uniform(1, 3600))
                if j < published and a_created > last_activity:
                    last_activity = a_created
                a_created_s = a_created.isoformat()
                if is_expert:
                    a_body = rng.choices(e_bodies, cum_weights=e_weights)[0]
                else:
                    a_body = rng.choices(a_bodies, cum_weights=a_weights)[0]
                mean = 5 if is_expert else 4 if j == accepted else 1.6
                score = self.votes(v_lines, everyone, a_author, f"\\N\t{aid}", mean, a_created_s)
                a_lines.append(
                    f"{aid}\t{qid}\t{a_author}\t{a_body.body}\t{a_body.html}\t"
                    f"{'published' if j < published else 'hidden'}\t{score}\t{'t' if is_expert else 'f'}\t"
                    f"{'t' if j == accepted else 'f'}\t{a_created_s}\t{a_created_s}"
                    + (f"\t{'t' if is_expert else 'f'}" if self.posted_as_expert else "")
                )
            q_score = self.votes(v_lines, everyone, author, f"{qid}\t\\N", 2.5, created_s)
            slug = slugify(title)[:80].strip("-") or "question"
            q_lines.append(
                f"{qid}\t{enc(title)}\t{slug}\t{body.body}\t{body.html}\t{NULL if author is None else author}\t"
                f"{'t' if anonymous else 'f'}\tpublished\t{warnings_s}\t{q_score}\t{published}\t"
                f"{'t' if accepted >= 0 else 'f'}\t{'t' if expert_slots else 'f'}\t"
                f"{key_hash}\t{random_hash()}\t{source}\t{created_s}\t{created_s}\t"
                f"{last_activity.isoformat()}\t{created_s}"
            )
            if i in fixtures:
                self.fixtures[fixtures[i]].append((qid, slug))
            self.n_answers += n_answers
            if len(q_lines) >= CHUNK_QUESTIONS or i == n - 1:
                chunk = [(tables["questions"], q_lines), (tables["tags"], t_lines), (tables["answers"], a_lines),
                         (tables["votes"], v_lines)]  # fmt: skip
                self.n_votes += len(v_lines)
                chunks.put([(table, lines) for table, lines in chunk if lines])
                q_lines, t_lines, a_lines, v_lines = [], [], [], []
                if (i + 1) % (CHUNK_QUESTIONS * 10) == 0:
                    self.log(f"{i + 1:,} questions, {self.n_answers:,} answers, {self.n_votes:,} votes")

    def others(self, everyone: list[int], author, k: int) -> list[int]:
        """k accounts other than `author`: distinct while there are enough of them."""
        rng = self.rng
        if k + 1 <= len(everyone):
            picked = rng.sample(everyone, k + 1)
            if author in picked:
                picked.remove(author)
            else:
                picked.pop()
            return picked
        pool = [u for u in everyone if u != author]
        return [rng.choice(pool) for _ in range(k)]

    def pick_tags(self, k: int) -> list[int]:
        k = min(k, len(self.tag_ids))
        chosen: list[int] = []
        while len(chosen) < k:
            tag_id = self.rng.choices(self.tag_ids, cum_weights=self.tag_cum_weights)[0]
            if tag_id not in chosen:
                chosen.append(tag_id)
        return chosen

    def votes(self, lines: list[str], everyone: list[int], author, target: str, mean: float, when: str) -> int:
        """Votes on one post by distinct members, never its author. Returns the post's score."""
        rng = self.rng
        k = int(rng.expovariate(1 / mean))
        if rng.random() < 0.01:
            k += int(10 * rng.paretovariate(1.5))
        if not k:
            return 0
        score = 0
        for user in self.others(everyone, author, min(k, len(everyone) - 1)):
            value = 1 if rng.random() < 0.85 else -1
            score += value
            lines.append(f"{user}\t{target}\t{value}\t{when}")
        return score
