"""SQL of the BHYT card register."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg


async def claim_command(conn: asyncpg.Connection, command_id: str) -> bool:
    inserted = await conn.fetchval(
        """INSERT INTO handled_commands (command_id, handled_at)
           VALUES ($1, clock_timestamp()) ON CONFLICT DO NOTHING RETURNING true""",
        uuid.UUID(command_id),
    )
    return bool(inserted)


async def lock_subject(conn: asyncpg.Connection, subject_id: str) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 31))", subject_id)


async def active_card(conn: asyncpg.Connection, subject_id: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM cards WHERE subject_id = $1 AND status = 'active'", subject_id
    )
    return row


async def add_card(
    conn: asyncpg.Connection,
    *,
    card_number: str,
    subject_id: str,
    id_number: str,
    full_name: str,
    birth_date: date,
    object_code: str,
    valid_from: date,
    valid_until: date,
    issued_at: datetime,
    command_id: str | None,
) -> None:
    await conn.execute(
        """INSERT INTO cards (card_number, subject_id, id_number, full_name, birth_date,
               object_code, valid_from, valid_until, issued_at, command_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""",
        card_number,
        subject_id,
        id_number,
        full_name,
        birth_date,
        object_code,
        valid_from,
        valid_until,
        issued_at,
        uuid.UUID(command_id) if command_id else None,
    )


async def end_cards(conn: asyncpg.Connection, subject_id: str, end: date, reason: str) -> int:
    rows = await conn.fetch(
        """UPDATE cards SET status = 'ended', ended_on = $2, end_reason = $3,
               valid_until = LEAST(valid_until, $2)
           WHERE subject_id = $1 AND status = 'active' RETURNING card_number""",
        subject_id,
        end,
        reason,
    )
    return len(rows)


async def update_cards(conn: asyncpg.Connection, subject_id: str, field: str, value: str) -> int:
    if field == "full_name":
        sql = "UPDATE cards SET full_name = $2 WHERE subject_id = $1 AND status = 'active'"
        result: str = await conn.execute(sql, subject_id, value)
    elif field == "birth_date":
        sql = "UPDATE cards SET birth_date = $2 WHERE subject_id = $1 AND status = 'active'"
        result = await conn.execute(sql, subject_id, date.fromisoformat(value))
    else:
        return 0
    return int(result.split()[-1])


async def cards_by_id_number(conn: asyncpg.Connection, id_number: str) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT card_number, subject_id, full_name, birth_date, object_code, valid_from,
                  valid_until, status, ended_on
           FROM cards WHERE id_number = $1 ORDER BY issued_at DESC""",
        id_number,
    )
    return [dict(r) for r in rows]


async def record_lookup(conn: asyncpg.Connection, at: datetime, found: bool) -> None:
    await conn.execute("INSERT INTO lookups (looked_up_at, found) VALUES ($1, $2)", at, found)


async def lookup_counts(conn: asyncpg.Connection) -> tuple[int, int]:
    row = await conn.fetchrow(
        "SELECT count(*) AS n, count(*) FILTER (WHERE found) AS ok FROM lookups"
    )
    return int(row["n"]), int(row["ok"])
