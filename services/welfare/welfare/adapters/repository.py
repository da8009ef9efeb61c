"""SQL of the welfare register."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg

from welfare.domain.rules import Benefit, Category


async def claim_command(conn: asyncpg.Connection, command_id: uuid.UUID) -> bool:
    inserted = await conn.fetchval(
        """INSERT INTO handled_commands (command_id, handled_at)
           VALUES ($1, clock_timestamp()) ON CONFLICT DO NOTHING RETURNING true""",
        command_id,
    )
    return bool(inserted)


async def lock_subject(conn: asyncpg.Connection, subject_id: str) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 41))", subject_id)


async def beneficiary(conn: asyncpg.Connection, subject_id: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM beneficiaries WHERE subject_id = $1", subject_id
    )
    return row


async def enrol(
    conn: asyncpg.Connection, subject_id: str, category: Category, amount: int, at: datetime
) -> uuid.UUID | None:
    beneficiary_id = uuid.uuid4()
    inserted = await conn.fetchval(
        """INSERT INTO beneficiaries (beneficiary_id, subject_id, category, monthly_amount_vnd,
               enrolled_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true""",
        beneficiary_id,
        subject_id,
        category.name,
        amount,
        at,
    )
    if not inserted:
        return None
    await conn.execute(
        "INSERT INTO recurring_payments (beneficiary_id, amount_vnd) VALUES ($1, $2)",
        beneficiary_id,
        amount,
    )
    return beneficiary_id


async def add_payment(
    conn: asyncpg.Connection, beneficiary_id: uuid.UUID, paid_on: date, amount: int, at: datetime
) -> uuid.UUID:
    payment_id = uuid.uuid4()
    await conn.execute(
        """INSERT INTO payments (payment_id, beneficiary_id, paid_on, amount_vnd, recorded_at)
           VALUES ($1, $2, $3, $4, $5)""",
        payment_id,
        beneficiary_id,
        paid_on,
        amount,
        at,
    )
    return payment_id


async def record_decision(
    conn: asyncpg.Connection,
    command_id: uuid.UUID,
    kind: str,
    subject_id: str,
    b: Benefit,
    at: datetime,
) -> bool:
    """False when this person already had a decision of this kind (never decided twice)."""
    inserted = await conn.fetchval(
        """INSERT INTO decisions (command_id, kind, subject_id, eligible, amount_vnd, basis,
               decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT DO NOTHING RETURNING true""",
        command_id,
        kind,
        subject_id,
        b.eligible,
        b.amount_vnd,
        b.basis,
        at,
    )
    return bool(inserted)


async def mark_deceased(
    conn: asyncpg.Connection, beneficiary_id: uuid.UUID, date_of_death: date, at: datetime
) -> int:
    await conn.execute(
        """UPDATE beneficiaries SET status = 'deceased', date_of_death = $2
           WHERE beneficiary_id = $1""",
        beneficiary_id,
        date_of_death,
    )
    result: str = await conn.execute(
        """UPDATE recurring_payments SET status = 'stopped', stopped_from = $2, stopped_at = $3
           WHERE beneficiary_id = $1 AND status = 'active'""",
        beneficiary_id,
        date_of_death,
        at,
    )
    return int(result.split()[-1])


async def payments_on_or_after(
    conn: asyncpg.Connection, beneficiary_id: uuid.UUID, day: date
) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        """SELECT p.payment_id, p.paid_on, p.amount_vnd FROM payments p
           LEFT JOIN overpayments o USING (payment_id)
           WHERE p.beneficiary_id = $1 AND p.paid_on >= $2 AND o.payment_id IS NULL
           ORDER BY p.paid_on""",
        beneficiary_id,
        day,
    )
    return rows


async def add_overpayment(
    conn: asyncpg.Connection,
    payment_id: uuid.UUID,
    subject_id: str,
    amount: int,
    paid_on: date,
    at: datetime,
) -> None:
    await conn.execute(
        """INSERT INTO overpayments (payment_id, subject_id, amount_vnd, paid_on, recorded_at)
           VALUES ($1, $2, $3, $4, $5)""",
        payment_id,
        subject_id,
        amount,
        paid_on,
        at,
    )


async def beneficiary_view(conn: asyncpg.Connection, subject_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        """SELECT b.beneficiary_id, b.subject_id, b.category, b.monthly_amount_vnd, b.status,
                  b.date_of_death, r.status AS payments_status, r.stopped_from
           FROM beneficiaries b JOIN recurring_payments r USING (beneficiary_id)
           WHERE b.subject_id = $1""",
        subject_id,
    )
    if row is None:
        return None
    view = dict(row)
    view["beneficiary_id"] = str(view["beneficiary_id"])
    decisions = await conn.fetch(
        "SELECT kind, eligible, amount_vnd, basis FROM decisions WHERE subject_id = $1",
        subject_id,
    )
    view["decisions"] = [dict(d) for d in decisions]
    overpayments = await conn.fetch(
        "SELECT payment_id, amount_vnd, paid_on FROM overpayments WHERE subject_id = $1",
        subject_id,
    )
    view["overpayments"] = [{**dict(o), "payment_id": str(o["payment_id"])} for o in overpayments]
    return view


async def stopped_payments(conn: asyncpg.Connection, limit: int) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT b.subject_id, r.amount_vnd, r.stopped_from, r.stopped_at,
                  (SELECT count(*) FROM overpayments o WHERE o.subject_id = b.subject_id)
                    AS overpayments
           FROM recurring_payments r JOIN beneficiaries b USING (beneficiary_id)
           WHERE r.status = 'stopped' ORDER BY r.stopped_at DESC LIMIT $1""",
        limit,
    )
    return [dict(r) for r in rows]
