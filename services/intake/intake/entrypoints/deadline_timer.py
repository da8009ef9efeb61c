"""The deadline timer: turns passed deadlines into ``DossierOverdue`` and
``DossierAcknowledgementOverdue`` events.

Why this exists: nothing happens when a deadline passes, so something must look. The timer
scans PostgreSQL (the dossiers table is the schedule) rather than holding timers in memory,
so a restart loses nothing and two replicas split the work (``FOR UPDATE SKIP LOCKED``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import asyncpg

from intake.domain.commands import FlagLateAcknowledgements, FlagOverdueDossiers
from lienthong.bus import MessageBus
from lienthong.http import Worker

BATCH = 100


def deadline_timer(
    pool: asyncpg.Pool,
    bus: MessageBus[Any],
    clock: Callable[[], datetime],
    interval_s: float,
) -> Worker:
    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():
            at = clock()
            # Acknowledgement deadlines first: they fall before the statutory one, so a
            # dossier's history keeps them in time order when both passed while down.
            late = await bus.handle_in_transaction(
                pool, FlagLateAcknowledgements(now=at, limit=BATCH)
            )
            flagged = await bus.handle_in_transaction(
                pool, FlagOverdueDossiers(now=at, limit=BATCH)
            )
            if flagged < BATCH and late < BATCH:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval_s)

    return run
