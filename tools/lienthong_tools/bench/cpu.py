"""CPU time of every process a run uses, read from ``/proc``, grouped by what it serves.

Why this exists: on a shared machine wall-clock rates move with the neighbours' load, but the
CPU time the pipeline's processes spend per unit of work does not (much). A sampler reads
``utime + stime`` of each process of a group a few times a second; a process's share is its
last reading minus its reading when the window opened (zero for one started during the
window), so connections a pool opens mid-run and workers a server forks are counted too.

Groups: each service process with its children; the PostgreSQL backends serving the stack's
databases, one group per service; PostgreSQL's background processes (WAL writer,
checkpointer, autovacuum: shared by every database of the server) and the Kafka broker
(shared by every client) are their own groups, marked shared, because on a machine others
use too they also carry the others' load.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of one process so far; None when it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    # After the command: state ppid ... utime (14th field of the line) stime (15th).
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def with_descendants(pid: int, tree: dict[int, list[int]]) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(tree.get(current, ()))
    return found


@dataclass
class Group:
    name: str
    shared: bool = False
    baseline: dict[int, float] = field(default_factory=dict)
    latest: dict[int, float] = field(default_factory=dict)

    def seen(self, pid: int, seconds: float, opening: bool) -> None:
        if pid not in self.baseline:
            self.baseline[pid] = seconds if opening else 0.0
        self.latest[pid] = seconds

    @property
    def seconds(self) -> float:
        return sum(max(0.0, v - self.baseline[pid]) for pid, v in self.latest.items())


class CpuSampler:
    """Samples the groups' CPU every ``interval`` seconds between ``start`` and ``stop``."""

    def __init__(
        self,
        services: dict[str, int],
        pg_url: str,
        database_prefix: str,
        kafka_pid: int | None,
        postmaster_pid: int | None,
        exclude_pids: set[int] | None = None,
        interval: float = 0.5,
    ) -> None:
        self._exclude = exclude_pids or set()
        self._services = services
        self._pg_url = pg_url
        self._prefix = database_prefix
        self._kafka_pid = kafka_pid
        self._postmaster_pid = postmaster_pid
        self._interval = interval
        self.groups: dict[str, Group] = {}
        self._task: asyncio.Task[None] | None = None
        self._conn: asyncpg.Connection | None = None

    async def _postgres(self) -> dict[str, tuple[bool, list[int]]]:
        assert self._conn is not None
        rows = await self._conn.fetch(
            """SELECT pid, datname, backend_type FROM pg_stat_activity
               WHERE pid <> pg_backend_pid()"""
        )
        found: dict[str, tuple[bool, list[int]]] = {"postgres:shared": (True, [])}
        for r in rows:
            if r["pid"] in self._exclude:
                continue
            if r["datname"] and r["datname"].startswith(self._prefix):
                service = r["datname"][len(self._prefix) :]
                found.setdefault(f"postgres:{service}", (False, []))[1].append(r["pid"])
            elif r["backend_type"] != "client backend" and not r["datname"]:
                found["postgres:shared"][1].append(r["pid"])
        if self._postmaster_pid is not None:
            found["postgres:shared"][1].append(self._postmaster_pid)
        return found

    def _processes(self) -> dict[str, tuple[bool, list[int]]]:
        tree = children_by_parent()
        found = {name: (False, with_descendants(pid, tree)) for name, pid in self._services.items()}
        if self._kafka_pid is not None:
            found["kafka (shared)"] = (True, [self._kafka_pid])
        return found

    async def _sample(self, opening: bool) -> None:
        found = {**self._processes(), **await self._postgres()}
        for name, (shared, pids) in found.items():
            group = self.groups.setdefault(name, Group(name, shared))
            for pid in pids:
                seconds = cpu_seconds(pid)
                if seconds is not None:
                    group.seen(pid, seconds, opening)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            await self._sample(opening=False)

    async def start(self) -> None:
        self._conn = await asyncpg.connect(self._pg_url)
        self.groups = {}
        await self._sample(opening=True)
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> dict[str, Group]:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._sample(opening=False)
        if self._conn is not None:
            await self._conn.close()
        return self.groups


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def kafka_broker_pid(local: Path) -> int | None:
    """The local broker's pid: its pid file, else the JVM started with its config."""
    pid = read_pid(local / "kafka" / "kafka.pid")
    if pid is not None:
        return pid
    config = str(local / "kafka" / "server.properties")
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"kafka.Kafka" in argv and config.encode() in argv:
                return int(entry.name)
    return None


def total(groups: Iterable[Group], *, shared: bool | None = None) -> float:
    return sum(g.seconds for g in groups if shared is None or g.shared == shared)
