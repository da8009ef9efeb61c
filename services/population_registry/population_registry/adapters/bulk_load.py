"""Stores checked extract rows in batches: COPY into a staging table, then one upsert into
``citizens`` and ``citizen_aliases``, with the import's progress in the same transaction.

Why this exists: a million row-by-row upserts take an hour; COPY of a batch and one
set-based upsert take seconds. Progress (rows read, stored, refused by reason) commits with
the batch, so a crash resumes after the last stored batch (ADR 0142).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import asyncpg

from lienthong.subjects import SubjectIds
from population_registry.domain.extract import ExtractedCitizen

_STAGING = """CREATE TEMP TABLE IF NOT EXISTS citizens_import (
    id_number char(12), subject_id text, full_name text, birth_date date, gender text,
    status text, date_of_death date, mother_id_number char(12), father_id_number char(12),
    block_key text, family_key text, given_key text, birth_place_code text,
    cmnd_number char(9)) ON COMMIT DELETE ROWS"""
_COLUMNS = (
    "id_number",
    "subject_id",
    "full_name",
    "birth_date",
    "gender",
    "status",
    "date_of_death",
    "mother_id_number",
    "father_id_number",
    "block_key",
    "family_key",
    "given_key",
    "birth_place_code",
    "cmnd_number",
)


@dataclass(frozen=True)
class Progress:
    rows_read: int
    rows_stored: int
    refused: dict[str, int]
    finished: bool


async def progress_of(conn: asyncpg.Connection, import_id: str, source: str) -> Progress:
    """Where an import stands (a new one starts at zero)."""
    await conn.execute(
        "INSERT INTO population_imports (import_id, source) VALUES ($1, $2) "
        "ON CONFLICT (import_id) DO NOTHING",
        import_id,
        source,
    )
    row = await conn.fetchrow(
        "SELECT rows_read, rows_stored, refused, finished_at FROM population_imports "
        "WHERE import_id = $1",
        import_id,
    )
    return Progress(
        int(row["rows_read"]),
        int(row["rows_stored"]),
        dict(json.loads(row["refused"])),
        row["finished_at"] is not None,
    )


async def store_batch(
    conn: asyncpg.Connection,
    subjects: SubjectIds,
    import_id: str,
    citizens: Sequence[ExtractedCitizen],
    rows_read: int,
    refused: Mapping[str, int],
    finished: bool,
) -> None:
    """One transaction: the batch's citizens (a later row of the same number wins) and the
    import's progress."""
    records = [
        (
            c.id_number,
            subjects.for_id_number(c.id_number),
            c.full_name,
            c.birth_date,
            c.gender,
            "deceased" if c.date_of_death else "alive",
            c.date_of_death,
            c.mother_id_number,
            c.father_id_number,
            c.block_key,
            c.family_key,
            c.given_key,
            c.birth_place_code,
            c.cmnd_number,
        )
        for c in citizens
    ]
    async with conn.transaction():
        await conn.execute(_STAGING)
        await conn.copy_records_to_table("citizens_import", records=records, columns=_COLUMNS)
        await conn.execute(
            """INSERT INTO citizens (id_number, subject_id, full_name, birth_date, gender,
                   status, date_of_death, mother_id_number, father_id_number, block_key,
                   family_key, given_key, birth_place_code)
               SELECT DISTINCT ON (id_number) id_number, subject_id, full_name, birth_date,
                   gender, status, date_of_death, mother_id_number, father_id_number,
                   block_key, family_key, given_key, birth_place_code
               FROM citizens_import ORDER BY id_number
               ON CONFLICT (id_number) DO UPDATE SET full_name = EXCLUDED.full_name,
                   birth_date = EXCLUDED.birth_date, gender = EXCLUDED.gender,
                   status = EXCLUDED.status, date_of_death = EXCLUDED.date_of_death,
                   mother_id_number = EXCLUDED.mother_id_number,
                   father_id_number = EXCLUDED.father_id_number,
                   block_key = EXCLUDED.block_key, family_key = EXCLUDED.family_key,
                   given_key = EXCLUDED.given_key,
                   birth_place_code = EXCLUDED.birth_place_code,
                   updated_at = clock_timestamp()"""
        )
        await conn.execute(
            """INSERT INTO citizen_aliases (cmnd_number, id_number)
               SELECT DISTINCT ON (cmnd_number) cmnd_number, id_number FROM citizens_import
               WHERE cmnd_number IS NOT NULL ORDER BY cmnd_number
               ON CONFLICT (cmnd_number) DO UPDATE SET id_number = EXCLUDED.id_number"""
        )
        await conn.execute(
            """UPDATE population_imports
               SET rows_read = $2, rows_stored = rows_stored + $3, refused = $4::jsonb,
                   finished_at = CASE WHEN $5 THEN clock_timestamp() END
               WHERE import_id = $1""",
            import_id,
            rows_read,
            len(records),
            json.dumps(dict(refused), sort_keys=True),
            finished,
        )
