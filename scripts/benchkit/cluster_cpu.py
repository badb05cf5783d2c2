"""Where the CPU went during a load run of `make bench-cluster`: utime + stime from /proc per process group.

A group is a part of the loopback cluster (scripts/cluster.py, `LoopbackCluster.part_pids()`) with
all its descendants (nginx's workers, gunicorn's workers, PostgreSQL's backends), plus the load
generator (this process, every thread, and the psql probes it runs). What the machine spent beyond
them (/proc/stat) is "other": processes outside the cluster, and the kernel's interrupts.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

HZ = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
LOAD_GENERATOR = "load generator"


def process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, CPU ticks used: utime + stime)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # After the command's ")": state, ppid, ... utime is field 14 of stat, stime 15 (1-based).
        table[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return table


def machine_ticks() -> tuple[int, int]:
    """(busy, total) ticks of all cores since boot, from /proc/stat's first line."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq + steal
    return busy, busy + idle + iowait


def descendants(root: int, table: dict[int, tuple[int, int]]) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in found or pid not in table:
            continue
        found.add(pid)
        todo.extend(children.get(pid, ()))
    return found


class CpuMeter:
    """Samples every `interval` seconds between start() and stop(), so that processes that exit
    in between (a killed host, a psql probe) keep what they used while seen."""

    def __init__(self, roots, interval: float = 0.5):
        self.roots = roots  # a callable: group name -> root pid (or None), asked at every sample
        self.interval = interval
        self.base: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.group_of: dict[int, str] = {}
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None
        self.first = True

    def _sample(self) -> None:
        table = process_table()
        roots = {**self.roots(), LOAD_GENERATOR: os.getpid()}
        for name, root in roots.items():
            if root is None:
                continue
            for pid in descendants(root, table):
                ticks = table[pid][1]
                if pid not in self.group_of:
                    self.group_of[pid] = name
                    # Seen at the first sample: count from there; appeared later: all it used.
                    self.base[pid] = ticks if self.first else 0
                self.last[pid] = ticks
        self.first = False

    def _loop(self) -> None:
        while not self.stop_event.wait(self.interval):
            self._sample()

    def start(self) -> CpuMeter:
        self.started = time.monotonic()
        self.machine = machine_ticks()
        self._sample()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> dict:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join()
        self._sample()
        wall = time.monotonic() - self.started
        busy, total = machine_ticks()
        busy -= self.machine[0]
        total -= self.machine[1]
        groups: dict[str, float] = {}
        for pid, name in self.group_of.items():
            groups[name] = groups.get(name, 0.0) + (self.last[pid] - self.base[pid]) / HZ
        used = sum(groups.values())
        capacity = total / HZ if total > 0 else wall * CORES
        busy_seconds = busy / HZ
        return {
            "wall_seconds": round(wall, 2),
            "cores": CORES,
            "capacity_cpu_seconds": round(capacity, 2),
            "busy_cpu_seconds": round(busy_seconds, 2),
            "groups_cpu_seconds": {name: round(seconds, 3) for name, seconds in sorted(groups.items())},
            "other_cpu_seconds": round(max(0.0, busy_seconds - used), 3),
        }


def shares(cpu: dict) -> dict[str, float]:
    """Percent of the machine (all cores over the run's wall time) per column of the report:
    nginx, web (every gunicorn host), primary, replica, redis, task worker, load generator, other, idle."""
    capacity = cpu["capacity_cpu_seconds"] or 1.0
    groups = cpu["groups_cpu_seconds"]
    columns = {
        "nginx": groups.get("nginx", 0.0),
        "web": sum(v for k, v in groups.items() if k.startswith("web")),
        "primary": groups.get("primary", 0.0),
        "replica": groups.get("replica", 0.0),
        "redis": groups.get("redis", 0.0),
        "task worker": groups.get("task worker", 0.0),
        LOAD_GENERATOR: groups.get(LOAD_GENERATOR, 0.0),
        "other": cpu["other_cpu_seconds"],
    }
    result = {name: round(100 * seconds / capacity, 1) for name, seconds in columns.items()}
    result["busy"] = round(100 * cpu["busy_cpu_seconds"] / capacity, 1)
    result["idle"] = round(max(0.0, 100 - result["busy"]), 1)
    return result
