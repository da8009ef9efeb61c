"""SQL of the permanent-residence register."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg

from residence.domain.rules import Residence


async def claim_command(conn: asyncpg.Connection, command_id: str, outcome: str) -> bool:
    """Record a command as handled; False if it already was (a repeated command)."""
    inserted = await conn.fetchval(
        """INSERT INTO handled_commands (command_id, outcome, handled_at)
           VALUES ($1, $2, clock_timestamp()) ON CONFLICT DO NOTHING RETURNING true""",
        uuid.UUID(command_id),
        outcome,
    )
    return bool(inserted)


async def lock_subject(conn: asyncpg.Connection, subject_id: str) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 21))", subject_id)


async def active_residence(conn: asyncpg.Connection, subject_id: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM residences WHERE subject_id = $1 AND status = 'active'", subject_id
    )
    return row


async def parents_residences(
    conn: asyncpg.Connection, parent_subject_ids: tuple[str, ...]
) -> list[Residence]:
    rows = await conn.fetch(
        """SELECT subject_id, unit_code, address FROM residences
           WHERE subject_id = ANY($1::text[]) AND status = 'active'""",
        list(parent_subject_ids),
    )
    by_subject = {r["subject_id"]: Residence(r["unit_code"], r["address"]) for r in rows}
    return [by_subject[s] for s in parent_subject_ids if s in by_subject]


async def add_residence(
    conn: asyncpg.Connection,
    *,
    subject_id: str,
    unit_code: str,
    address: str | None,
    address_pending: bool,
    basis: str,
    registered_at: datetime,
) -> uuid.UUID:
    residence_id = uuid.uuid4()
    await conn.execute(
        """INSERT INTO residences (residence_id, subject_id, unit_code, address, address_pending,
               basis, registered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        residence_id,
        subject_id,
        unit_code,
        address,
        address_pending,
        basis,
        registered_at,
    )
    return residence_id


async def remove_residence(
    conn: asyncpg.Connection, subject_id: str, effective: date, reason: str, at: datetime
) -> bool:
    removed = await conn.fetchval(
        """UPDATE residences SET status = 'removed', removed_at = $4, removed_from = $2,
               removed_reason = $3
           WHERE subject_id = $1 AND status = 'active' RETURNING true""",
        subject_id,
        effective,
        reason,
        at,
    )
    return bool(removed)


async def update_particular(
    conn: asyncpg.Connection, subject_id: str, field: str, value: str, effective: date, at: datetime
) -> None:
    await conn.execute(
        """INSERT INTO resident_particulars (subject_id, field, value, effective, updated_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (subject_id, field) DO UPDATE
             SET value = EXCLUDED.value, effective = EXCLUDED.effective,
                 updated_at = EXCLUDED.updated_at""",
        subject_id,
        field,
        value,
        effective,
        at,
    )


async def residence_view(conn: asyncpg.Connection, subject_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        """SELECT residence_id, subject_id, unit_code, address, address_pending, basis, status,
                  registered_at, removed_from, removed_reason
           FROM residences WHERE subject_id = $1 ORDER BY registered_at DESC LIMIT 1""",
        subject_id,
    )
    if row is None:
        return None
    view = dict(row)
    particulars = await conn.fetch(
        "SELECT field, value FROM resident_particulars WHERE subject_id = $1", subject_id
    )
    view["particulars"] = {p["field"]: p["value"] for p in particulars}
    return view


async def count_active(conn: asyncpg.Connection, subject_id: str) -> int:
    n: int = await conn.fetchval(
        "SELECT count(*) FROM residences WHERE subject_id = $1 AND status = 'active'", subject_id
    )
    return n
