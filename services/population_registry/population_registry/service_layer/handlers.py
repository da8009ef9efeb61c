"""Population registry handlers."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lienthong.bus import UnitOfWork
from lienthong.subjects import SubjectIds
from lienthong.vn.id_numbers import build_id_number
from lienthong.vn.provinces import PROVINCE_NAMES_BY_CODE
from population_registry.domain.events import (
    POPULATION_EVENTS,
    IssuePersonalIdNumber,
    PersonalIdNumberIssued,
    PersonalIdNumberRefused,
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
                POPULATION_EVENTS,
                key=cmd.bundle_id,
                event=PersonalIdNumberRefused(
                    cmd.command_id, cmd.bundle_id, cmd.subject_id, refusal, now
                ),
                time=now,
                subject=cmd.subject_id,
            )
            return
        id_number = await _allocate(uow, cmd, deps, now)
        issued_at = now
    await uow.emit(
        POPULATION_EVENTS,
        key=cmd.bundle_id,
        event=PersonalIdNumberIssued(
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
            """INSERT INTO citizens (id_number, subject_id, full_name, birth_date, gender)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true""",
            number,
            deps.subjects.for_id_number(number),
            cmd.full_name,
            cmd.birth_date,
            cmd.gender.name,
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


HANDLERS: dict[type, Any] = {IssuePersonalIdNumber: issue_id_number}
