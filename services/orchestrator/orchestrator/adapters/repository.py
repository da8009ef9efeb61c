"""SQL for saga state; every read of a bundle that may change it locks the bundle first."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from lienthong.inbox import LockBusy
from orchestrator.domain.birth_bundle import IdentityResult
from orchestrator.domain.saga import BundleState, Step


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
    data: dict[str, Any] = field(default_factory=dict)
    dossier_code: str | None = None
    completed_at: datetime | None = None


@dataclass(frozen=True)
class StepRow:
    step: Step
    agency: str
    command_id: uuid.UUID | None
    status: str
    requested_at: datetime | None
    completed_at: datetime | None
    detail: str | None
    attempts: int
    next_attempt_at: datetime | None
    deadline_at: datetime | None


@dataclass
class Saga:
    """A locked bundle with what its steps and identity checks say, read in one round trip;
    handlers keep it current as they write so the decision needs no re-read."""

    bundle: BundleRow
    statuses: dict[Step, str]
    last_completed_at: datetime | None
    identity: list[IdentityResult]

    def completed(self) -> set[Step]:
        return {s for s, status in self.statuses.items() if status == "completed"}

    def note(self, step: Step, status: str, at: datetime | None) -> None:
        self.statuses[step] = status
        if at is not None and status != "requested":
            last = self.last_completed_at
            self.last_completed_at = at if last is None else max(last, at)


_SAGA = """SELECT b.*, s.steps, s.statuses, s.last_completed_at,
                  i.subjects, i.roles, i.verified
           FROM bundles b
           LEFT JOIN LATERAL (
               SELECT array_agg(step) AS steps, array_agg(status) AS statuses,
                      max(completed_at) AS last_completed_at
               FROM bundle_steps WHERE bundle_id = b.bundle_id) s ON true
           LEFT JOIN LATERAL (
               SELECT array_agg(subject_id) AS subjects, array_agg(role) AS roles,
                      array_agg(verified) AS verified
               FROM identity_results WHERE dossier_id = b.dossier_id) i ON true
           WHERE """


def _saga(row: asyncpg.Record) -> Saga:
    return Saga(
        bundle=_bundle(row),
        statuses={
            Step(s): st for s, st in zip(row["steps"] or (), row["statuses"] or (), strict=True)
        },
        last_completed_at=row["last_completed_at"],
        identity=[
            IdentityResult(s, r, v)
            for s, r, v in zip(
                row["subjects"] or (), row["roles"] or (), row["verified"] or (), strict=True
            )
        ],
    )


async def saga(conn: asyncpg.Connection, bundle_id: uuid.UUID) -> Saga | None:
    """The bundle, its step statuses and identity results (lock the dossier first)."""
    row = await conn.fetchrow(_SAGA + "b.bundle_id = $1", bundle_id)
    return _saga(row) if row else None


async def saga_for_dossier(conn: asyncpg.Connection, dossier_id: str) -> Saga | None:
    row = await conn.fetchrow(_SAGA + "b.dossier_id = $1", uuid.UUID(dossier_id))
    return _saga(row) if row else None


class DossierBusy(LockBusy):
    """Another transaction holds this dossier while this one already holds others.

    Waiting here could deadlock (two batches taking the same dossiers in different orders),
    so the caller gives up instead: in a batched consumer transaction the inbox applies the
    events before this one as a batch and this one alone, where waiting is safe (ADR 0033).
    """


async def lock_dossier(conn: asyncpg.Connection, dossier_id: str) -> None:
    """Serialize every change to one dossier's bundle, without a lock-ordering hazard.

    A transaction waits for a dossier only while it holds no other; one that already holds
    some (a batch of events) never waits for another, so no wait-for cycle can form.
    """
    if await conn.fetchval(
        "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 11))", dossier_id
    ):
        return
    holds_others = await conn.fetchval(
        """SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
               AND pid = pg_backend_pid() AND granted)"""
    )
    if holds_others:
        raise DossierBusy(dossier_id)
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
        data=json.loads(row["data"]) if row["data"] else {},
        dossier_code=row["dossier_code"],
        completed_at=row["completed_at"],
    )


async def bundle_for_dossier(conn: asyncpg.Connection, dossier_id: str) -> BundleRow | None:
    row = await conn.fetchrow("SELECT * FROM bundles WHERE dossier_id = $1", uuid.UUID(dossier_id))
    return _bundle(row) if row else None


async def bundle(conn: asyncpg.Connection, bundle_id: str | uuid.UUID) -> BundleRow | None:
    bid = bundle_id if isinstance(bundle_id, uuid.UUID) else uuid.UUID(bundle_id)
    row = await conn.fetchrow("SELECT * FROM bundles WHERE bundle_id = $1", bid)
    return _bundle(row) if row else None


async def bundle_by_code(conn: asyncpg.Connection, code: str) -> BundleRow | None:
    row = await conn.fetchrow("SELECT * FROM bundles WHERE dossier_code = $1", code)
    return _bundle(row) if row else None


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


async def merge_data(
    conn: asyncpg.Connection,
    bundle_id: uuid.UUID,
    data: dict[str, Any],
    subject_id: str | None = None,
) -> None:
    """Merge ``data`` into the bundle's (and set its subject, if given) in one statement."""
    await conn.execute(
        """UPDATE bundles SET data = data || $2::jsonb, subject_id = COALESCE($3, subject_id)
           WHERE bundle_id = $1""",
        bundle_id,
        json.dumps(data, ensure_ascii=False),
        subject_id,
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


async def steps(conn: asyncpg.Connection, bundle_id: uuid.UUID) -> list[StepRow]:
    rows = await conn.fetch(
        "SELECT * FROM bundle_steps WHERE bundle_id = $1 ORDER BY requested_at NULLS FIRST",
        bundle_id,
    )
    return [
        StepRow(
            step=Step(r["step"]),
            agency=r["agency"],
            command_id=r["command_id"],
            status=r["status"],
            requested_at=r["requested_at"],
            completed_at=r["completed_at"],
            detail=r["detail"],
            attempts=r["attempts"],
            next_attempt_at=r["next_attempt_at"],
            deadline_at=r["deadline_at"],
        )
        for r in rows
    ]


async def complete_step(
    conn: asyncpg.Connection,
    bundle_id: uuid.UUID,
    step: Step,
    agency: str,
    completed_at: datetime,
    status: str = "completed",
    detail: str | None = None,
    command_id: str | None = None,
) -> bool:
    """Mark a step done; False if it already was (a duplicated reply) or the reply answers
    another command than the step's."""
    done = await conn.fetchval(
        """INSERT INTO bundle_steps (bundle_id, step, agency, status, completed_at, detail)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (bundle_id, step) DO UPDATE
             SET status = EXCLUDED.status, completed_at = EXCLUDED.completed_at,
                 detail = EXCLUDED.detail, next_attempt_at = NULL
             WHERE bundle_steps.status = 'requested'
               AND ($7::uuid IS NULL OR bundle_steps.command_id = $7::uuid)
           RETURNING true""",
        bundle_id,
        step.value,
        agency,
        status,
        completed_at,
        detail,
        uuid.UUID(command_id) if command_id else None,
    )
    return bool(done)


async def complete_step_logged(
    conn: asyncpg.Connection,
    bundle_id: uuid.UUID,
    step: Step,
    agency: str,
    completed_at: datetime,
    detail: str | None = None,
    command_id: str | None = None,
) -> bool:
    """``complete_step`` and its ``step_completed`` history entry in one statement."""
    done = await conn.fetchval(
        """WITH done AS (
               INSERT INTO bundle_steps (bundle_id, step, agency, status, completed_at, detail)
               VALUES ($1, $2, $3, 'completed', $4, $5)
               ON CONFLICT (bundle_id, step) DO UPDATE
                 SET status = EXCLUDED.status, completed_at = EXCLUDED.completed_at,
                     detail = EXCLUDED.detail, next_attempt_at = NULL
                 WHERE bundle_steps.status = 'requested'
                   AND ($6::uuid IS NULL OR bundle_steps.command_id = $6::uuid)
               RETURNING bundle_id, step, completed_at),
           logged AS (
               INSERT INTO bundle_history (bundle_id, at, kind, step)
               SELECT bundle_id, completed_at, 'step_completed', step FROM done)
           SELECT count(*) > 0 FROM done""",
        bundle_id,
        step.value,
        agency,
        completed_at,
        detail,
        uuid.UUID(command_id) if command_id else None,
    )
    return bool(done)


async def request_step_logged(
    conn: asyncpg.Connection,
    bundle_id: uuid.UUID,
    step: Step,
    agency: str,
    command_id: uuid.UUID,
    requested_at: datetime,
    deadline_at: datetime | None,
    next_attempt_at: datetime | None,
) -> bool:
    """Record a step's command and its ``step_requested`` history entry in one statement;
    False if the step was already requested."""
    inserted = await conn.fetchval(
        """WITH requested AS (
               INSERT INTO bundle_steps (bundle_id, step, agency, command_id, status,
                   requested_at, attempts, deadline_at, next_attempt_at)
               VALUES ($1, $2, $3, $4, 'requested', $5, 1, $6, $7)
               ON CONFLICT DO NOTHING RETURNING bundle_id, step, requested_at),
           logged AS (
               INSERT INTO bundle_history (bundle_id, at, kind, step)
               SELECT bundle_id, requested_at, 'step_requested', step FROM requested)
           SELECT count(*) > 0 FROM requested""",
        bundle_id,
        step.value,
        agency,
        command_id,
        requested_at,
        deadline_at,
        next_attempt_at,
    )
    return bool(inserted)


async def add_bundle_logged(conn: asyncpg.Connection, b: BundleRow) -> bool:
    """Insert a bundle and its ``started`` history entry in one statement; False if its
    dossier (or registration) already has one."""
    inserted = await conn.fetchval(
        """WITH added AS (
               INSERT INTO bundles (bundle_id, bundle_type, dossier_id, procedure_code,
                   unit_code, subject_id, state, expected_subjects, child, started_at,
                   deadline_at, data, dossier_code)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12::jsonb, $13)
               ON CONFLICT (dossier_id) DO NOTHING RETURNING bundle_id, started_at),
           logged AS (
               INSERT INTO bundle_history (bundle_id, at, kind)
               SELECT bundle_id, started_at, 'started' FROM added)
           SELECT count(*) > 0 FROM added""",
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
        json.dumps(b.data, ensure_ascii=False),
        b.dossier_code,
    )
    return bool(inserted)


async def step_for_command(
    conn: asyncpg.Connection, command_id: str
) -> tuple[uuid.UUID, Step] | None:
    row = await conn.fetchrow(
        "SELECT bundle_id, step FROM bundle_steps WHERE command_id = $1", uuid.UUID(command_id)
    )
    return (row["bundle_id"], Step(row["step"])) if row else None


async def command_target(
    conn: asyncpg.Connection, command_id: str
) -> tuple[uuid.UUID, uuid.UUID, Step] | None:
    """Bundle id, dossier id (the lock key) and step of a command, in one round trip."""
    row = await conn.fetchrow(
        """SELECT s.bundle_id, b.dossier_id, s.step FROM bundle_steps s
           JOIN bundles b USING (bundle_id) WHERE s.command_id = $1""",
        uuid.UUID(command_id),
    )
    return (row["bundle_id"], row["dossier_id"], Step(row["step"])) if row else None


async def add_history(
    conn: asyncpg.Connection,
    bundle_id: uuid.UUID,
    at: datetime,
    kind: str,
    step: str | None = None,
    detail: str | None = None,
    actor: str | None = None,
) -> None:
    await conn.execute(
        """INSERT INTO bundle_history (bundle_id, at, kind, step, detail, actor)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        bundle_id,
        at,
        kind,
        step,
        detail,
        actor,
    )


async def history(conn: asyncpg.Connection, bundle_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT at, kind, step, detail, actor FROM bundle_history
           WHERE bundle_id = $1 ORDER BY entry_id""",
        bundle_id,
    )
    return [dict(r) for r in rows]


async def due_retries(
    conn: asyncpg.Connection, now: datetime, limit: int
) -> list[tuple[uuid.UUID, Step]]:
    rows = await conn.fetch(
        """SELECT s.bundle_id, s.step FROM bundle_steps s JOIN bundles b USING (bundle_id)
           WHERE s.status = 'requested' AND s.next_attempt_at <= $1
             AND b.state IN ('in_progress', 'issuing_id_number')
           ORDER BY s.next_attempt_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED""",
        now,
        limit,
    )
    return [(r["bundle_id"], Step(r["step"])) for r in rows]


async def note_attempt(
    conn: asyncpg.Connection,
    bundle_id: uuid.UUID,
    step: Step,
    next_attempt_at: datetime | None,
) -> int:
    attempts: int = await conn.fetchval(
        """UPDATE bundle_steps SET attempts = attempts + 1, next_attempt_at = $3
           WHERE bundle_id = $1 AND step = $2 RETURNING attempts""",
        bundle_id,
        step.value,
        next_attempt_at,
    )
    return attempts


async def stop_retrying(conn: asyncpg.Connection, bundle_id: uuid.UUID, step: Step) -> None:
    await conn.execute(
        "UPDATE bundle_steps SET next_attempt_at = NULL WHERE bundle_id = $1 AND step = $2",
        bundle_id,
        step.value,
    )


async def breached_bundles(conn: asyncpg.Connection, now: datetime, limit: int) -> list[uuid.UUID]:
    rows = await conn.fetch(
        """SELECT bundle_id FROM bundles
           WHERE completed_at IS NULL AND breach_reported_at IS NULL AND deadline_at < $1
             AND state NOT IN ('failed', 'compensated', 'cancelled', 'completed')
           ORDER BY deadline_at LIMIT $2 FOR UPDATE SKIP LOCKED""",
        now,
        limit,
    )
    return [r["bundle_id"] for r in rows]


async def mark_bundle_breach(conn: asyncpg.Connection, bundle_id: uuid.UUID, at: datetime) -> None:
    await conn.execute(
        "UPDATE bundles SET breach_reported_at = $2 WHERE bundle_id = $1", bundle_id, at
    )


async def breached_steps(
    conn: asyncpg.Connection, now: datetime, limit: int
) -> list[tuple[uuid.UUID, Step, datetime]]:
    rows = await conn.fetch(
        """SELECT s.bundle_id, s.step, s.deadline_at
           FROM bundle_steps s JOIN bundles b USING (bundle_id)
           WHERE s.status = 'requested' AND s.breach_reported_at IS NULL AND s.deadline_at < $1
             AND b.state NOT IN ('failed', 'compensated', 'cancelled', 'completed')
           ORDER BY s.deadline_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED""",
        now,
        limit,
    )
    return [(r["bundle_id"], Step(r["step"]), r["deadline_at"]) for r in rows]


async def mark_step_breach(
    conn: asyncpg.Connection, bundle_id: uuid.UUID, step: Step, at: datetime
) -> None:
    await conn.execute(
        "UPDATE bundle_steps SET breach_reported_at = $3 WHERE bundle_id = $1 AND step = $2",
        bundle_id,
        step.value,
        at,
    )


async def listing(
    conn: asyncpg.Connection, kind: str, now: datetime, limit: int
) -> list[dict[str, Any]]:
    """Bundles needing attention: ``stuck`` (failed, under review or overdue) or ``breached``."""
    if kind == "breached":
        where = "b.breach_reported_at IS NOT NULL OR EXISTS (SELECT 1 FROM bundle_steps s "
        where += "WHERE s.bundle_id = b.bundle_id AND s.breach_reported_at IS NOT NULL)"
    else:
        where = "b.state IN ('needs_review', 'failed', 'compensated') OR (b.completed_at IS NULL"
        where += " AND b.state NOT IN ('cancelled') AND b.deadline_at < $1)"
    rows = await conn.fetch(
        f"""SELECT b.bundle_id, b.bundle_type, b.dossier_id, b.dossier_code, b.state, b.unit_code,
                   b.started_at, b.deadline_at, b.breach_reported_at
            FROM bundles b WHERE ($1::timestamptz IS NOT NULL) AND ({where})
            ORDER BY b.started_at LIMIT $2""",
        now,
        limit,
    )
    return [dict(r) for r in rows]
