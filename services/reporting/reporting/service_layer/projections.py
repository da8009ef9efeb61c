"""Projection handlers: each event adjusts the read models inside the consumer's transaction.

Every consumed event becomes one fact in the projection versions (``domain.facts``); the
first event types also keep the per-dossier view and counters the original API serves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lienthong.bus import UnitOfWork
from reporting.adapters import repository
from reporting.domain.events import (
    CONSUMED,
    DossierSubmitted,
    IdentityMismatch,
    IdentityVerified,
    LinkedBundleCompleted,
    LinkedBundleStarted,
)
from reporting.domain.facts import Stamp, fact_of


@dataclass(frozen=True)
class Dependencies:
    pass


@dataclass
class ProjectionUnitOfWork(UnitOfWork):
    """The consumer's transaction, with when the log recorded the event being projected."""

    recorded_at: datetime | None = None


async def project_dossier(event: DossierSubmitted, uow: UnitOfWork, deps: Dependencies) -> None:
    await uow.conn.execute(
        """INSERT INTO dossier_view (dossier_id, dossier_code, procedure_code, channel, unit_code,
               submitted_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (dossier_id) DO UPDATE SET dossier_code = EXCLUDED.dossier_code,
               procedure_code = EXCLUDED.procedure_code, channel = EXCLUDED.channel,
               unit_code = EXCLUDED.unit_code, submitted_at = EXCLUDED.submitted_at""",
        event.dossier_id,
        event.dossier_code,
        event.procedure_code,
        event.channel.name,
        event.unit_code,
        event.submitted_at,
    )
    await uow.conn.execute(
        """INSERT INTO dossier_counts (procedure_code, channel, unit_code, dossiers)
           VALUES ($1, $2, $3, 1)
           ON CONFLICT (procedure_code, channel, unit_code)
           DO UPDATE SET dossiers = dossier_counts.dossiers + 1""",
        event.procedure_code,
        event.channel.name,
        event.unit_code,
    )


async def project_identity(
    event: IdentityVerified | IdentityMismatch, uow: UnitOfWork, deps: Dependencies
) -> None:
    outcome = "VERIFIED" if isinstance(event, IdentityVerified) else event.category.name
    await uow.conn.execute(
        """INSERT INTO identity_outcomes (outcome, persons) VALUES ($1, 1)
           ON CONFLICT (outcome) DO UPDATE SET persons = identity_outcomes.persons + 1""",
        outcome,
    )
    if event.dossier_id is not None:
        await _ensure_dossier(uow, event.dossier_id)
        await uow.conn.execute(
            """UPDATE dossier_view SET identity_checks = identity_checks + 1,
                   identity_mismatches = identity_mismatches + $2 WHERE dossier_id = $1""",
            event.dossier_id,
            0 if isinstance(event, IdentityVerified) else 1,
        )


async def _ensure_dossier(uow: UnitOfWork, dossier_id: uuid.UUID) -> None:
    """Events about a dossier may be projected before the dossier itself (other topic)."""
    await uow.conn.execute(
        """INSERT INTO dossier_view (dossier_id, dossier_code, procedure_code, channel, unit_code,
               submitted_at)
           VALUES ($1, '', '', '', '', 'epoch') ON CONFLICT DO NOTHING""",
        dossier_id,
    )


async def project_bundle_started(
    event: LinkedBundleStarted, uow: UnitOfWork, deps: Dependencies
) -> None:
    await _ensure_dossier(uow, event.dossier_id)
    await uow.conn.execute(
        """UPDATE dossier_view SET bundle_id = $2, bundle_type = $3,
               bundle_status = COALESCE(bundle_status, 'STARTED'),
               bundle_started_at = $4, bundle_deadline_at = $5 WHERE dossier_id = $1""",
        event.dossier_id,
        event.bundle_id,
        event.bundle_type.name,
        event.started_at,
        event.deadline_at,
    )
    await uow.conn.execute(
        """INSERT INTO bundle_counts (bundle_type, unit_code, started) VALUES ($1, $2, 1)
           ON CONFLICT (bundle_type, unit_code)
           DO UPDATE SET started = bundle_counts.started + 1""",
        event.bundle_type.name,
        event.unit_code,
    )


async def project_bundle_completed(
    event: LinkedBundleCompleted, uow: UnitOfWork, deps: Dependencies
) -> None:
    await _ensure_dossier(uow, event.dossier_id)
    await uow.conn.execute(
        """UPDATE dossier_view SET bundle_id = $2, bundle_type = $3, bundle_status = 'COMPLETED',
               bundle_completed_at = $4, bundle_on_time = $5 WHERE dossier_id = $1""",
        event.dossier_id,
        event.bundle_id,
        event.bundle_type.name,
        event.completed_at,
        event.on_time,
    )
    await uow.conn.execute(
        """INSERT INTO bundle_counts (bundle_type, unit_code, completed, on_time)
           VALUES ($1, $2, 1, $3)
           ON CONFLICT (bundle_type, unit_code) DO UPDATE
           SET completed = bundle_counts.completed + 1, on_time = bundle_counts.on_time + $3""",
        event.bundle_type.name,
        event.unit_code,
        1 if event.on_time else 0,
    )


_DOSSIER_VIEW: dict[type, Any] = {
    DossierSubmitted: project_dossier,
    IdentityVerified: project_identity,
    IdentityMismatch: project_identity,
    LinkedBundleStarted: project_bundle_started,
    LinkedBundleCompleted: project_bundle_completed,
}


async def project(event: object, uow: UnitOfWork, deps: Dependencies) -> None:
    """Record the event's fact (and update the dossier view for the types it shows)."""
    view = _DOSSIER_VIEW.get(type(event))
    if view is not None:
        await view(event, uow, deps)
    if uow.cause is None:
        raise ValueError("a projected event needs its envelope")
    recorded = getattr(uow, "recorded_at", None) or uow.cause.time
    fact = fact_of(event, Stamp(uow.cause.id, recorded))
    if fact is not None:
        await repository.add_fact(uow.conn, fact)


HANDLERS: dict[type, Any] = {cls: project for cls in CONSUMED.values()}
