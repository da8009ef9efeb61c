"""All SQL of the identity service (asyncpg)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg

from identity.domain.events import Gender, PersonRole, SubmittedPerson
from identity.domain.verification import Finding


async def record(
    conn: asyncpg.Connection,
    verification_id: uuid.UUID,
    dossier_id: str | None,
    subject_id: str,
    role: str,
    finding: Finding,
    checked_at: datetime,
    source: str = "dossier",
) -> None:
    await conn.execute(
        """INSERT INTO verifications (verification_id, dossier_id, subject_id, role, verified,
               category, field_matches, checked_at, source, matched_subject_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)""",
        verification_id,
        uuid.UUID(dossier_id) if dossier_id else None,
        subject_id,
        role,
        finding.verified,
        finding.category.name if finding.category else None,
        json.dumps({m.field: m.level.name for m in finding.field_matches}),
        checked_at,
        source,
        matched_subject_id(finding),
    )


def matched_subject_id(finding: Finding) -> str | None:
    """The record matched demographically, or named by a suggested correction."""
    if finding.matched is not None:
        return finding.matched.subject_id
    if finding.correction is not None:
        return finding.correction.record.subject_id
    return None


@dataclass(frozen=True)
class PendingCheck:
    request_id: uuid.UUID
    dossier_id: str | None
    source: str
    person: SubmittedPerson
    mother_id_number: str | None
    requested_at: datetime
    job_id: uuid.UUID | None = None
    row_no: int | None = None


@dataclass(frozen=True)
class NewPending:
    """A check about to wait for the registry's answer."""

    request_id: uuid.UUID
    dossier_id: str | None
    source: str
    person: SubmittedPerson
    requested_at: datetime
    mother_id_number: str | None = None
    job: tuple[uuid.UUID, int] | None = None


def _pending_args(p: NewPending) -> tuple[Any, ...]:
    stated = {
        "mother_id_number": p.mother_id_number,
        "id_number": p.person.id_number,
        "full_name": p.person.full_name,
        "birth_date": p.person.birth_date.isoformat() if p.person.birth_date else None,
        "gender": p.person.gender.name if p.person.gender else None,
    }
    return (
        p.request_id,
        uuid.UUID(p.dossier_id) if p.dossier_id else None,
        p.source,
        p.person.subject_id,
        p.person.role.name,
        json.dumps(stated),
        p.requested_at,
        p.job[0] if p.job else None,
        p.job[1] if p.job else None,
    )


_INSERT_PENDING = """INSERT INTO pending_checks (request_id, dossier_id, source, subject_id, role,
        stated, requested_at, job_id, row_no)
    VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)"""


async def add_pending(
    conn: asyncpg.Connection,
    request_id: uuid.UUID,
    dossier_id: str | None,
    source: str,
    person: SubmittedPerson,
    requested_at: datetime,
    mother_id_number: str | None = None,
    job: tuple[uuid.UUID, int] | None = None,
) -> None:
    await add_pending_many(
        conn,
        [NewPending(request_id, dossier_id, source, person, requested_at, mother_id_number, job)],
    )


async def add_pending_many(conn: asyncpg.Connection, checks: list[NewPending]) -> None:
    """All the checks in one pipelined statement (one round trip, not one per person)."""
    if len(checks) == 1:
        await conn.execute(_INSERT_PENDING, *_pending_args(checks[0]))
    elif checks:
        await conn.executemany(_INSERT_PENDING, [_pending_args(c) for c in checks])


def _pending(row: asyncpg.Record) -> PendingCheck:
    stated: dict[str, Any] = json.loads(row["stated"])
    person = SubmittedPerson(
        role=PersonRole[row["role"]],
        subject_id=row["subject_id"],
        id_number=stated["id_number"],
        full_name=stated["full_name"],
        birth_date=date.fromisoformat(stated["birth_date"]) if stated["birth_date"] else None,
        gender=Gender[stated["gender"]] if stated["gender"] else None,
    )
    return PendingCheck(
        request_id=row["request_id"],
        dossier_id=str(row["dossier_id"]) if row["dossier_id"] else None,
        source=row["source"],
        person=person,
        mother_id_number=stated.get("mother_id_number"),
        requested_at=row["requested_at"],
        job_id=row["job_id"],
        row_no=row["row_no"],
    )


async def take_pending(conn: asyncpg.Connection, request_id: uuid.UUID) -> PendingCheck | None:
    """Remove and return the check waiting for this answer (``None`` if already answered)."""
    row = await conn.fetchrow(
        "DELETE FROM pending_checks WHERE request_id = $1 RETURNING *", request_id
    )
    return _pending(row) if row is not None else None


async def take_pending_many(
    conn: asyncpg.Connection, request_ids: list[uuid.UUID]
) -> dict[uuid.UUID, PendingCheck]:
    """Remove and return the checks waiting for these answers, by request id; the ones
    answered already are absent."""
    rows = await conn.fetch(
        "DELETE FROM pending_checks WHERE request_id = ANY($1::uuid[]) RETURNING *", request_ids
    )
    return {row["request_id"]: _pending(row) for row in rows}


async def pending_count(conn: asyncpg.Connection) -> int:
    count: int = await conn.fetchval("SELECT count(*) FROM pending_checks")
    return count


async def cleared_candidates(conn: asyncpg.Connection, subject_id: str) -> frozenset[str]:
    """Subject ids an officer decided are a different person from ``subject_id``."""
    rows = await conn.fetch(
        """SELECT CASE WHEN subject_id = $1 THEN candidate_subject_id ELSE subject_id END AS other
           FROM review_cases
           WHERE status = 'DIFFERENT_PERSONS' AND (subject_id = $1 OR candidate_subject_id = $1)""",
        subject_id,
    )
    return frozenset(r["other"] for r in rows)


async def open_case(
    conn: asyncpg.Connection,
    case_id: uuid.UUID,
    subject_id: str,
    candidate_subject_id: str,
    verification_id: uuid.UUID,
    name_score: float,
    reason: str,
    opened_at: datetime,
    dossier_id: str | None = None,
    candidates: list[dict[str, Any]] | None = None,
) -> bool:
    """Open a review case unless the pair already has one, ever; True if opened. A pair
    that has a case gets a reference to this verification instead (later dossiers naming
    the same pair add a reference, not a case)."""
    opened: bool | None = await conn.fetchval(
        """INSERT INTO review_cases (case_id, subject_id, candidate_subject_id, verification_id,
               name_score, reason, opened_at, candidates)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
           ON CONFLICT (pair_low, pair_high) DO NOTHING RETURNING true""",
        case_id,
        subject_id,
        candidate_subject_id,
        verification_id,
        name_score,
        reason,
        opened_at,
        json.dumps(candidates or []),
    )
    if not opened:
        await conn.execute(
            """INSERT INTO review_case_references (case_id, verification_id, dossier_id,
                   referenced_at)
               SELECT case_id, $3, $4, $5 FROM review_cases
               WHERE pair_low = LEAST($1, $2) AND pair_high = GREATEST($1, $2)
               ON CONFLICT DO NOTHING""",
            subject_id,
            candidate_subject_id,
            verification_id,
            uuid.UUID(dossier_id) if dossier_id else None,
            opened_at,
        )
    return bool(opened)


async def open_correction(
    conn: asyncpg.Connection,
    case_id: uuid.UUID,
    subject_id: str,
    record_subject_id: str,
    verification_id: uuid.UUID,
    dossier_id: str | None,
    corrections: list[dict[str, str]],
    score: float,
    opened_at: datetime,
) -> bool:
    """Open a correction case unless this person, record and suggestion have one; True if
    opened, else a reference to this verification is added to the existing case."""
    key = json.dumps(sorted((c["field"], c["suggested"]) for c in corrections))
    dossier = uuid.UUID(dossier_id) if dossier_id else None
    opened: bool | None = await conn.fetchval(
        """INSERT INTO correction_cases (case_id, subject_id, record_subject_id, verification_id,
               dossier_id, corrections, corrections_key, score, opened_at)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)
           ON CONFLICT (subject_id, record_subject_id, corrections_key) DO NOTHING
           RETURNING true""",
        case_id,
        subject_id,
        record_subject_id,
        verification_id,
        dossier,
        json.dumps(corrections),
        key,
        score,
        opened_at,
    )
    if not opened:
        await conn.execute(
            """INSERT INTO correction_case_references (case_id, verification_id, dossier_id,
                   referenced_at)
               SELECT case_id, $4, $5, $6 FROM correction_cases
               WHERE subject_id = $1 AND record_subject_id = $2 AND corrections_key = $3
               ON CONFLICT DO NOTHING""",
            subject_id,
            record_subject_id,
            key,
            verification_id,
            dossier,
            opened_at,
        )
    return bool(opened)


async def lock_correction(conn: asyncpg.Connection, case_id: uuid.UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM correction_cases WHERE case_id = $1 FOR UPDATE", case_id
    )
    return row


async def decide_correction(
    conn: asyncpg.Connection,
    case_id: uuid.UUID,
    status: str,
    decided_by: str,
    decided_by_unit: str | None,
    decided_at: datetime,
) -> None:
    await conn.execute(
        """UPDATE correction_cases SET status = $2, decided_by = $3, decided_by_unit = $4,
               decided_at = $5
           WHERE case_id = $1""",
        case_id,
        status,
        decided_by,
        decided_by_unit,
        decided_at,
    )


_CORRECTION_COLUMNS = """c.case_id, c.subject_id, c.record_subject_id, c.verification_id,
    c.dossier_id, c.corrections, c.score, c.status, c.opened_at, c.decided_by,
    c.decided_by_unit, c.decided_at,
    (SELECT count(*) FROM correction_case_references r WHERE r.case_id = c.case_id)
        AS references"""


async def list_corrections(
    conn: asyncpg.Connection, status: str, limit: int
) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        f"""SELECT {_CORRECTION_COLUMNS} FROM correction_cases c WHERE c.status = $1
            ORDER BY c.opened_at, c.case_id LIMIT $2""",
        status,
        limit,
    )
    return rows


async def get_correction(conn: asyncpg.Connection, case_id: uuid.UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        f"SELECT {_CORRECTION_COLUMNS} FROM correction_cases c WHERE c.case_id = $1", case_id
    )
    return row


_CASE_COLUMNS = """c.*,
    (SELECT count(*) FROM review_case_references r WHERE r.case_id = c.case_id) AS references"""


async def get_case(conn: asyncpg.Connection, case_id: uuid.UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        f"SELECT {_CASE_COLUMNS} FROM review_cases c WHERE c.case_id = $1", case_id
    )
    return row


async def lock_case(conn: asyncpg.Connection, case_id: uuid.UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM review_cases WHERE case_id = $1 FOR UPDATE", case_id
    )
    return row


async def decide_case(
    conn: asyncpg.Connection,
    case_id: uuid.UUID,
    status: str,
    decided_by: str,
    decided_by_unit: str | None,
    decided_at: datetime,
) -> None:
    await conn.execute(
        """UPDATE review_cases SET status = $2, decided_by = $3, decided_by_unit = $4,
               decided_at = $5
           WHERE case_id = $1""",
        case_id,
        status,
        decided_by,
        decided_by_unit,
        decided_at,
    )


async def list_cases(conn: asyncpg.Connection, status: str, limit: int) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(
        f"""SELECT {_CASE_COLUMNS} FROM review_cases c WHERE c.status = $1
            ORDER BY c.opened_at, c.case_id LIMIT $2""",
        status,
        limit,
    )
    return rows


async def reconciliation_counts(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Checks per source and outcome category (``VERIFIED`` when verified)."""
    rows: list[asyncpg.Record] = await conn.fetch(
        """SELECT source, COALESCE(category, 'VERIFIED') AS category, count(*) AS n
           FROM verifications GROUP BY source, COALESCE(category, 'VERIFIED')
           ORDER BY source, category"""
    )
    return rows


async def birth_request_counts(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Checked children of civil-registry birth registrations (the birth ID-number
    requests) per outcome category (``VERIFIED`` when verified)."""
    rows: list[asyncpg.Record] = await conn.fetch(
        """SELECT COALESCE(category, 'VERIFIED') AS category, count(*) AS n
           FROM verifications WHERE source = 'civil_registry' AND role = 'CHILD'
           GROUP BY COALESCE(category, 'VERIFIED')"""
    )
    return rows


async def create_job(
    conn: asyncpg.Connection, job_id: uuid.UUID, dataset: str, officer: str, at: datetime
) -> None:
    await conn.execute(
        """INSERT INTO bulk_jobs (job_id, dataset, created_by, created_at)
           VALUES ($1, $2, $3, $4) ON CONFLICT (job_id) DO NOTHING""",
        job_id,
        dataset,
        officer,
        at,
    )


async def job_exists(conn: asyncpg.Connection, job_id: uuid.UUID) -> bool:
    found: bool = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM bulk_jobs WHERE job_id = $1)", job_id
    )
    return found


async def add_row(conn: asyncpg.Connection, job_id: uuid.UUID, row_no: int, at: datetime) -> bool:
    """Receive a row once; False if it was received already."""
    added: bool | None = await conn.fetchval(
        """INSERT INTO bulk_rows (job_id, row_no, received_at) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING RETURNING true""",
        job_id,
        row_no,
        at,
    )
    return bool(added)


async def conclude_row(
    conn: asyncpg.Connection,
    job_id: uuid.UUID,
    row_no: int,
    outcome: str,
    category: str | None,
    at: datetime,
) -> None:
    await conn.execute(
        """UPDATE bulk_rows SET outcome = $3, category = $4, concluded_at = $5
           WHERE job_id = $1 AND row_no = $2""",
        job_id,
        row_no,
        outcome,
        category,
        at,
    )


async def job_progress(conn: asyncpg.Connection, job_id: uuid.UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        """SELECT j.job_id, j.dataset, j.created_by, j.created_at,
                  count(r.row_no) AS received,
                  COALESCE(max(r.row_no) + 1, 0) AS next_row,
                  count(r.outcome) AS concluded,
                  count(*) FILTER (WHERE r.outcome = 'VERIFIED') AS verified,
                  count(*) FILTER (WHERE r.outcome = 'WRONG') AS wrong,
                  count(*) FILTER (WHERE r.outcome = 'MISSING') AS missing
           FROM bulk_jobs j LEFT JOIN bulk_rows r ON r.job_id = j.job_id
           WHERE j.job_id = $1
           GROUP BY j.job_id""",
        job_id,
    )
    return row
