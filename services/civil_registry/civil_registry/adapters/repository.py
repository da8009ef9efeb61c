"""SQL of the civil-status register."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import asyncpg


async def next_certificate_sequence(
    conn: asyncpg.Connection, unit_code: str, kind: str, year: int
) -> int:
    value: int = await conn.fetchval(
        """INSERT INTO certificate_sequences (unit_code, kind, year, last) VALUES ($1, $2, $3, 1)
           ON CONFLICT (unit_code, kind, year)
             DO UPDATE SET last = certificate_sequences.last + 1
           RETURNING last""",
        unit_code,
        kind,
        year,
    )
    return value


async def command_seen(conn: asyncpg.Connection, command_id: str) -> bool:
    cid = uuid.UUID(command_id)
    seen = await conn.fetchval(
        """SELECT EXISTS (SELECT 1 FROM registrations WHERE command_id = $1)
               OR EXISTS (SELECT 1 FROM refusals WHERE command_id = $1)""",
        cid,
    )
    return bool(seen)


async def add_registration(
    conn: asyncpg.Connection,
    *,
    registration_id: str,
    kind: str,
    certificate_number: str,
    unit_code: str,
    subject_id: str,
    dossier_id: str | None,
    command_id: str | None,
    details: dict[str, Any],
    registered_at: datetime,
) -> bool:
    """Insert a registration; False if it would be a second death of the same person."""
    inserted = await conn.fetchval(
        """INSERT INTO registrations (registration_id, kind, certificate_number, unit_code,
               subject_id, dossier_id, command_id, details, registered_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)
           ON CONFLICT DO NOTHING RETURNING true""",
        uuid.UUID(registration_id),
        kind,
        certificate_number,
        unit_code,
        subject_id,
        uuid.UUID(dossier_id) if dossier_id else None,
        uuid.UUID(command_id) if command_id else None,
        json.dumps(details, default=str, ensure_ascii=False),
        registered_at,
    )
    return bool(inserted)


async def death_of(conn: asyncpg.Connection, subject_id: str) -> uuid.UUID | None:
    value: uuid.UUID | None = await conn.fetchval(
        "SELECT registration_id FROM registrations WHERE subject_id = $1 AND kind = 'death'",
        subject_id,
    )
    return value


async def record_refusal(
    conn: asyncpg.Connection, command_id: str, registration_id: str, reason: str, at: datetime
) -> None:
    await conn.execute(
        """INSERT INTO refusals (command_id, registration_id, reason, refused_at)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
        uuid.UUID(command_id),
        uuid.UUID(registration_id),
        reason,
        at,
    )


async def current_value(conn: asyncpg.Connection, subject_id: str, field: str) -> str | None:
    """The latest registered value of a field for a person (birth, then later changes)."""
    value: str | None = await conn.fetchval(
        """SELECT CASE WHEN kind = 'change' THEN details->>'new_value'
                       ELSE details->'person'->>$2 END
           FROM registrations
           WHERE subject_id = $1
             AND (kind = 'birth' OR (kind = 'change' AND details->>'field' = $2))
           ORDER BY registered_at DESC LIMIT 1""",
        subject_id,
        field,
    )
    return value


async def registration(
    conn: asyncpg.Connection, registration_id: uuid.UUID
) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        """SELECT registration_id, kind, certificate_number, unit_code, dossier_id, registered_at
           FROM registrations WHERE registration_id = $1""",
        registration_id,
    )
    return dict(row) if row else None
