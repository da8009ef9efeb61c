"""Population registry handlers."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import asyncpg

from lienthong.bounds import EARLIEST_BIRTH
from lienthong.bus import UnitOfWork
from lienthong.subjects import SubjectIds
from lienthong.vn.id_numbers import build_id_number
from lienthong.vn.provinces import PROVINCE_NAMES_BY_CODE
from population_registry.adapters import repository
from population_registry.domain.events import (
    BirthRegistered,
    CitizenRecord,
    CitizenStatus,
    CitizenVerificationAnswered,
    CitizenVerificationBatchAnswered,
    CitizenVerificationBatchRequested,
    CitizenVerificationRequested,
    CivilStatusChanged,
    DeathRegistered,
    DuplicateReviewDecided,
    Gender,
    HealthInsuranceCardIssued,
    HealthInsuranceEnded,
    IssuePersonalIdNumber,
    MatchedBy,
    PersonalIdNumberIssued,
    PersonalIdNumberRefused,
    ReviewDecision,
    VerificationAnswer,
    VerificationRequest,
)
from population_registry.domain.model import (
    CHANGEABLE_FIELDS,
    block_key,
    canonical_name,
    family_key,
    given_key,
    is_cmnd,
    is_id_number,
)

MAX_SERIAL_ATTEMPTS = 20


@dataclass(frozen=True)
class Dependencies:
    subjects: SubjectIds


async def issue_id_number(cmd: IssuePersonalIdNumber, uow: UnitOfWork, deps: Dependencies) -> None:
    now = datetime.now(UTC)
    command_id = uuid.UUID(cmd.command_id)
    previous = await uow.conn.fetchrow(
        "SELECT id_number, issued_at FROM id_number_issuances WHERE command_id = $1", command_id
    )
    if previous is not None:
        id_number, issued_at = previous["id_number"], previous["issued_at"]
    else:
        refusal = _refusal(cmd)
        if refusal is not None:
            await uow.emit(
                PersonalIdNumberRefused(
                    cmd.command_id, cmd.bundle_id, cmd.subject_id, refusal, now
                ),
                time=now,
                subject=cmd.subject_id,
            )
            return
        try:
            id_number = await _allocate(uow, cmd, deps, now)
        except ValueError as cannot:
            # A command this registry cannot apply is refused with its reason, so the saga
            # compensates instead of the command dead-lettering on every resend.
            await uow.emit(
                PersonalIdNumberRefused(
                    cmd.command_id, cmd.bundle_id, cmd.subject_id, f"CANNOT_ISSUE: {cannot}", now
                ),
                time=now,
                subject=cmd.subject_id,
            )
            return
        issued_at = now
    await uow.emit(
        PersonalIdNumberIssued(
            command_id=cmd.command_id,
            bundle_id=cmd.bundle_id,
            provisional_subject_id=cmd.subject_id,
            subject_id=deps.subjects.for_id_number(id_number),
            id_number=id_number,
            issued_at=issued_at,
        ),
        time=issued_at,
        subject=deps.subjects.for_id_number(id_number),
    )


def _refusal(cmd: IssuePersonalIdNumber) -> str | None:
    if cmd.registration_province_code not in PROVINCE_NAMES_BY_CODE:
        return "UNKNOWN_REGISTRATION_PROVINCE"
    if cmd.gender.name == "UNKNOWN":
        return "GENDER_REQUIRED"
    if cmd.birth_date > cmd.requested_at.date():
        return "BIRTH_DATE_IN_FUTURE"
    if cmd.birth_date < EARLIEST_BIRTH:
        return "BIRTH_DATE_IMPLAUSIBLE"
    return None


async def _allocate(
    uow: UnitOfWork, cmd: IssuePersonalIdNumber, deps: Dependencies, now: datetime
) -> str:
    for _ in range(MAX_SERIAL_ATTEMPTS):
        number = build_id_number(
            cmd.registration_province_code,
            cmd.gender.name,
            cmd.birth_date,
            secrets.randbelow(10**6),
        )
        inserted = await uow.conn.fetchval(
            """INSERT INTO citizens (id_number, subject_id, full_name, birth_date, gender,
                   block_key, family_key, given_key)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING true""",
            number,
            deps.subjects.for_id_number(number),
            canonical_name(cmd.full_name),
            cmd.birth_date,
            cmd.gender.name,
            block_key(cmd.full_name),
            family_key(cmd.full_name),
            given_key(cmd.full_name),
        )
        if inserted:
            await uow.conn.execute(
                """INSERT INTO id_number_issuances
                       (command_id, provisional_subject_id, id_number, issued_at)
                   VALUES ($1, $2, $3, $4)""",
                uuid.UUID(cmd.command_id),
                cmd.subject_id,
                number,
                now,
            )
            return number
    raise RuntimeError("no free serial found for this province, gender and year")


def _record(row: asyncpg.Record) -> CitizenRecord:
    return CitizenRecord(
        subject_id=row["subject_id"],
        id_number=row["id_number"],
        full_name=row["full_name"],
        birth_date=row["birth_date"],
        gender=Gender[row["gender"]] if row["gender"] in Gender.__members__ else Gender.UNKNOWN,
        status=CitizenStatus[str(row["status"]).upper()],
        mother_id_number=row["mother_id_number"],
        birth_place_code=row["birth_place_code"],
    )


async def answer_verification(
    request: CitizenVerificationRequested, uow: UnitOfWork, deps: Dependencies
) -> None:
    """Find the person (by 12-digit number, else by old CMND alias) and the records in the
    same duplicate block; answer with both. With no number or an unknown one, the
    candidates are those of the demographic search. Re-answering a redelivered request is harmless:
    identity applies one answer per request id."""
    answer = await _look_up(uow.conn, request)
    now = datetime.now(UTC)
    await uow.emit(
        CitizenVerificationAnswered(
            request_id=answer.request_id,
            subject_id=answer.subject_id,
            matched_by=answer.matched_by,
            record=answer.record,
            candidates=answer.candidates,
            answered_at=now,
        ),
        time=now,
        subject=request.subject_id,
    )


async def answer_verification_batch(
    batch: CitizenVerificationBatchRequested, uow: UnitOfWork, deps: Dependencies
) -> None:
    """Every person of the batch looked up as a single request is; one answer message."""
    answers = [await _look_up(uow.conn, request) for request in batch.requests]
    if not answers:
        return
    now = datetime.now(UTC)
    await uow.emit(
        CitizenVerificationBatchAnswered(batch.batch_id, batch.subject_id, tuple(answers), now),
        time=now,
        subject=batch.subject_id if len(answers) == 1 else None,
    )


async def _look_up(
    conn: asyncpg.Connection, request: CitizenVerificationRequested | VerificationRequest
) -> VerificationAnswer:
    row: asyncpg.Record | None = None
    matched_by = MatchedBy.NONE
    number = "".join((request.id_number or "").split())
    if is_id_number(number):
        row = await repository.citizen_by_id_number(conn, number)
        matched_by = MatchedBy.ID_NUMBER if row is not None else MatchedBy.NONE
    elif is_cmnd(number):
        row = await repository.citizen_by_cmnd(conn, number)
        matched_by = MatchedBy.CMND_ALIAS if row is not None else MatchedBy.NONE
    if row is not None and row["merged_into"] is not None:
        survivor = await repository.citizen_by_id_number(conn, row["merged_into"])
        row = survivor or row
    candidates: list[asyncpg.Record] = []
    if row is not None:
        candidates = await repository.duplicate_candidates(
            conn,
            row["full_name"],
            row["birth_date"],
            row["mother_id_number"] or request.mother_id_number,
            row["id_number"],
            row["gender"],
        )
    elif request.birth_date is not None:
        # No number, or one the register does not hold: search by name and birth date with
        # keys that survive typos and legacy text (identity scores and decides).
        candidates = await repository.demographic_candidates(
            conn, request.full_name, request.birth_date, request.mother_id_number
        )
    return VerificationAnswer(
        request_id=request.request_id,
        subject_id=request.subject_id,
        matched_by=matched_by,
        record=_record(row) if row is not None else None,
        candidates=tuple(_record(c) for c in candidates),
    )


async def apply_birth(event: BirthRegistered, uow: UnitOfWork, deps: Dependencies) -> None:
    """A registered birth: the parents become known for the child's record (used by the
    duplicate search); a child not numbered yet gets its number through the birth bundle."""
    child = event.child
    mother = _valid_number(event.mother.id_number if event.mother else None)
    father = _valid_number(event.father.id_number if event.father else None)
    target = child.id_number if child.id_number and is_id_number(child.id_number) else None
    applied = False
    if target is not None:
        applied = await repository.citizen_by_id_number(uow.conn, target) is not None
        if applied:
            await repository.set_parents(uow.conn, target, mother, father)
    await repository.mark_applied(
        uow.conn,
        event.registration_id,
        "BIRTH",
        event.registered_at,
        id_number=target,
        applied=applied,
        reason=None if applied else "child not numbered yet or not in the register",
    )


def _valid_number(number: str | None) -> str | None:
    return number if number and is_id_number(number) else None


async def apply_death(event: DeathRegistered, uow: UnitOfWork, deps: Dependencies) -> None:
    """A registered death marks the citizen deceased (the record stays: history)."""
    number = _valid_number(event.deceased.id_number)
    applied = bool(number) and await repository.mark_deceased(
        uow.conn, str(number), event.date_of_death
    )
    await repository.mark_applied(
        uow.conn,
        event.registration_id,
        "DEATH",
        event.registered_at,
        id_number=number if applied else None,
        applied=applied,
        reason=None if applied else "deceased not found in the register",
    )


async def apply_civil_status_change(
    event: CivilStatusChanged, uow: UnitOfWork, deps: Dependencies
) -> None:
    """A name, birth-date or gender change reaches the population data (the 2022 report's
    missing propagation); the before/after values stay in ``applied_registrations``."""
    number = event.person.id_number
    value: object = event.new_value
    reason: str | None = None
    if event.field not in CHANGEABLE_FIELDS:
        reason = "field not held by the register"
    elif not number or not is_id_number(number):
        reason = "person has no personal ID number"
    else:
        try:
            if event.field == "full_name":
                value = canonical_name(event.new_value)
            elif event.field == "birth_date":
                value = date.fromisoformat(event.new_value)
            elif event.new_value.upper() in ("MALE", "FEMALE"):
                value = event.new_value.upper()
            else:
                reason = "gender must be MALE or FEMALE"
        except ValueError:
            reason = "new value is not a valid date"
    applied = False
    if reason is None and number:
        applied = await repository.change_field(uow.conn, number, event.field, value)
        reason = None if applied else "person not found in the register"
    await repository.mark_applied(
        uow.conn,
        event.registration_id,
        "CIVIL_STATUS_CHANGE",
        event.registered_at,
        id_number=number if applied else None,
        applied=applied,
        reason=reason,
        field=event.field,
        old_value=event.old_value,
        new_value=event.new_value,
    )


async def apply_review_decision(
    event: DuplicateReviewDecided, uow: UnitOfWork, deps: Dependencies
) -> None:
    """An officer confirmed two records are one person: the candidate is merged into the
    subject's record (kept, marked MERGED, answers point to the survivor)."""
    if event.decision is ReviewDecision.SAME_PERSON:
        await repository.merge_by_subject(uow.conn, event.subject_id, event.candidate_subject_id)


async def record_insurance_card(
    event: HealthInsuranceCardIssued, uow: UnitOfWork, deps: Dependencies
) -> None:
    """BHYT cover synced from BHXH (what lets a clinic take the CCCD as the insurance card)."""
    await repository.record_card(
        uow.conn, event.subject_id, event.card_number, event.valid_from, event.valid_until
    )


async def end_insurance_cover(
    event: HealthInsuranceEnded, uow: UnitOfWork, deps: Dependencies
) -> None:
    await repository.end_cover(uow.conn, event.subject_id, event.end_date)


HANDLERS: dict[type, Any] = {
    IssuePersonalIdNumber: issue_id_number,
    CitizenVerificationRequested: answer_verification,
    CitizenVerificationBatchRequested: answer_verification_batch,
    BirthRegistered: apply_birth,
    DeathRegistered: apply_death,
    CivilStatusChanged: apply_civil_status_change,
    DuplicateReviewDecided: apply_review_decision,
    HealthInsuranceCardIssued: record_insurance_card,
    HealthInsuranceEnded: end_insurance_cover,
}
