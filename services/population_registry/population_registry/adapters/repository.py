"""All SQL of the population registry (asyncpg)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg

from lienthong.subjects import SubjectIds
from population_registry.domain.model import (
    Citizen,
    CitizenStatus,
    InsuranceCard,
    block_key,
    demographic_keys,
    family_key,
    given_key,
    swapped_day_month,
)

_COLUMNS = """id_number, subject_id, full_name, birth_date, gender, status, date_of_death,
              mother_id_number, father_id_number, merged_into, birth_place_code"""


async def upsert_citizen(conn: asyncpg.Connection, citizen: Citizen, subjects: SubjectIds) -> None:
    """Insert or overwrite a citizen and their old CMND numbers (idempotent)."""
    await conn.execute(
        """INSERT INTO citizens (id_number, subject_id, full_name, birth_date, gender, status,
               date_of_death, mother_id_number, father_id_number, block_key, family_key,
               given_key, birth_place_code)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           ON CONFLICT (id_number) DO UPDATE SET full_name = EXCLUDED.full_name,
               birth_date = EXCLUDED.birth_date, gender = EXCLUDED.gender,
               status = EXCLUDED.status, date_of_death = EXCLUDED.date_of_death,
               mother_id_number = EXCLUDED.mother_id_number,
               father_id_number = EXCLUDED.father_id_number, block_key = EXCLUDED.block_key,
               family_key = EXCLUDED.family_key, given_key = EXCLUDED.given_key,
               birth_place_code = EXCLUDED.birth_place_code, updated_at = clock_timestamp()""",
        citizen.id_number,
        subjects.for_id_number(citizen.id_number),
        citizen.full_name,
        citizen.birth_date,
        citizen.gender,
        citizen.status.name.lower(),
        citizen.date_of_death,
        citizen.mother_id_number,
        citizen.father_id_number,
        block_key(citizen.full_name),
        family_key(citizen.full_name),
        given_key(citizen.full_name),
        citizen.birth_place_code,
    )
    if citizen.insurance_card is not None:
        card = citizen.insurance_card
        await record_card(
            conn,
            subjects.for_id_number(citizen.id_number),
            card.card_number,
            card.valid_from,
            card.valid_until,
        )
    for cmnd in citizen.cmnd_numbers:
        await conn.execute(
            """INSERT INTO citizen_aliases (cmnd_number, id_number) VALUES ($1, $2)
               ON CONFLICT (cmnd_number) DO UPDATE SET id_number = EXCLUDED.id_number""",
            cmnd,
            citizen.id_number,
        )


async def citizen_by_id_number(conn: asyncpg.Connection, id_number: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM citizens WHERE id_number = $1", id_number
    )
    return row


async def citizen_by_cmnd(conn: asyncpg.Connection, cmnd: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        f"""SELECT {_COLUMNS} FROM citizens
            WHERE id_number = (SELECT id_number FROM citizen_aliases WHERE cmnd_number = $1)""",
        cmnd,
    )
    return row


async def duplicate_candidates(
    conn: asyncpg.Connection,
    full_name: str,
    birth_date: date,
    mother_id_number: str | None,
    exclude: str | None,
    gender: str | None = None,
    limit: int = 50,
) -> list[asyncpg.Record]:
    """Records in the same block: same sorted name key and birth date (or the date with day
    and month swapped), same mother and birth date, or same family name or same given name
    with the birth date and gender (a typo in any one word). Merged records are left out."""
    dates = [birth_date]
    swapped = swapped_day_month(birth_date)
    if swapped is not None:
        dates.append(swapped)
    rows: list[asyncpg.Record] = await conn.fetch(
        f"""SELECT {_COLUMNS} FROM citizens
            WHERE merged_into IS NULL AND id_number IS DISTINCT FROM $4
              AND ((block_key = $1 AND birth_date = ANY($2::date[]))
                   OR ($3::text IS NOT NULL AND mother_id_number = $3 AND birth_date = $5)
                   OR ($7::text IS NOT NULL AND (family_key = $8 OR given_key = $9)
                       AND birth_date = $5 AND gender = $7))
            ORDER BY (block_key = $1) DESC, id_number LIMIT $6""",
        block_key(full_name),
        dates,
        mother_id_number,
        exclude,
        birth_date,
        limit,
        gender,
        family_key(full_name),
        given_key(full_name),
    )
    return rows


async def demographic_candidates(
    conn: asyncpg.Connection,
    full_name: str,
    birth_date: date,
    mother_id_number: str | None,
    limit: int = 50,
) -> list[asyncpg.Record]:
    """Records that may be a person stated without a usable number, by blocking keys that
    survive legacy encodings, tone placement, word order, a typo in any one word of the name
    and a day/month swap: the name key, the family key or the given-name key with the birth
    date (or the date with day and month swapped); the name key with another date of the
    same birth year; the mother and the birth date. Merged records are left out; records
    whose whole name key is equal come first."""
    keys = demographic_keys(full_name)
    dates = [birth_date]
    swapped = swapped_day_month(birth_date)
    if swapped is not None:
        dates.append(swapped)
    rows: list[asyncpg.Record] = await conn.fetch(
        f"""SELECT {_COLUMNS} FROM citizens
            WHERE merged_into IS NULL
              AND ((birth_date = ANY($4::date[])
                    AND (block_key = ANY($1::text[]) OR family_key = ANY($2::text[])
                         OR given_key = ANY($3::text[])))
                   OR (block_key = ANY($1::text[]) AND birth_date BETWEEN $5 AND $6)
                   OR ($7::text IS NOT NULL AND mother_id_number = $7
                       AND birth_date = ANY($4::date[])))
            ORDER BY (block_key = ANY($1::text[])) DESC, id_number LIMIT $8""",
        list(keys.block_keys),
        list(keys.family_keys),
        list(keys.given_keys),
        dates,
        date(birth_date.year, 1, 1),
        date(birth_date.year, 12, 31),
        mother_id_number,
        limit,
    )
    return rows


async def mark_applied(
    conn: asyncpg.Connection,
    registration_id: str,
    kind: str,
    registered_at: datetime,
    *,
    id_number: str | None,
    applied: bool,
    reason: str | None = None,
    field: str | None = None,
    old_value: str | None = None,
    new_value: str | None = None,
) -> bool:
    """Record a civil-registry registration; False if it was already applied."""
    inserted: bool | None = await conn.fetchval(
        """INSERT INTO applied_registrations (registration_id, kind, id_number, field, old_value,
               new_value, registered_at, applied, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (registration_id) DO NOTHING RETURNING true""",
        uuid.UUID(registration_id),
        kind,
        id_number,
        field,
        old_value,
        new_value,
        registered_at,
        applied,
        reason,
    )
    return bool(inserted)


async def mark_deceased(conn: asyncpg.Connection, id_number: str, date_of_death: date) -> bool:
    updated: str = await conn.execute(
        """UPDATE citizens SET status = 'deceased', date_of_death = $2,
               updated_at = clock_timestamp()
           WHERE id_number = $1""",
        id_number,
        date_of_death,
    )
    return updated.endswith(" 1")


async def change_field(conn: asyncpg.Connection, id_number: str, field: str, value: Any) -> bool:
    if field == "full_name":
        status: str = await conn.execute(
            """UPDATE citizens SET full_name = $2, block_key = $3, family_key = $4,
                   given_key = $5, updated_at = clock_timestamp()
               WHERE id_number = $1""",
            id_number,
            value,
            block_key(value),
            family_key(value),
            given_key(value),
        )
    elif field == "birth_date":
        status = await conn.execute(
            "UPDATE citizens SET birth_date = $2, updated_at = clock_timestamp()"
            " WHERE id_number = $1",
            id_number,
            value,
        )
    elif field == "gender":
        status = await conn.execute(
            "UPDATE citizens SET gender = $2, updated_at = clock_timestamp() WHERE id_number = $1",
            id_number,
            value,
        )
    else:
        raise ValueError("unknown register field")
    return status.endswith(" 1")


async def set_parents(
    conn: asyncpg.Connection, id_number: str, mother: str | None, father: str | None
) -> None:
    await conn.execute(
        """UPDATE citizens SET mother_id_number = COALESCE($2, mother_id_number),
               father_id_number = COALESCE($3, father_id_number), updated_at = clock_timestamp()
           WHERE id_number = $1""",
        id_number,
        mother,
        father,
    )


async def merge_by_subject(
    conn: asyncpg.Connection, kept_subject_id: str, merged_subject_id: str
) -> bool:
    """Mark the record of ``merged_subject_id`` merged into the one of ``kept_subject_id``."""
    status: str = await conn.execute(
        """UPDATE citizens SET status = 'merged', updated_at = clock_timestamp(),
               merged_into = (SELECT id_number FROM citizens WHERE subject_id = $1)
           WHERE subject_id = $2 AND merged_into IS NULL
             AND EXISTS (SELECT 1 FROM citizens WHERE subject_id = $1)""",
        kept_subject_id,
        merged_subject_id,
    )
    return status.endswith(" 1")


async def record_card(
    conn: asyncpg.Connection,
    subject_id: str,
    card_number: str,
    valid_from: date,
    valid_until: date,
) -> None:
    await conn.execute(
        """INSERT INTO health_insurance_cards (card_number, subject_id, valid_from, valid_until)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (card_number) DO UPDATE SET subject_id = EXCLUDED.subject_id,
               valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until""",
        card_number,
        subject_id,
        valid_from,
        valid_until,
    )


async def end_cover(conn: asyncpg.Connection, subject_id: str, end_date: date) -> None:
    await conn.execute(
        """UPDATE health_insurance_cards SET ended_on = $2
           WHERE subject_id = $1 AND (ended_on IS NULL OR ended_on > $2)""",
        subject_id,
        end_date,
    )


async def cards_of(conn: asyncpg.Connection, subject_id: str) -> list[InsuranceCard]:
    rows = await conn.fetch(
        """SELECT card_number, valid_from, valid_until, ended_on FROM health_insurance_cards
           WHERE subject_id = $1 ORDER BY valid_until DESC""",
        subject_id,
    )
    return [
        InsuranceCard(r["card_number"], r["valid_from"], r["valid_until"], r["ended_on"])
        for r in rows
    ]


async def backfill_keys(conn: asyncpg.Connection) -> int:
    """Fill the blocking keys of records written before they existed; returns how many."""
    rows = await conn.fetch(
        """SELECT id_number, full_name FROM citizens
           WHERE block_key IS NULL OR family_key IS NULL OR given_key IS NULL"""
    )
    await conn.executemany(
        "UPDATE citizens SET block_key = $2, family_key = $3, given_key = $4 WHERE id_number = $1",
        [
            (
                row["id_number"],
                block_key(row["full_name"]),
                family_key(row["full_name"]),
                given_key(row["full_name"]),
            )
            for row in rows
        ],
    )
    return len(rows)


def status_of(row: asyncpg.Record) -> CitizenStatus:
    return CitizenStatus[str(row["status"]).upper()]
