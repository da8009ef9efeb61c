"""Intake handlers: plain functions, registered in ``HANDLERS``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from intake.adapters import repository
from intake.domain import errors, rules
from intake.domain.commands import (
    ActOnDossier,
    FlagLateAcknowledgements,
    FlagOverdueDossiers,
    SubmitDossier,
)
from intake.domain.documents import check_documents
from intake.domain.events import (
    DossierAcknowledgementOverdue,
    DossierCompleted,
    DossierOverdue,
    DossierStatusChanged,
    DossierSubmitted,
    Outcome,
    PortalSyncAcknowledged,
    ResidenceEnded,
    ResidenceRegistered,
    SubmittedPerson,
)
from intake.domain.lifecycle import COMPLETING, Action, InvalidTransition, next_status
from intake.domain.model import Channel, Dossier, DossierStatus, Person, dossier_code_prefix
from intake.domain.procedures import ProcedureCatalog
from lienthong.bus import UnitOfWork
from lienthong.subjects import SubjectIds
from lienthong.vn.id_numbers import ID_NUMBER_LENGTH
from lienthong.vn.units import Unit, UnitDirectory, UnitRefusal, day_in_vietnam
from lienthong.vn.working_time import WorkingCalendar

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Dependencies:
    procedures: ProcedureCatalog
    units: UnitDirectory
    calendar: WorkingCalendar
    subjects: SubjectIds
    served_provinces: frozenset[str] = frozenset()
    """2025 province codes this deployment serves; empty: the whole country."""


def _unit_in_force(code: str, received_at: datetime, deps: Dependencies) -> Unit:
    """The unit of ``code`` in the layout in force on the day the dossier was received."""
    day = day_in_vietnam(received_at)
    found = deps.units.lookup(code, day)
    if isinstance(found, UnitRefusal):
        became = ", ".join(f"{u.code} ({u.name})" for u in found.successors)
        detail = f"{found.message}: {became}" if became else found.message
        if found.reason == "NOT_IN_FORCE":
            raise errors.UnitNotInForce(detail, "/unit_code", found.successors)
        raise errors.UnknownUnit(detail, "/unit_code")
    if not rules.served(deps.units, deps.served_provinces, code, day, day_in_vietnam(now())):
        raise errors.UnitNotServed(
            f"{found.name} ({code}) is not in a province this deployment serves", "/unit_code"
        )
    return found


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
    unit = _unit_in_force(cmd.unit_code, cmd.received_at, deps)
    procedure = deps.procedures.get(cmd.procedure_code)
    if procedure.routed_by_residence:
        cmd = replace(cmd, unit_code=await _residence_province(cmd, uow, deps))
        unit = _unit_in_force(cmd.unit_code, cmd.received_at, deps)
    if not rules.accepts(procedure, unit):
        raise errors.ProcedureNotAcceptedAtUnit(
            f"procedure {procedure.code} is received at "
            f"{', '.join(level.value for level in procedure.levels)} level, "
            f"not at unit {cmd.unit_code}",
            "/unit_code",
        )
    if cmd.documents is not None:
        problems = check_documents(procedure, cmd.documents)
        if problems:
            raise errors.InvalidDocuments(
                "; ".join(p.detail for p in problems),
                [
                    ("/documents" if p.index is None else f"/documents/{p.index}", p.detail)
                    for p in problems
                ],
            )
    received = cmd.received_at.astimezone(VIETNAM)
    appointment = deps.calendar.appointment_for(received, procedure.processing_time)
    acknowledgement_due = (
        deps.calendar.acknowledgement_deadline(received).astimezone(UTC)
        if rules.needs_acknowledgement_deadline(cmd.channel is Channel.PORTAL)
        else None
    )
    dossier_id = uuid.uuid4()
    persons = tuple(
        Person(
            role=p.role,
            subject_id=_subject_id(deps.subjects, p.id_number, dossier_id, p.role.value, i),
            id_number=p.id_number,
            full_name=p.full_name,
            birth_date=p.birth_date,
            gender=p.gender,
        )
        for i, p in enumerate(cmd.persons)
    )
    dossier = Dossier(
        id=dossier_id,
        code="",  # drawn from the unit's daily sequence as the row is stored
        procedure_code=procedure.code,
        channel=cmd.channel,
        unit_code=cmd.unit_code,
        status=DossierStatus.RECEIVED,
        submitted_at=cmd.received_at.astimezone(UTC),
        appointment_at=appointment.astimezone(UTC),
        persons=persons,
        document_refs=cmd.document_refs or tuple(d.ref for d in cmd.documents or ()),
        officer_id=cmd.officer_id,
        documents=cmd.documents or (),
        acknowledgement_due_at=acknowledgement_due,
    )
    code = await repository.add(
        uow.conn,
        dossier,
        cmd.idempotency_key,
        cmd.request_fingerprint,
        code_prefix=dossier_code_prefix(cmd.unit_code, received),
        day=received.date(),
    )
    dossier = replace(dossier, code=code)
    applicant = next((p for p in persons if p.role.value == "applicant"), persons[0])
    await uow.emit(
        DossierSubmitted(
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


async def _residence_province(cmd: SubmitDossier, uow: UnitOfWork, deps: Dependencies) -> str:
    """The province whose Department of Justice receives the dossier: that of the
    applicant's permanent residence, else temporary residence, in the residence register's
    facts. Never a guess: no ID number or no residence is a refusal that says which."""
    index, applicant = next(
        ((i, p) for i, p in enumerate(cmd.persons) if p.role.value == "applicant"),
        (0, cmd.persons[0]),
    )
    if not applicant.id_number:
        raise errors.ResidenceNotFound(
            "the applicant has no personal ID number to look their residence up with",
            f"/persons/{index}/id_number",
        )
    subject = deps.subjects.for_id_number(applicant.id_number)
    on = day_in_vietnam(cmd.received_at)
    for residence in await repository.residences_of(uow.conn, subject, on):
        province = _province_on(residence, on, deps)
        if province is not None:
            return province
    raise errors.ResidenceNotFound(
        "the residence register has no permanent or temporary residence of the applicant "
        f"in force on {on.isoformat()}; the receiving Department of Justice cannot be "
        "determined (ask the Police to register the residence, or receive the dossier at "
        "the Department of Justice of the province the applicant names, by hand)",
        f"/persons/{index}/id_number",
    )


def _province_on(residence: repository.KnownResidence, on: date, deps: Dependencies) -> str | None:
    """The code, in the layout in force on ``on``, of the province of a residence recorded
    with the unit code of its own day (a legacy commune after the 2025 reform)."""
    province = deps.units.province_of(residence.unit_code, on)
    if province is None:
        registered_on = day_in_vietnam(residence.registered_at)
        earlier = deps.units.province_of(residence.unit_code, registered_on)
        if earlier is None:
            return None
        province = deps.units.to_2025(earlier.code, registered_on) or earlier
    return province.code


async def record_residence(event: ResidenceRegistered, uow: UnitOfWork, deps: Dependencies) -> None:
    """Keep the residence register's latest fact per person and kind."""
    await repository.record_residence(
        uow.conn,
        event.subject_id,
        event.kind,
        uuid.UUID(event.residence_id),
        event.unit_code,
        event.registered_at,
        event.valid_until,
    )


async def end_residence(event: ResidenceEnded, uow: UnitOfWork, deps: Dependencies) -> None:
    await repository.end_residence(
        uow.conn, event.subject_id, event.kind, uuid.UUID(event.residence_id), event.ended_at
    )


#: An acknowledgement closes a notification procedure (stay notification, temporary absence).
NOTIFICATION_COMPLETING = frozenset({Action.ACKNOWLEDGE})
OUTCOMES = {
    Action.APPROVE: Outcome.APPROVED,
    Action.REJECT: Outcome.REJECTED,
    Action.ACKNOWLEDGE: Outcome.ACKNOWLEDGED,
}

#: How far in the future an officer's clock may be before an action is refused as future.
CLOCK_SKEW = timedelta(minutes=2)
NEEDS_REASON = frozenset(
    {Action.REJECT, Action.REQUEST_SUPPLEMENT, Action.APOLOGIZE, Action.CORRECT}
)


@dataclass(frozen=True)
class ActionRecorded:
    change_id: uuid.UUID
    status: DossierStatus
    sequence: int


def _subject_id(
    subjects: SubjectIds, number: str | None, dossier_id: uuid.UUID, role: str, index: int
) -> str:
    """The person's pseudonymous subject id: from the 12-digit number when given; from an
    old 9-digit CMND number, a stable provisional id (identity resolves the CMND to the
    person's record); otherwise one scoped to the dossier."""
    if number and len(number) == ID_NUMBER_LENGTH:
        return subjects.for_id_number(number)
    if number:
        return subjects.provisional("cmnd", number)
    return subjects.provisional(f"dossier:{dossier_id}", f"{role}:{index}")


async def act_on_dossier(cmd: ActOnDossier, uow: UnitOfWork, deps: Dependencies) -> ActionRecorded:
    """Apply an officer's action: one ``DossierStatusChanged`` (and a ``DossierCompleted`` when
    it decides the dossier), carrying the time the officer really acted."""
    dossier = await repository.get(uow.conn, cmd.dossier_id, for_update=True)
    if dossier is None:
        raise errors.DossierNotFound(f"dossier {cmd.dossier_id}")
    if cmd.scoped_to_unit and not rules.may_act_on(
        cmd.officer_unit_code, dossier.unit_code, deps.units, day_in_vietnam(cmd.occurred_at)
    ):
        raise errors.NotYourUnit(
            f"dossier {dossier.code} is handled at unit {dossier.unit_code}, outside the "
            f"officer's unit {cmd.officer_unit_code}"
        )
    recorded_at = now()
    _check_action_fields(cmd, dossier, recorded_at)
    corrected = None
    if cmd.action is Action.CORRECT:
        assert cmd.correction_of is not None
        corrected = await repository.get_change(uow.conn, dossier.id, cmd.correction_of)
        if corrected is None:
            raise errors.InvalidAction(
                f"dossier {dossier.code} has no status change {cmd.correction_of}",
                "/correction_of",
            )
    try:
        to_status = next_status(dossier.status, cmd.action)
    except InvalidTransition as exc:
        raise errors.InvalidStatusTransition(str(exc)) from exc

    sequence = dossier.event_sequence + 1
    change = repository.StatusChange(
        change_id=uuid.uuid4(),
        dossier_id=dossier.id,
        sequence=sequence,
        action=cmd.action,
        from_status=dossier.status,
        to_status=to_status,
        occurred_at=cmd.occurred_at,
        recorded_at=recorded_at,
        officer_id=cmd.officer_id,
        officer_unit_code=cmd.officer_unit_code,
        reason=cmd.reason,
        new_appointment_at=cmd.new_appointment_at,
        correction_of=cmd.correction_of,
    )
    procedure = deps.procedures.get(dossier.procedure_code)
    completing = COMPLETING | (NOTIFICATION_COMPLETING if procedure.notification else frozenset())
    completion = None
    if cmd.action in completing:
        completion = (change.change_id, cmd.action)
    elif corrected is not None and corrected.action in completing:
        completion = (corrected.change_id, corrected.action)
    completed_at = cmd.occurred_at if completion else dossier.completed_at
    last_sequence = sequence + (1 if completion else 0)
    await repository.record_change(
        uow.conn,
        change,
        event_sequence=last_sequence,
        latest_appointment_at=cmd.new_appointment_at or dossier.latest_appointment_at,
        completed_at=completed_at,
    )
    key = str(dossier.id)
    await uow.emit(
        DossierStatusChanged(
            dossier_id=key,
            dossier_code=dossier.code,
            procedure_code=dossier.procedure_code,
            unit_code=dossier.unit_code,
            sequence=sequence,
            change_id=str(change.change_id),
            action=cmd.action,
            from_status=dossier.status,
            to_status=to_status,
            occurred_at=cmd.occurred_at,
            recorded_at=recorded_at,
            officer_id=cmd.officer_id,
            officer_unit_code=cmd.officer_unit_code,
            reason=cmd.reason,
            new_appointment_at=cmd.new_appointment_at,
            correction_of=str(cmd.correction_of) if cmd.correction_of else None,
        ),
        time=cmd.occurred_at,
    )
    if completion is not None:
        decided_by, decision = completion
        await uow.emit(
            DossierCompleted(
                dossier_id=key,
                dossier_code=dossier.code,
                procedure_code=dossier.procedure_code,
                unit_code=dossier.unit_code,
                sequence=last_sequence,
                outcome=OUTCOMES[decision],
                completed_at=cmd.occurred_at,
                appointment_at=dossier.appointment_at,
                on_time=cmd.occurred_at <= dossier.appointment_at,
                change_id=str(decided_by),
            ),
            time=cmd.occurred_at,
        )
    return ActionRecorded(change.change_id, to_status, last_sequence)


def _check_action_fields(cmd: ActOnDossier, dossier: Dossier, recorded_at: datetime) -> None:
    if cmd.occurred_at > recorded_at + CLOCK_SKEW:
        raise errors.InvalidAction("occurred_at is in the future", "/occurred_at")
    if cmd.occurred_at < dossier.submitted_at:
        raise errors.InvalidAction(
            "occurred_at is before the dossier was submitted", "/occurred_at"
        )
    if cmd.action is Action.APOLOGIZE:
        if cmd.new_appointment_at is None:
            raise errors.InvalidAction(
                "an apology needs a new appointment date", "/new_appointment_at"
            )
        if cmd.new_appointment_at <= max(cmd.occurred_at, dossier.current_appointment_at):
            raise errors.InvalidAction(
                "the new appointment must be later than the current one and than now",
                "/new_appointment_at",
            )
    elif cmd.new_appointment_at is not None:
        raise errors.InvalidAction(
            "only an apology sets a new appointment date", "/new_appointment_at"
        )
    if cmd.action is Action.CORRECT:
        if cmd.correction_of is None:
            raise errors.InvalidAction(
                "a correction names the change it corrects", "/correction_of"
            )
    elif cmd.correction_of is not None:
        raise errors.InvalidAction("only a correction has correction_of", "/correction_of")
    if cmd.action in NEEDS_REASON and not (cmd.reason and cmd.reason.strip()):
        raise errors.InvalidAction(f"{cmd.action.value} needs a reason", "/reason")


async def flag_overdue_dossiers(
    cmd: FlagOverdueDossiers, uow: UnitOfWork, deps: Dependencies
) -> int:
    """``DossierOverdue`` once per dossier whose deadline passed; event time = the deadline."""
    claimed = await repository.claim_overdue(uow.conn, cmd.now, cmd.limit)
    for dossier in claimed:
        sequence = dossier.event_sequence + 1
        await repository.mark_overdue(uow.conn, dossier.id, sequence, cmd.now)
        await uow.emit(
            DossierOverdue(
                dossier_id=str(dossier.id),
                dossier_code=dossier.code,
                procedure_code=dossier.procedure_code,
                unit_code=dossier.unit_code,
                sequence=sequence,
                status=dossier.status,
                appointment_at=dossier.appointment_at,
                detected_at=cmd.now,
            ),
            time=dossier.appointment_at,
        )
    return len(claimed)


async def flag_late_acknowledgements(
    cmd: FlagLateAcknowledgements, uow: UnitOfWork, deps: Dependencies
) -> int:
    """``DossierAcknowledgementOverdue`` once per online dossier still waiting for its
    acknowledgement 8 working hours after receipt; event time = that deadline."""
    claimed = await repository.claim_late_acknowledgements(uow.conn, cmd.now, cmd.limit)
    for dossier in claimed:
        assert dossier.acknowledgement_due_at is not None
        sequence = dossier.event_sequence + 1
        await repository.mark_acknowledgement_overdue(uow.conn, dossier.id, sequence, cmd.now)
        await uow.emit(
            DossierAcknowledgementOverdue(
                dossier_id=str(dossier.id),
                dossier_code=dossier.code,
                procedure_code=dossier.procedure_code,
                unit_code=dossier.unit_code,
                sequence=sequence,
                received_at=dossier.submitted_at,
                acknowledgement_due_at=dossier.acknowledgement_due_at,
                detected_at=cmd.now,
            ),
            time=dossier.acknowledgement_due_at,
        )
    return len(claimed)


async def record_portal_sync(
    event: PortalSyncAcknowledged, uow: UnitOfWork, deps: Dependencies
) -> None:
    """The national portal holds the dossier's history up to ``sequence`` without a gap."""
    if event.complete:
        await repository.record_portal_sync(
            uow.conn, uuid.UUID(event.dossier_id), event.sequence, event.acknowledged_at
        )


HANDLERS: dict[type, Any] = {
    SubmitDossier: submit_dossier,
    ActOnDossier: act_on_dossier,
    FlagOverdueDossiers: flag_overdue_dossiers,
    FlagLateAcknowledgements: flag_late_acknowledgements,
    PortalSyncAcknowledged: record_portal_sync,
    ResidenceRegistered: record_residence,
    ResidenceEnded: end_residence,
}


def now() -> datetime:
    return datetime.now(UTC)
