"""A large, realistic data set for benchmarks, written fast with PostgreSQL COPY.

    manage.py seed_bulk --questions 100000 [--seed 1] [--append] [--force]

N published questions (titles and markdown bodies from a small set of templates in our own
words), 1–5 topics each, about five answers per question with a long tail, votes whose sums
are the stored scores, some accepted and some expert answers, a few hundred throwaway
members and a handful of experts. Every counter the services keep (score, answer_count,
has_accepted_answer, has_expert_answer, last_activity_at, Tag.question_count) is consistent.

Experts get a current, verified ExpertProfile so that their answers show as expert answers.

Speed: each distinct body template is rendered once (render_markdown) and its HTML reused; a
worker thread builds the rows while the main thread streams them in with COPY, all in one
transaction (a failure leaves nothing behind). As a superuser, the per-row foreign-key
triggers of the tables being loaded are switched off inside that transaction only and each
key is then checked with one set-based query before they are switched back on: nothing stays
disabled, even on a crash (ALTER TABLE is transactional). Every other constraint and index is
live. Fields this command does not know get their model default; anything that must be
computed from the rows (today the search vector) is done in `after_bulk_insert`. At the end
the tables are vacuumed and analyzed, so that benchmarks see a steady-state database.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import queue
import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from forum.answers.models import Answer, Vote
from forum.core.markdown import render_markdown
from forum.questions.models import Question, Tag
from forum.questions.services import search_vector_expression

# What the benchmark searches for (scripts/bench.py reads these).
SEARCH_COMMON_WORD = "partner"
SEARCH_RARE_WORD = "vaginismus"
SEARCH_PHRASE = "after sex"

AVERAGE_ANSWERS = 5
LONG_THREAD_ANSWERS = 200
SHORT_THREAD_ANSWERS = 5
GUARANTEED_THREADS_FROM = 1000  # the exact 200- and 5-answer threads exist from this many questions
EXPERT_SHARE = 0.10  # questions with an expert answer
ACCEPTED_SHARE = 0.30  # answered questions with an accepted answer
HIDDEN_ANSWER_SHARE = 0.01  # answers hidden by moderators (not counted in answer_count)
RARE_TITLE_SHARE = 0.0005  # questions titled with SEARCH_RARE_WORD
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


def after_bulk_insert(question_ids: list[int]) -> None:
    """Hook: fill what is derived from the new questions and their answers. Runs in the transaction.

    The rows are in (published, tags attached, answers and votes in, counters right). Work here
    set-based, in ranges of ids, never one query per row. Today: the stored search vector,
    with the very expression services.question_search_refresh uses.
    """
    if not question_ids or not any(f.name == "search_vector" for f in Question._meta.concrete_fields):
        return
    vector = search_vector_expression()
    ids = sorted(question_ids)
    for start in range(0, len(ids), 5_000):
        Question.objects.filter(pk__in=ids[start : start + 5_000]).update(search_vector=vector)


# --- the words -------------------------------------------------------------------------

TITLES = [
    "Is it normal to feel sad after sex?",
    "Is it normal to cry after sex even when it was good?",
    "Why do I feel anxious right after sex?",
    "How do I tell my partner I want to try something new?",
    "How do I tell my partner that something hurts?",
    "My partner wants sex far more often than I do — what now?",
    "How can we talk about desire without it turning into a fight?",
    "Is it normal to lose interest in sex during a stressful time?",
    "When should I see a doctor about pain during sex?",
    "Can stress really affect erections this much?",
    "How do I bring up getting tested before we sleep together?",
    "What does a positive chlamydia test mean for my relationship?",
    "How do I ask for consent in a way that feels natural?",
    "How do I say no without hurting my partner's feelings?",
    "Is it okay to want to be alone after sex?",
    "How do I come out to a partner who doesn't know I'm bi?",
    "Which contraception has the fewest side effects?",
    "My period is late and we used a condom — should I worry?",
    "How do people rebuild intimacy after a baby?",
    "Why can't I reach orgasm with a partner when I can alone?",
    "Is it normal to have no sexual fantasies at all?",
    "How do I support a partner who was assaulted in the past?",
    "How do I know if my relationship has become controlling?",
    "How long is it normal for sex to last?",
    "Is it normal to feel guilty after masturbating?",
    "How do I talk to my doctor about low libido?",
    "Why does my partner go quiet after sex?",
    "How do couples handle different sleep schedules and intimacy?",
    "Is bleeding after sex something to worry about?",
    "How do I stop comparing myself to my partner's exes?",
]
CONTEXTS = [
    "",
    "",
    "",
    " (I'm 19)",
    " (I'm 24)",
    " (we're both in our thirties)",
    " (I'm 52)",
    " (together two years)",
    " (first serious relationship)",
    " (married for ten years)",
    " (long-distance for now)",
    " (since starting new medication)",
    " (after a difficult year)",
    " (asking for a friend, honestly)",
]
RARE_TITLES = [
    "Could this be vaginismus, and who treats it?",
    "Is vaginismus something that can go away with time?",
]

QUESTION_BODIES = [
    # (weight, markdown)
    (30, "Title says it all. Is this common, or should I be worried?"),
    (
        25,
        "We've talked about it a little, but every time it comes up one of us changes the subject. "
        "I don't want to make a big deal of it, I just want to understand what's going on and whether "
        "other people deal with the same thing.",
    ),
    (
        20,
        "Some background: my partner and I have been together a while and things are mostly good. "
        "Lately, though, something has felt off and I can't tell whether it's me, us, or just a phase.\n\n"
        "What I've tried so far:\n\n"
        "- talking about it over dinner (awkward, we both got defensive)\n"
        "- reading a couple of articles online (they contradicted each other)\n"
        "- waiting for it to pass (it hasn't)\n\n"
        "Is there a better way to start this conversation?",
    ),
    (
        15,
        "I feel silly asking this, but I genuinely don't know who else to ask. Right after sex I get "
        "this wave of sadness that lasts maybe twenty minutes. It isn't about my partner — I love them "
        "and the sex itself is good. It just happens, and then it goes away.\n\n"
        "My partner noticed last week and asked whether they'd done something wrong, which made me feel "
        "worse. How do I explain something I don't understand myself? And is there anything that helps?",
    ),
    (
        10,
        "### What happened\n\n"
        "A few weeks ago I started noticing pain during sex. Not every time, but often enough that I've "
        "started dreading it, and I think my partner can tell something is wrong.\n\n"
        "### What I know\n\n"
        "1. It's worse at the start and eases a little after a while.\n"
        "2. It doesn't happen when I use a tampon.\n"
        "3. I've had one STI test since and it was clear.\n\n"
        "### What I'm asking\n\n"
        "Should I see my GP, a gynaecologist, or someone else? And what do I even say when I get there? "
        "I'm nervous about being told it's all in my head.\n\n"
        "> I've read that *relaxing more* is the usual advice. It has not helped.",
    ),
    (
        8,
        "Long post, sorry. My partner and I have very different ideas of what a normal amount of sex is. "
        "When we met it was every day, now it's maybe twice a month, and we're both unhappy about it in "
        "different ways: I feel rejected, they feel pressured.\n\n"
        "We tried scheduling it. That helped for a month and then it started to feel like a chore. We tried "
        "not talking about it at all, which was worse. Our friends either joke about it or say it's normal "
        "in long relationships, which doesn't help when you're the one lying awake.\n\n"
        "What I'd like to know:\n\n"
        "* Is there a way to talk about this that doesn't end with one of us feeling guilty?\n"
        "* Do couples therapists actually help with this, or is it mostly talking?\n"
        "* Are there practical things that have worked for you?\n\n"
        "Thank you for reading this far. It helps just to write it down somewhere people won't judge.",
    ),
    (
        6,
        "I'm asking anonymously because I'm embarrassed. I have never had an orgasm with a partner, "
        "only on my own. My partner is patient and kind about it, but I can tell they take it personally "
        "sometimes, and then I start faking it, which I hate.\n\n"
        "Is this common? Is it something about me, or about how we do things? I'd love to hear from "
        "people who figured this out, and from anyone who works with this professionally.",
    ),
    (
        4,
        "Quick one: we used a condom but it slipped off at the end. Is emergency contraception still "
        "worth taking, and how long do I have?",
    ),
    (
        3,
        "Context first, because I think it matters. I'm in my forties, recently separated, and dating for "
        "the first time in fifteen years. A lot has changed: apps, expectations, the way people talk about "
        "consent and testing. I feel completely out of date.\n\n"
        "I've met someone I like and things are heading towards sex. I want to do this right: ask about "
        "testing, talk about what we both want, and not come across as either prudish or careless. But I "
        "honestly don't know the words people use now, and I'm scared of making it awkward.\n\n"
        "#### Specific questions\n\n"
        "1. When is the right moment to bring up STI testing — before a first date, after, right before?\n"
        "2. How do I say what I'm not comfortable with without it sounding like a list of rules?\n"
        "3. Is it odd to ask a new partner what they like, out loud?\n\n"
        "#### What I'm not asking\n\n"
        "I'm not asking whether I should date — I want to. I'm asking how people do the talking part "
        "gracefully. Any scripts, examples or gentle corrections are welcome.\n\n"
        "---\n\n"
        "*Edit:* thank you to everyone who already answered in my other thread, this is the follow-up.",
    ),
    (
        0,  # only through RARE_BODY_SHARE: the benchmark's rare search word
        "After months of pain I was finally told it might be vaginismus. I had never heard the word "
        "before. The doctor was kind but rushed, and I left with a leaflet and more questions than "
        "answers. Does anyone here have experience with pelvic floor physiotherapy or dilators? How long "
        "did it take before things got easier, and how did you talk to your partner about it?",
    ),
]

ANSWER_BODIES = [
    (30, "This happens to a lot of people, you're not alone. Be gentle with yourself."),
    (25, "Talk to your partner when you're both calm, not in bed. It makes a huge difference."),
    (
        20,
        "I went through something very similar last year. What helped me most was writing down what I "
        "wanted to say before the conversation, so I didn't freeze. My partner was far more understanding "
        "than I expected.",
    ),
    (
        15,
        "Two things that helped us:\n\n"
        "- agreeing that either of us can pause or stop at any point, no explanation needed\n"
        "- checking in the next day, when there's no pressure to perform\n\n"
        "It felt awkward the first few times and then it just became part of how we are together.",
    ),
    (
        12,
        "Please don't push through pain. It's your body telling you something, and it's very treatable "
        "once someone looks at it properly. A GP is a fine first step; ask for a referral if you feel "
        "brushed off. You deserve to be taken seriously.",
    ),
    (
        10,
        "I'd gently say that there's no *normal* here — there's what works for the two of you. Mismatched "
        "desire is one of the most common things couples bring to therapy. It doesn't mean anything is "
        "broken.\n\n"
        "What changed things for us was separating closeness from sex. We set aside time for touch that "
        "doesn't have to lead anywhere, and the pressure dropped on both sides. Strangely, that's when "
        "desire came back.",
    ),
    (
        8,
        "Honest answer from someone who was in your partner's position: I wasn't upset about the thing "
        "itself, I was upset that I found out late. Say it early, say it plainly, and give them time to "
        "think. Most decent people respond to honesty with respect.\n\n"
        "> The conversation you're dreading is almost always shorter than the one you imagine.\n\n"
        "Good luck — you're clearly thinking about it with care.",
    ),
    (
        6,
        "Some practical things that helped me, in no particular order:\n\n"
        "1. **Slow down.** More time before sex made the biggest difference.\n"
        "2. **Lubricant.** There's no shame in it; use more than you think you need.\n"
        "3. **Words.** We agreed on a simple way to say *slower* or *stop* that doesn't kill the mood.\n"
        "4. **Follow-up.** Checking in the next morning, over coffee, not under the covers.\n\n"
        "None of these fix everything, but together they took a lot of the fear out of it for us.",
    ),
    (
        4,
        "I'm sorry you're going through this. Feeling this way doesn't make you broken or a bad partner. "
        "If it keeps weighing on you, talking to a counsellor — even once or twice — can help you find "
        "the words. Many offer sliding-scale fees, and some clinics have free sessions.",
    ),
    (
        3,
        "Longer answer, because I've been where you are.\n\n"
        "For years I thought the problem was me. I read everything, tried every tip, and mostly ended up "
        "more anxious. What actually helped was much less dramatic: my partner and I started talking "
        "about it outside the bedroom, in short conversations, without trying to solve it in one go.\n\n"
        "We'd ask each other small questions. *What felt good this week? What would you like more of?* "
        "Sometimes the answer was *nothing, I'm tired*, and that was fine too. Over a few months the "
        "pressure faded, and so did most of the problem.\n\n"
        "If I could tell my younger self one thing, it would be that there was never a test to pass. "
        "There was just the two of us figuring it out, and that's allowed to take time.",
    ),
    (
        2,
        "Emergency contraception works best the sooner you take it, but some kinds work for several days "
        "afterwards. A pharmacist can tell you which one suits you and answer questions privately. If your "
        "period is more than a week late, take a test.",
    ),
]

EXPERT_BODIES = [
    (
        3,
        "What you describe has a name — *postcoital dysphoria* — and it's more common than most people "
        "realise. Surveys suggest a large share of people have felt it at least once, regardless of how "
        "good the sex was or how much they love their partner.\n\n"
        "### Why it can happen\n\n"
        "- a sudden shift in hormones and nervous-system arousal after climax\n"
        "- feeling very close and very exposed at the same moment\n"
        "- older experiences that surface when we let our guard down\n\n"
        "### What tends to help\n\n"
        "1. Naming it to your partner ahead of time, so they don't read it as rejection.\n"
        "2. Agreeing on what you'd like in the moment: holding, space, or a glass of water and a joke.\n"
        "3. Noticing patterns over a few weeks — time of day, stress, alcohol, particular situations.\n\n"
        "If it's intense, lasts for hours, or brings up memories that feel overwhelming, a therapist who "
        "works with sexual health can help you untangle it. That's not a sign something is wrong with you; "
        "it's a sensible use of support.",
    ),
    (
        3,
        "Pain during sex is common and it is treatable, so please don't accept *just relax* as an answer.\n\n"
        "### Who to see\n\n"
        "Start with a GP or a sexual-health clinic and say plainly: *I have pain with penetration and it's "
        "been going on for weeks.* You can ask for a referral to a gynaecologist or a pelvic-floor "
        "physiotherapist. Bring notes on when it happens and what makes it better or worse.\n\n"
        "### What they'll look at\n\n"
        "| Possible cause | What helps |\n"
        "|---|---|\n"
        "| Not enough arousal or lubrication | time, lubricant, less pressure |\n"
        "| Muscle tension in the pelvic floor | physiotherapy, gradual exercises |\n"
        "| Infection or skin conditions | testing and treatment |\n"
        "| Hormonal changes | depends on the cause; ask about options |\n\n"
        "Until you've been seen, it's completely fine to take penetration off the table and keep the "
        "closeness you both enjoy. Pushing through pain tends to make it worse over time.",
    ),
    (
        2,
        "A difference in desire is one of the most frequent reasons couples see a sex therapist, and it's "
        "rarely about one person being *too much* or *too little*.\n\n"
        "Desire comes in two broad styles: **spontaneous** (it shows up out of the blue) and **responsive** "
        "(it shows up once things get going). Many people in long relationships are mostly responsive, and "
        "they can wrongly conclude they've lost interest.\n\n"
        "Three things I suggest to couples:\n\n"
        "- talk about what makes sex *worth wanting* for each of you, not just how often\n"
        "- build in non-sexual touch with no expectation attached\n"
        "- notice the brakes as well as the accelerators: stress, tiredness, resentment, body image\n\n"
        "A few sessions with a therapist can make these conversations much easier. Look for someone "
        "with specific training in sex therapy.",
    ),
    (
        1,
        "For pain with penetration that comes with tightening you can't control, the outlook is good: "
        "most people improve with the right support, usually a "
        "combination of pelvic-floor physiotherapy, graded dilator work at your own pace, and attention to "
        "the anxiety that tends to build around pain.\n\n"
        "There is no deadline. Progress is often uneven — a good week, then a setback — and that's "
        "normal. Involving your partner in the plan, including agreeing on what intimacy looks like in "
        "the meantime, takes a lot of pressure off.",
    ),
]

SENSITIVE_WARNINGS = {"sexual-assault": "sexual-trauma", "abuse": "abuse"}
MEMBER_WORDS = ["quiet", "blue", "river", "oak", "moss", "lark", "fern", "stone", "dawn", "maple", "wren", "tide"]
EXPERT_NAMES = ["amara", "lee", "okafor", "lindqvist", "haddad", "moreau", "santos", "kowalski", "ito", "nair"]


# --- COPY plumbing ---------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def _array_literal(values) -> str:
    return "{" + ",".join('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def enc(value) -> str:
    """A value in COPY text format."""
    if value is None:
        return NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return _array_literal(value).translate(_COPY_ESCAPES)
    adapted = getattr(value, "adapted", None)  # psycopg2's Json wrapper
    if adapted is not None:
        return json.dumps(adapted).translate(_COPY_ESCAPES)
    return str(value).translate(_COPY_ESCAPES)


class CopyTable:
    """COPY rows into one model's table: the given columns, then every other field's default.

    Fields added to a model later are filled with their default (or left to the database
    when they have a db_default or are generated); a NOT NULL field without a default stops
    the command with a message naming it.
    """

    def __init__(self, model: type[models.Model], columns: list[str]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in columns if c not in fields]
        if unknown:
            raise CommandError(f"seed_bulk: {model.__name__} has no field(s) {unknown}")
        names = [fields[c].column for c in columns]
        defaults = []
        for f in model._meta.concrete_fields:
            if f.attname in columns or f.primary_key or getattr(f, "generated", False) or f.has_db_default():
                continue
            value = timezone.now() if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else None
            value = value or f.get_default()
            if value is None and not f.null:
                raise CommandError(
                    f"seed_bulk does not know how to fill {model.__name__}.{f.name} (NOT NULL, no default): "
                    "add it to seed_bulk.py or fill it in after_bulk_insert()."
                )
            names.append(f.column)
            defaults.append(enc(f.get_db_prep_save(value, connection)))
        self.model = model
        self.sql = 'COPY "{}" ({}) FROM STDIN'.format(model._meta.db_table, ", ".join(f'"{n}"' for n in names))
        self.suffix = ("\t" + "\t".join(defaults)) if defaults else ""

    def line(self, *values) -> str:
        """One row of the given columns in COPY format (hot paths build these strings themselves)."""
        return "\t".join(map(enc, values))

    def copy(self, cursor, lines: list[str]) -> None:
        if lines:
            end = self.suffix + "\n"
            data = end.join(lines) + end
            # One read of the whole buffer: psycopg2 takes the GIL for every read, and the
            # generating thread would make each of many small reads wait for it.
            cursor.copy_expert(self.sql, io.StringIO(data), len(data) + 1)


class ForeignKeyChecks:
    """Per-row foreign-key triggers off during the bulk insert, then one set-based check per key.

    Only for this transaction: ALTER TABLE is transactional, so the triggers are enabled again
    before commit, and by the rollback if anything fails. Switching a constraint trigger needs a
    superuser (the benchmark's own cluster); otherwise the usual per-row checks run at commit.
    """

    def __init__(self, cursor, models_: list[type[models.Model]]):
        self.cursor = cursor
        self.models = models_
        self.disabled: list[tuple[str, str]] = []
        self.first_new_id: dict[str, int] = {}
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return
        try:
            with transaction.atomic():
                for model in models_:
                    table = model._meta.db_table
                    cursor.execute(f'SELECT COALESCE(MAX("id"), 0) + 1 FROM "{table}"')
                    self.first_new_id[table] = cursor.fetchone()[0]
                    cursor.execute(
                        "SELECT t.tgname FROM pg_trigger t JOIN pg_constraint c ON c.oid = t.tgconstraint "
                        "WHERE t.tgrelid = %s::regclass AND c.conrelid = t.tgrelid AND c.contype = 'f' "
                        "AND t.tgenabled <> 'D'",
                        [f'"{table}"'],
                    )
                    for (name,) in cursor.fetchall():
                        cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
                        self.disabled.append((table, name))
        except DatabaseError:  # e.g. pending trigger events in an enclosing transaction
            self.disabled = []

    def validate_and_restore(self) -> None:
        if not self.disabled:
            return
        cursor = self.cursor
        for model in self.models:
            table = model._meta.db_table
            for f in model._meta.concrete_fields:
                if not (f.many_to_one and f.db_constraint):
                    continue
                parent = f.related_model._meta.db_table
                cursor.execute(
                    f'SELECT c."{f.column}" FROM "{table}" c WHERE c."id" >= %s AND c."{f.column}" IS NOT NULL '
                    f'AND NOT EXISTS (SELECT 1 FROM "{parent}" p WHERE p."{f.target_field.column}" = c."{f.column}") '
                    "LIMIT 1",
                    [self.first_new_id[table]],
                )
                row = cursor.fetchone()
                if row:
                    raise CommandError(f"seed_bulk bug: {table}.{f.column} = {row[0]} has no row in {parent}")
        for table, name in self.disabled:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')
        self.disabled = []


def next_id(cursor, model: type[models.Model]) -> int:
    """The first free primary key of `model`, with the table locked against other writers until commit."""
    table = model._meta.db_table
    cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
    cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
    return cursor.fetchone()[0] + 1


def sync_sequence(cursor, model: type[models.Model]) -> None:
    """After rows with explicit ids: the next id the database hands out is above them all."""
    table = model._meta.db_table
    cursor.execute(
        f'SELECT setval(pg_get_serial_sequence(%s, \'id\'), GREATEST((SELECT MAX("id") FROM "{table}"), 1))',
        [f'"{table}"'],
    )


# --- the plan --------------------------------------------------------------------------


@dataclass
class Plan:
    """How many answers each question gets, and which threads are the benchmark's fixtures."""

    answers: list[int]
    long_threads: list[int] = field(default_factory=list)  # indexes with exactly LONG_THREAD_ANSWERS
    short_thread: int | None = None  # index with exactly SHORT_THREAD_ANSWERS


def plan_answers(n: int, rng: random.Random) -> Plan:
    """About AVERAGE_ANSWERS per question: some unanswered, most a few, a long tail that scales with n."""
    tail_cap = max(10, min(150, n // 20))
    counts = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.12:
            counts.append(0)
        elif roll < 0.975:
            counts.append(min(tail_cap, 1 + int(rng.expovariate(1 / 3.0))))
        else:
            tail = int(8 * rng.paretovariate(1.3))
            counts.append(tail if tail <= tail_cap else rng.randint(tail_cap // 2, tail_cap))
    plan = Plan(answers=counts)
    fixed: set[int] = set()
    if n >= GUARANTEED_THREADS_FROM:
        # A few huge threads (one of them recent, so it shows on the first pages) and one of five.
        how_many = max(1, n // 20_000)
        plan.long_threads = sorted({n - 3, *rng.sample(range(n - 3), how_many - 1)})
        plan.short_thread = n - 2
        for i in plan.long_threads:
            counts[i] = LONG_THREAD_ANSWERS
        counts[plan.short_thread] = SHORT_THREAD_ANSWERS
        fixed = {*plan.long_threads, plan.short_thread}
    # Nudge answered ordinary threads until the total is AVERAGE_ANSWERS per question.
    free = [i for i in range(n) if i not in fixed and counts[i] > 0]
    if free:
        diff = AVERAGE_ANSWERS * n - sum(counts)
        attempts = 0
        while diff > 0 and attempts < 100 * n:
            attempts += 1
            i = rng.choice(free)
            if counts[i] < tail_cap:
                counts[i] += 1
                diff -= 1
        while diff < 0 and attempts < 200 * n:
            attempts += 1
            i = rng.choice(free)
            if counts[i] > 1:
                counts[i] -= 1
                diff += 1
    return plan


@dataclass
class Rendered:
    body: str  # COPY-escaped markdown
    html: str  # COPY-escaped sanitized HTML


def render_all(templates: list[tuple[int, str]]) -> list[Rendered]:
    return [Rendered(enc(text), enc(render_markdown(text))) for _, text in templates]


def random_hash() -> str:
    """A stand-in for a sha256 digest; from os.urandom so that --append never collides."""
    return os.urandom(32).hex()


# --- the command -----------------------------------------------------------------------


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
            report = Seeder(questions, seed, tags, self.stdout).run()
        # Fresh statistics for the planner, and (outside a transaction) the visibility map a
        # just-loaded table lacks, so that the next queries see the steady state, not the load.
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in (User, Question, Question.tags.through, Answer, Vote, Tag):
                cursor.execute(f'{vacuum} "{model._meta.db_table}"')
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Seeded {report['questions']:,} questions, {report['answers']:,} answers, {report['votes']:,} votes, "
            f"{report['users']:,} accounts in {elapsed:.1f}s."
        )
        for label, url in report["urls"]:
            self.stdout.write(f"  {label}: {settings.SITE_URL}{url}")


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

        self.recount_tags()
        hook_started = time.monotonic()
        after_bulk_insert(list(range(q_start, q_start + self.n)))
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
        q_lines, t_lines, a_lines, v_lines = [], [], [], []
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
                title = rng.choice(TITLES)
                context = rng.choice(CONTEXTS)
                if context:
                    title = title[:-1] + context + title[-1]
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

    def recount_tags(self) -> None:
        """Tag.question_count = published questions per topic, for every topic."""
        through = Question.tags.through
        counts = dict(
            through.objects.filter(question__status=Question.Status.PUBLISHED)
            .values("tag_id")
            .annotate(n=Count("id"))
            .values_list("tag_id", "n")
        )
        for tag in self.tags:
            tag.question_count = counts.get(tag.pk, 0)
        Tag.objects.bulk_update(self.tags, ["question_count"])
