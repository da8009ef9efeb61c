"""SQL for saga state; every read of a bundle that may change it locks the dossier first."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from orchestrator.domain.birth_bundle import BundleState, IdentityResult, Step


@dataclass(frozen=True)
class BundleRow:
    bundle_id: uuid.UUID
    bundle_type: str
    dossier_id: uuid.UUID
    procedure_code: str
    unit_code: str
    subject_id: str
    state: BundleState
    expected_subjects: frozenset[str]
    child: dict[str, Any] | None
    started_at: datetime
    deadline_at: datetime


async def lock_dossier(conn: asyncpg.Connection, dossier_id: str) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 11))", dossier_id)


def _bundle(row: asyncpg.Record) -> BundleRow:
    return BundleRow(
        bundle_id=row["bundle_id"],
        bundle_type=row["bundle_type"],
        dossier_id=row["dossier_id"],
        procedure_code=row["procedure_code"],
        unit_code=row["unit_code"],
        subject_id=row["subject_id"],
        state=BundleState(row["state"]),
        expected_subjects=frozenset(row["expected_subjects"]),
        child=json.loads(row["child"]) if row["child"] else None,
        started_at=row["started_at"],
        deadline_at=row["deadline_at"],
    )


async def bundle_for_dossier(conn: asyncpg.Connection, dossier_id: str) -> BundleRow | None:
    row = await conn.fetchrow("SELECT * FROM bundles WHERE dossier_id = $1", uuid.UUID(dossier_id))
    return _bundle(row) if row else None


async def bundle(conn: asyncpg.Connection, bundle_id: str) -> BundleRow | None:
    row = await conn.fetchrow("SELECT * FROM bundles WHERE bundle_id = $1", uuid.UUID(bundle_id))
    return _bundle(row) if row else None


async def add_bundle(conn: asyncpg.Connection, b: BundleRow) -> None:
    await conn.execute(
        """INSERT INTO bundles (bundle_id, bundle_type, dossier_id, procedure_code, unit_code,
               subject_id, state, expected_subjects, child, started_at, deadline_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)""",
        b.bundle_id,
        b.bundle_type,
        b.dossier_id,
        b.procedure_code,
        b.unit_code,
        b.subject_id,
        b.state.value,
        sorted(b.expected_subjects),
        json.dumps(b.child) if b.child is not None else None,
        b.started_at,
        b.deadline_at,
    )


async def set_state(
    conn: asyncpg.Connection,
    bundle_id: uuid.UUID,
    state: BundleState,
    completed_at: datetime | None = None,
) -> None:
    await conn.execute(
        """UPDATE bundles SET state = $2, completed_at = COALESCE($3, completed_at)
           WHERE bundle_id = $1""",
        bundle_id,
        state.value,
        completed_at,
    )


async def record_identity(
    conn: asyncpg.Connection, dossier_id: str, subject_id: str, role: str, verified: bool
) -> None:
    await conn.execute(
        """INSERT INTO identity_results (dossier_id, subject_id, role, verified)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (dossier_id, subject_id) DO UPDATE SET verified = EXCLUDED.verified""",
        uuid.UUID(dossier_id),
        subject_id,
        role,
        verified,
    )


async def identity_results(conn: asyncpg.Connection, dossier_id: uuid.UUID) -> list[IdentityResult]:
    rows = await conn.fetch(
        "SELECT subject_id, role, verified FROM identity_results WHERE dossier_id = $1", dossier_id
    )
    return [IdentityResult(r["subject_id"], r["role"], r["verified"]) for r in rows]


async def request_step(
    conn: asyncpg.Connection,
    bundle_id: uuid.UUID,
    step: Step,
    agency: str,
    command_id: uuid.UUID,
    requested_at: datetime,
) -> bool:
    """Record a step's command; False if the step was already requested."""
    inserted = await conn.fetchval(
        """INSERT INTO bundle_steps (bundle_id, step, agency, command_id, status, requested_at)
           VALUES ($1, $2, $3, $4, 'requested', $5) ON CONFLICT DO NOTHING RETURNING true""",
        bundle_id,
        step.value,
        agency,
        command_id,
        requested_at,
    )
    return bool(inserted)


async def complete_step(
    conn: asyncpg.Connection,
    bundle_id: uuid.UUID,
    step: Step,
    agency: str,
    completed_at: datetime,
    status: str = "completed",
    detail: str | None = None,
) -> bool:
    """Mark a step done; False if it already was (a duplicated reply)."""
    done = await conn.fetchval(
        """INSERT INTO bundle_steps (bundle_id, step, agency, status, completed_at, detail)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (bundle_id, step) DO UPDATE
             SET status = EXCLUDED.status, completed_at = EXCLUDED.completed_at,
                 detail = EXCLUDED.detail
             WHERE bundle_steps.status = 'requested'
           RETURNING true""",
        bundle_id,
        step.value,
        agency,
        status,
        completed_at,
        detail,
    )
    return bool(done)


async def step_for_command(
    conn: asyncpg.Connection, command_id: str
) -> tuple[uuid.UUID, str] | None:
    row = await conn.fetchrow(
        "SELECT bundle_id, step FROM bundle_steps WHERE command_id = $1", uuid.UUID(command_id)
    )
    return (row["bundle_id"], row["step"]) if row else None
