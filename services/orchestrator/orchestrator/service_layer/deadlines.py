"""The deadline and retry scan: escalate late bundles and steps, resend unanswered commands.

Why this exists: a breach is the absence of an event, so nothing arrives to trigger it; a
Runtime worker scans the saga store instead. Each scan runs in one transaction with
``FOR UPDATE SKIP LOCKED``, so two orchestrator replicas never escalate or resend twice, and
everything it emits goes through the outbox with the state change.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg
from prometheus_client import Counter

from lienthong.bus import UnitOfWork
from lienthong.outbox import Outbox
from orchestrator.adapters import repository
from orchestrator.domain import saga
from orchestrator.domain.events import (
    BundleType,
    LinkedBundleDeadlineBreached,
    LinkedBundleStepFailed,
)
from orchestrator.service_layer import commands
from orchestrator.service_layer.handlers import Dependencies

log = logging.getLogger(__name__)
BREACHES = Counter("lienthong_bundle_deadline_breaches_total", "Deadline breaches", ["scope"])
RETRIES = Counter("lienthong_bundle_step_retries_total", "Commands resent", ["outcome"])
BATCH = 200


async def scan_once(uow: UnitOfWork, deps: Dependencies, now: datetime) -> int:
    """One pass; returns how many escalations and resends it made."""
    done = 0
    for bundle_id in await repository.breached_bundles(uow.conn, now, BATCH):
        bundle = await repository.bundle(uow.conn, bundle_id)
        if bundle is None:
            continue
        await repository.mark_bundle_breach(uow.conn, bundle_id, now)
        await repository.add_history(uow.conn, bundle_id, now, "deadline_breached")
        await uow.emit(
            LinkedBundleDeadlineBreached(
                str(bundle_id), BundleType[bundle.bundle_type], None, bundle.deadline_at, now
            ),
            time=now,
            subject=bundle.subject_id,
        )
        BREACHES.labels("bundle").inc()
        done += 1
    for bundle_id, step, deadline in await repository.breached_steps(uow.conn, now, BATCH):
        bundle = await repository.bundle(uow.conn, bundle_id)
        if bundle is None:
            continue
        await repository.mark_step_breach(uow.conn, bundle_id, step, now)
        await repository.add_history(uow.conn, bundle_id, now, "deadline_breached", step.value)
        await uow.emit(
            LinkedBundleDeadlineBreached(
                str(bundle_id), BundleType[bundle.bundle_type], step.value, deadline, now
            ),
            time=now,
            subject=bundle.subject_id,
        )
        BREACHES.labels("step").inc()
        done += 1
    for bundle_id, step in await repository.due_retries(uow.conn, now, BATCH):
        done += await _resend(bundle_id, step, uow, deps, now)
    return done


async def _resend(
    bundle_id: uuid.UUID, step: saga.Step, uow: UnitOfWork, deps: Dependencies, now: datetime
) -> int:
    bundle = await repository.bundle(uow.conn, bundle_id)
    row = next((r for r in await repository.steps(uow.conn, bundle_id) if r.step is step), None)
    if bundle is None or row is None or row.command_id is None:
        return 0
    if row.attempts >= deps.max_attempts:
        await repository.stop_retrying(uow.conn, bundle_id, step)
        await repository.add_history(
            uow.conn, bundle_id, now, "step_failed", step.value, "RETRIES_EXHAUSTED"
        )
        await uow.emit(
            LinkedBundleStepFailed(
                str(bundle_id),
                BundleType[bundle.bundle_type],
                step.value,
                saga.STEP_AGENCY[step],
                "RETRIES_EXHAUSTED",
                now,
            ),
            time=now,
            subject=bundle.subject_id,
        )
        RETRIES.labels("exhausted").inc()
        return 1
    delay = saga.retry_delay_s(deps.retry_after_s, row.attempts + 1)
    await repository.note_attempt(uow.conn, bundle_id, step, now + timedelta(seconds=delay))
    command = commands.build(step, bundle, str(row.command_id), now)
    await repository.add_history(uow.conn, bundle_id, now, "step_resent", step.value)
    await uow.emit(command, time=now, subject=bundle.subject_id)
    RETRIES.labels("resent").inc()
    return 1


def deadline_worker(
    pool: asyncpg.Pool,
    outbox: Outbox,
    deps: Dependencies,
    interval_s: float,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Callable[[asyncio.Event], Awaitable[None]]:
    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():
            async with pool.acquire() as conn, conn.transaction():
                await scan_once(UnitOfWork(conn, outbox), deps, clock())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval_s)

    return run
