"""SQL for dossiers (asyncpg); the only module that knows the intake tables."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg

from intake.domain.model import Channel, Dossier, DossierStatus, Gender, Person, PersonRole


async def lock_idempotency_key(conn: asyncpg.Connection, key: str) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", key)


async def find_by_idempotency_key(
    conn: asyncpg.Connection, key: str
) -> tuple[uuid.UUID, str | None] | None:
    row = await conn.fetchrow(
        "SELECT id, request_fingerprint FROM dossiers WHERE idempotency_key = $1", key
    )
    return (row["id"], row["request_fingerprint"]) if row else None


async def next_sequence(conn: asyncpg.Connection, unit_code: str, day: date) -> int:
    value = await conn.fetchval(
        """INSERT INTO dossier_sequences (unit_code, day, last_value) VALUES ($1, $2, 1)
           ON CONFLICT (unit_code, day) DO UPDATE SET last_value = dossier_sequences.last_value + 1
           RETURNING last_value""",
        unit_code,
        day,
    )
    return int(value)


async def add(
    conn: asyncpg.Connection,
    dossier: Dossier,
    idempotency_key: str | None,
    request_fingerprint: str | None,
) -> None:
    await conn.execute(
        """INSERT INTO dossiers (id, code, procedure_code, channel, unit_code, status,
               submitted_at, appointment_at, document_refs, officer_id,
               idempotency_key, request_fingerprint)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
        dossier.id,
        dossier.code,
        dossier.procedure_code,
        dossier.channel.value,
        dossier.unit_code,
        dossier.status.value,
        dossier.submitted_at,
        dossier.appointment_at,
        list(dossier.document_refs),
        dossier.officer_id,
        idempotency_key,
        request_fingerprint,
    )
    await conn.executemany(
        """INSERT INTO dossier_persons (dossier_id, position, role, subject_id, id_number,
               full_name, birth_date, gender)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
        [
            (
                dossier.id,
                i,
                p.role.value,
                p.subject_id,
                p.id_number,
                p.full_name,
                p.birth_date,
                p.gender.value if p.gender else None,
            )
            for i, p in enumerate(dossier.persons)
        ],
    )


async def get(conn: asyncpg.Connection, dossier_id: uuid.UUID) -> Dossier | None:
    row = await conn.fetchrow("SELECT * FROM dossiers WHERE id = $1", dossier_id)
    if row is None:
        return None
    persons = await conn.fetch(
        "SELECT * FROM dossier_persons WHERE dossier_id = $1 ORDER BY position", dossier_id
    )
    return Dossier(
        id=row["id"],
        code=row["code"],
        procedure_code=row["procedure_code"],
        channel=Channel(row["channel"]),
        unit_code=row["unit_code"],
        status=DossierStatus(row["status"]),
        submitted_at=row["submitted_at"],
        appointment_at=row["appointment_at"],
        document_refs=tuple(row["document_refs"]),
        officer_id=row["officer_id"],
        persons=tuple(
            Person(
                role=PersonRole(p["role"]),
                subject_id=p["subject_id"],
                id_number=p["id_number"],
                full_name=p["full_name"],
                birth_date=p["birth_date"],
                gender=Gender(p["gender"]) if p["gender"] else None,
            )
            for p in persons
        ),
    )
