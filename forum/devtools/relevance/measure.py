"""The relevance set's harness: build the database it is measured on, and measure it.

build(newer=N) creates the corpus's threads first, through the real services (so their search
vectors, expert flags and accepted answers are what the site would have), dates them years in
the past, and then appends N bulk questions with seed_bulk: the answering threads are the
oldest, by id and by date, and N newer questions compete with them.

evaluate() runs every query through forum.questions.search.search_page, as the search page
does (typos corrected), and reports where the first answering thread lands on page 1: one the
query names, or a newer question asking the same (queries.py: `asked_too`), and the named one's
own rank beside it. Whatever the ranking is, this measures it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import ExpertProfile, User
from forum.answers.models import Answer
from forum.core.tokens import new_form_token
from forum.devtools.bulk.texts import asked_as
from forum.questions.answer_services import answer_accept, answer_post
from forum.questions.models import Question, Tag
from forum.questions.search import search_page
from forum.questions.services import question_create, question_set_status

from .corpus import CORPUS, Thread
from .queries import KINDS, QUERIES, Query

TOP = 3  # the figure: an answering thread among the first TOP results
DEFAULT_SEED = 17
# The corpus is dated between these many days ago; seed_bulk's questions span the last 730 days.
OLDEST_DAYS = 6 * 365
NEWEST_DAYS = 3 * 365
MEMBERS = 4
EXPERTS = 2


class NotEmpty(Exception):
    """The corpus must be the oldest threads: build() needs a database without questions."""


def build(newer: int, seed: int = DEFAULT_SEED, *, out: io.TextIOBase | None = None) -> dict[str, int]:
    """The corpus, then `newer` bulk questions after it. Returns {thread key: question id}.

    Needs a migrated database without questions (NotEmpty otherwise)."""
    if Question.objects.exists():
        raise NotEmpty("There are questions already: the relevance set needs an empty database.")
    ids = create_corpus()
    if newer > 0:
        call_command("seed_bulk", questions=newer, append=True, force=True, seed=seed, stdout=out or io.StringIO())
    return ids


@transaction.atomic
def create_corpus() -> dict[str, int]:
    """Each thread through the services, then its dates moved years back (a dev tool's own
    UPDATE: no service backdates posts). Oldest first, one thread every few weeks."""
    members = [_member(f"relevance-member-{i}") for i in range(MEMBERS)]
    experts = [_expert(f"relevance-expert-{i}") for i in range(EXPERTS)]
    now = timezone.now()
    step = (OLDEST_DAYS - NEWEST_DAYS) / max(len(CORPUS) - 1, 1)
    ids = {}
    for i, thread in enumerate(CORPUS):
        asked = now - timedelta(days=OLDEST_DAYS - i * step)
        ids[thread.key] = _thread(thread, asked=asked, members=members, experts=experts)
    return ids


def _member(username: str) -> User:
    user = User(username=username, email=f"{username}@relevance.invalid")
    user.set_unusable_password()
    user.save()
    return user


def _expert(username: str) -> User:
    """A verified expert with a second factor: their answers post as expert answers."""
    user = _member(username)
    ExpertProfile.objects.create(
        user=user, title="Clinical sexologist", credentials="Relevance set (test data).",
        licence_number=f"REL-{user.pk}", licence_body="Relevance set", jurisdiction="Nowhere (test data)",
        status=ExpertProfile.Status.VERIFIED, decided_at=timezone.now(),
        verified_until=timezone.localdate() + timedelta(days=365 * 10),
    )  # fmt: skip
    TOTP.activate(user, generate_totp_secret())
    return user


def _thread(thread: Thread, *, asked, members: list[User], experts: list[User]) -> int:
    tags = list(Tag.objects.filter(slug__in=thread.tags)) or [Tag.objects.order_by("pk")[0]]
    question = question_create(
        author=None, title=thread.title, body=thread.body, tags=tags, form_token=new_form_token(),
        language=thread.language,
    ).question  # fmt: skip
    if question.status != Question.Status.PUBLISHED:
        question = question_set_status(question=question, status=Question.Status.PUBLISHED)
    last = asked
    for j, reply in enumerate(thread.answers):
        author = experts[j % len(experts)] if reply.expert else members[j % len(members)]
        answer = answer_post(question=question, author=author, body=reply.text)
        if answer.status != Answer.Status.PUBLISHED:
            raise RuntimeError(f"relevance corpus: an answer on {thread.key!r} was held ({answer.status})")
        if reply.accepted:
            answer_accept(question=question, answer=answer)
        last = asked + timedelta(hours=3 + 20 * j)
        Answer.objects.filter(pk=answer.pk).update(created_at=last, updated_at=last)
    Question.objects.filter(pk=question.pk).update(
        created_at=asked, updated_at=asked, published_at=asked, last_activity_at=last
    )
    return question.pk


def corpus_ids() -> dict[str, int]:
    """{thread key: question id} of a database build() made: the oldest question with each title."""
    found: dict[str, int] = {}
    by_title = {thread.title: thread.key for thread in CORPUS}
    rows = Question.objects.filter(title__in=by_title).order_by("-id").values_list("title", "id")
    for title, pk in rows:
        found[by_title[title]] = pk  # the oldest wins, if a newer question copied a title
    return found


@dataclass
class Row:
    query: Query
    rank: int | None  # 1-based, on page 1; None if no answering thread is there
    titles: list[str]
    named: int | None = None  # the same, counting only the query's named (old) threads

    @property
    def top(self) -> bool:
        return self.rank is not None and self.rank <= TOP

    @property
    def named_top(self) -> bool:
        return self.named is not None and self.named <= TOP


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    @staticmethod
    def share(rows: Iterable[Row], *, named: bool = False) -> float:
        """The share of rows with an answering thread in the top 3 (named: the named one)."""
        rows = list(rows)
        return sum(row.named_top if named else row.top for row in rows) / len(rows) if rows else 0.0

    @property
    def overall(self) -> float:
        return self.share(self.rows)

    @property
    def named_share(self) -> float:
        return self.share(self.rows, named=True)

    def by_kind(self) -> dict[str, float]:
        return {kind: self.share(r for r in self.rows if r.query.kind == kind) for kind in KINDS}

    def failures(self) -> list[Row]:
        return [row for row in self.rows if not row.top]

    def figure(self) -> str:
        kinds = ", ".join(
            f"{kind} {sum(r.top for r in self.rows if r.query.kind == kind)}/"
            f"{sum(r.query.kind == kind for r in self.rows)}"
            for kind in KINDS
        )
        found = sum(row.top for row in self.rows)
        named = sum(row.named_top for row in self.rows)
        return (
            f"top-{TOP} share: {self.overall:.0%} ({found}/{len(self.rows)}); by kind: {kinds}; "
            f"the named old thread alone: {self.named_share:.0%} ({named}/{len(self.rows)})"
        )

    def table(self) -> str:
        """Plain text: query, kind, rank, the named thread's rank, top-3 yes/no, the first three
        titles returned."""
        header = ("query", "kind", "rank", "named", f"top{TOP}", "first results")
        lines = [header]
        for row in self.rows:
            firsts = " | ".join(_short(t) for t in row.titles[:TOP]) or "(nothing)"
            rank, named = ("-" if r is None else str(r) for r in (row.rank, row.named))
            lines.append((_short(row.query.text, 44), row.query.kind, rank, named, "yes" if row.top else "no", firsts))
        cells = len(header) - 1
        widths = [max(len(line[i]) for line in lines) for i in range(cells)]
        text = [
            "  ".join(cell.ljust(widths[i]) if i < cells else cell for i, cell in enumerate(line)).rstrip()
            for line in lines
        ]
        text.insert(1, "-" * len(text[0]))
        return "\n".join(text) + "\n\n" + self.figure()


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def evaluate(queries: Iterable[Query] = QUERIES, ids: dict[str, int] | None = None) -> Report:
    """Each query through search_page (page 1, in the query's language), as the search page
    runs it; the rank of the first answering thread: a named one, or a newer bulk question
    asking what the query's `asked_too` titles ask (queries.py says when those count)."""
    ids = ids if ids is not None else corpus_ids()
    report = Report()
    for query in queries:
        wanted = {ids[key] for key in query.expected if key in ids}
        asked = set().union(*(asked_as(title) for title in query.asked_too))
        page = search_page(query=query.text, page=1, language=query.language or "en").page
        results = list(page.object_list)
        named = _first(i for i, q in enumerate(results, start=1) if q.pk in wanted)
        rank = _first(i for i, q in enumerate(results, start=1) if q.pk in wanted or q.title in asked)
        report.rows.append(Row(query=query, rank=rank, named=named, titles=[q.title for q in results]))
    return report


def _first(ranks: Iterable[int]) -> int | None:
    return next(iter(ranks), None)
