"""SQL of the portal's copy of dossiers (asyncpg); the only module that knows its tables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg


@dataclass(frozen=True)
class HistoryEntry:
    sequence: int
    event_id: str
    event_type: str
    status: str | None
    detail: str | None
    occurred_at: datetime
    stored_at: datetime


@dataclass(frozen=True)
class StoredEvent:
    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    event_id: str
    event_type: str
    status: str | None
    detail: str | None
    occurred_at: datetime
    appointment_at: datetime | None = None
    overdue: bool | None = None
    completed_on_time: bool | None = None
    parties: tuple[str, ...] = ()


async def store(conn: asyncpg.Connection, event: StoredEvent, stored_at: datetime) -> bool:
    """Add one event to the dossier's history; False if that position was already stored.

    The dossier's status is that of its latest status-changing entry by sequence, so an
    earlier step that arrives late does not roll the status back."""
    inserted = await conn.fetchval(
        """INSERT INTO portal_dossier_history (dossier_id, sequence, event_id, event_type,
               status, detail, occurred_at, stored_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (dossier_id, sequence) DO NOTHING
           RETURNING true""",
        event.dossier_id,
        event.sequence,
        event.event_id,
        event.event_type,
        event.status,
        event.detail,
        event.occurred_at,
        stored_at,
    )
    if not inserted:
        return False
    await conn.execute(
        """INSERT INTO portal_dossiers (dossier_id, dossier_code, procedure_code, unit_code,
               status, appointment_at, overdue, completed_on_time, last_sequence, updated_at,
               party_subject_ids)
           VALUES ($1, $2, $3, $4, COALESCE($5, 'received'), $6, COALESCE($7, false), $8,
                   $9, $10, $11)
           ON CONFLICT (dossier_id) DO UPDATE SET
               status = COALESCE(
                   (SELECT h.status FROM portal_dossier_history h
                     WHERE h.dossier_id = $1 AND h.status IS NOT NULL
                     ORDER BY h.sequence DESC LIMIT 1),
                   portal_dossiers.status),
               appointment_at = COALESCE($6, portal_dossiers.appointment_at),
               overdue = COALESCE($7, portal_dossiers.overdue),
               completed_on_time = COALESCE($8, portal_dossiers.completed_on_time),
               last_sequence = GREATEST(portal_dossiers.last_sequence, $9),
               updated_at = $10,
               party_subject_ids = CASE WHEN cardinality($11::text[]) > 0 THEN $11
                                        ELSE portal_dossiers.party_subject_ids END""",
        event.dossier_id,
        event.dossier_code,
        event.procedure_code,
        event.unit_code,
        event.status,
        event.appointment_at,
        event.overdue,
        event.completed_on_time,
        event.sequence,
        stored_at,
        list(event.parties),
    )
    return True


async def sync_state(conn: asyncpg.Connection, dossier_id: uuid.UUID) -> tuple[str, bool]:
    """The dossier's status and whether its history has no gap from 1 to its last event."""
    row = await conn.fetchrow(
        """SELECT d.status, d.last_sequence,
                  (SELECT count(*) FROM portal_dossier_history h
                    WHERE h.dossier_id = d.dossier_id) AS stored
           FROM portal_dossiers d WHERE d.dossier_id = $1""",
        dossier_id,
    )
    assert row is not None
    return str(row["status"]), int(row["stored"]) == int(row["last_sequence"])


async def get_by_code(
    conn: asyncpg.Connection, code: str
) -> tuple[dict[str, Any], list[HistoryEntry]] | None:
    row = await conn.fetchrow("SELECT * FROM portal_dossiers WHERE dossier_code = $1", code)
    if row is None:
        return None
    history = await conn.fetch(
        "SELECT * FROM portal_dossier_history WHERE dossier_id = $1 ORDER BY sequence",
        row["dossier_id"],
    )
    return dict(row), [
        HistoryEntry(
            sequence=h["sequence"],
            event_id=h["event_id"],
            event_type=h["event_type"],
            status=h["status"],
            detail=h["detail"],
            occurred_at=h["occurred_at"],
            stored_at=h["stored_at"],
        )
        for h in history
    ]
