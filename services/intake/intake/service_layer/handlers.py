"""Intake handlers: plain functions, registered in ``HANDLERS``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from intake.adapters import repository
from intake.domain import errors
from intake.domain.commands import SubmitDossier
from intake.domain.events import DOSSIER_TOPIC, DossierSubmitted, SubmittedPerson
from intake.domain.model import Dossier, DossierStatus, Person, dossier_code
from intake.domain.procedures import ProcedureCatalog
from intake.domain.units import UnitDirectory
from lienthong.bus import UnitOfWork
from lienthong.subjects import SubjectIds
from lienthong.vn.working_time import WorkingCalendar

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Dependencies:
    procedures: ProcedureCatalog
    units: UnitDirectory
    calendar: WorkingCalendar
    subjects: SubjectIds


async def submit_dossier(cmd: SubmitDossier, uow: UnitOfWork, deps: Dependencies) -> Dossier:
    if cmd.idempotency_key:
        await repository.lock_idempotency_key(uow.conn, cmd.idempotency_key)
        existing = await repository.find_by_idempotency_key(uow.conn, cmd.idempotency_key)
        if existing is not None:
            dossier_id, fingerprint = existing
            if fingerprint != cmd.request_fingerprint:
                raise errors.IdempotencyConflict(
                    "the key was first used with a different request body"
                )
            found = await repository.get(uow.conn, dossier_id)
            assert found is not None
            return found
    if cmd.procedure_code not in deps.procedures:
        raise errors.UnknownProcedure(f"procedure {cmd.procedure_code!r}", "/procedure_code")
    if cmd.unit_code not in deps.units:
        raise errors.UnknownUnit(f"unit {cmd.unit_code!r}", "/unit_code")
    procedure = deps.procedures.get(cmd.procedure_code)
    received = cmd.received_at.astimezone(VIETNAM)
    appointment = deps.calendar.appointment_for(received, procedure.processing_time)
    sequence = await repository.next_sequence(uow.conn, cmd.unit_code, received.date())
    dossier_id = uuid.uuid4()
    persons = tuple(
        Person(
            role=p.role,
            subject_id=(
                deps.subjects.for_id_number(p.id_number)
                if p.id_number
                else deps.subjects.provisional(f"dossier:{dossier_id}", f"{p.role.value}:{i}")
            ),
            id_number=p.id_number,
            full_name=p.full_name,
            birth_date=p.birth_date,
            gender=p.gender,
        )
        for i, p in enumerate(cmd.persons)
    )
    dossier = Dossier(
        id=dossier_id,
        code=dossier_code(cmd.unit_code, received, sequence),
        procedure_code=procedure.code,
        channel=cmd.channel,
        unit_code=cmd.unit_code,
        status=DossierStatus.RECEIVED,
        submitted_at=cmd.received_at.astimezone(UTC),
        appointment_at=appointment.astimezone(UTC),
        persons=persons,
        document_refs=cmd.document_refs,
        officer_id=cmd.officer_id,
    )
    await repository.add(uow.conn, dossier, cmd.idempotency_key, cmd.request_fingerprint)
    applicant = next((p for p in persons if p.role.value == "applicant"), persons[0])
    await uow.emit(
        DOSSIER_TOPIC,
        key=str(dossier.id),
        event=DossierSubmitted(
            dossier_id=str(dossier.id),
            dossier_code=dossier.code,
            procedure_code=dossier.procedure_code,
            channel=dossier.channel,
            unit_code=dossier.unit_code,
            submitted_at=dossier.submitted_at,
            appointment_at=dossier.appointment_at,
            persons=tuple(
                SubmittedPerson(
                    p.role, p.subject_id, p.id_number, p.full_name, p.birth_date, p.gender
                )
                for p in persons
            ),
            document_refs=dossier.document_refs,
            officer_id=dossier.officer_id,
        ),
        time=dossier.submitted_at,
        subject=applicant.subject_id,
    )
    return dossier


HANDLERS: dict[type, Any] = {SubmitDossier: submit_dossier}


def now() -> datetime:
    return datetime.now(UTC)
