"""How many answers each question gets: about five on average, a long tail, and the benchmark's threads."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

AVERAGE_ANSWERS = 5
LONG_THREAD_ANSWERS = 200
SHORT_THREAD_ANSWERS = 5
GUARANTEED_THREADS_FROM = 1000  # the exact 200- and 5-answer threads exist from this many questions


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
