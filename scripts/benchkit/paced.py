"""Writes at a fixed rate, for the reads-under-writes pass: the write mix's members, on a schedule.

Open loop: a write is due every 1/rate seconds from the start, whatever the server does, and
one thread per member takes the next one due, so a slow write never slows the schedule (it
shows as lateness instead). The schedule ends at a bound given at the start, or sooner when
the pass stops it; writes due but not begun by then are dropped and counted, writes under way
finish (each request times out after 30 s).
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from .load import percentile, summarize
from .writes import WriteMix, Writer


@dataclass
class Write:
    due: float  # time.monotonic() when the schedule wanted it
    began: float  # time.monotonic() when a member sent it
    seconds: float  # until the response
    kind: str
    status: int  # 0: no response (connection error)


class PacedWrites(WriteMix):
    hot_share = 0.0  # spread over many threads, as real traffic is: no thread gets half the votes

    def login_all(self) -> float:
        seconds = super().login_all()
        self.since = datetime.now(UTC)
        return seconds

    def start(self, rate: float, bound: float) -> None:
        """Begin writing `rate` times a second, for `bound` seconds at most."""
        self.rate = rate
        self.slots: queue.Queue = queue.Queue()
        self.halt = threading.Event()
        self.done: list[Write] = []
        self.dropped = 0  # due, but not begun when the schedule ended
        self.spent = 0  # due, but the member who took it had no budget left (rate limits)
        self.started = time.monotonic()
        self.bound = self.started + bound
        self.members = [threading.Thread(target=self.member, args=(w,), daemon=True) for w in self.writers]
        self.scheduler = threading.Thread(target=self.schedule, daemon=True)
        for thread in [*self.members, self.scheduler]:
            thread.start()

    def schedule(self) -> None:
        n = 0
        while True:
            due = self.started + n / self.rate
            if due >= self.bound or self.halt.wait(max(0.0, due - time.monotonic())):
                break
            self.slots.put(due)
            n += 1
        while True:
            try:
                self.slots.get_nowait()
            except queue.Empty:
                break
            self.dropped += 1
        for _ in self.members:
            self.slots.put(None)

    def member(self, writer: Writer) -> None:
        while (due := self.slots.get()) is not None:
            with self.lock:
                choice = self.pick(writer)
                if choice is None:
                    self.spent += 1
                    continue
                kind, post = choice
                writer.budget[kind] -= 1
            began = time.monotonic()
            try:
                status = self.act(writer, kind, post)
            except OSError:
                status = 0
            with self.lock:
                self.done.append(Write(due, began, time.monotonic() - began, kind, status))

    def stop(self, window: tuple[float, float] | None) -> dict:
        """End the schedule, wait for writes under way, and say what was written.

        `window` (time.monotonic() at its start and end) is the reads' measurement: the rate
        reported is the writes begun within it.
        """
        self.halt.set()
        self.scheduler.join()
        for thread in self.members:
            thread.join(timeout=35)
        ended = time.monotonic()
        with self.lock:
            done = sorted(self.done, key=lambda w: w.began)
        statuses: dict[int, int] = {}
        unexpected: dict[str, int] = {}
        for w in done:
            statuses[w.status] = statuses.get(w.status, 0) + 1
            if not 200 <= w.status <= 299:
                key = f"{w.kind} HTTP {w.status}"
                unexpected[key] = unexpected.get(key, 0) + 1
        result = summarize([w.seconds for w in done], statuses, ended - self.started)
        del result["rps"]  # the rate is the schedule's; what was reached is per_second_in_window
        late = sorted(w.began - w.due for w in done)
        result.update(
            target_per_second=self.rate,
            sent=len(done),
            errors=sum(unexpected.values()),
            unexpected=unexpected,
            dropped=self.dropped,
            budget_spent=self.spent,
            late_p95_ms=round(percentile(late, 95) * 1000, 1),
            still_running=sum(1 for thread in self.members if thread.is_alive()),
        )
        if window is not None:
            start, end = window
            inside = sum(1 for w in done if start <= w.began < end)
            result["in_window"] = inside
            result["per_second_in_window"] = round(inside / (end - start), 2) if end > start else 0.0
        return result
