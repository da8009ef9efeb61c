"""Orchestrator handlers: each reply advances the saga at most once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from lienthong.bus import UnitOfWork
from lienthong.vn.working_time import WorkingCalendar
from orchestrator.adapters import repository
from orchestrator.adapters.repository import BundleRow
from orchestrator.domain import birth_bundle
from orchestrator.domain.birth_bundle import BundleState, Decision, Step
from orchestrator.domain.events import (
    BUNDLE_TOPIC,
    POPULATION_COMMANDS,
    BundleType,
    DossierSubmitted,
    Gender,
    IdentityMismatch,
    IdentityVerified,
    IssuePersonalIdNumber,
    LinkedBundleCompleted,
    LinkedBundleStarted,
    LinkedBundleStepCompleted,
    PersonalIdNumberIssued,
    PersonalIdNumberRefused,
    PersonRole,
)


@dataclass(frozen=True)
class Dependencies:
    calendar: WorkingCalendar


def _now() -> datetime:
    return datetime.now(UTC)


async def start_bundle(event: DossierSubmitted, uow: UnitOfWork, deps: Dependencies) -> None:
    bundle_type = birth_bundle.BUNDLE_PROCEDURES.get(event.procedure_code)
    if bundle_type is None:
        return
    await repository.lock_dossier(uow.conn, event.dossier_id)
    if await repository.bundle_for_dossier(uow.conn, event.dossier_id) is not None:
        return
    child = next((p for p in event.persons if p.role is PersonRole.CHILD), None)
    started = event.submitted_at
    bundle = BundleRow(
        bundle_id=uuid.uuid4(),
        bundle_type=bundle_type,
        dossier_id=uuid.UUID(event.dossier_id),
        procedure_code=event.procedure_code,
        unit_code=event.unit_code,
        subject_id=child.subject_id if child else event.persons[0].subject_id,
        state=BundleState.AWAITING_IDENTITY,
        expected_subjects=frozenset(p.subject_id for p in event.persons),
        child=(
            {
                "subject_id": child.subject_id,
                "full_name": child.full_name,
                "birth_date": child.birth_date.isoformat() if child.birth_date else None,
                "gender": child.gender.name if child.gender else "UNKNOWN",
            }
            if child
            else None
        ),
        started_at=started,
        deadline_at=deps.calendar.add_working_days(started, birth_bundle.BIRTH_BUNDLE_WORKING_DAYS),
    )
    await repository.add_bundle(uow.conn, bundle)
    await uow.emit(
        BUNDLE_TOPIC,
        key=str(bundle.bundle_id),
        event=LinkedBundleStarted(
            bundle_id=str(bundle.bundle_id),
            bundle_type=BundleType[bundle_type],
            dossier_id=event.dossier_id,
            subject_id=bundle.subject_id,
            unit_code=bundle.unit_code,
            procedure_code=bundle.procedure_code,
            started_at=bundle.started_at,
            deadline_at=bundle.deadline_at,
        ),
        time=started,
        subject=bundle.subject_id,
    )
    await _advance(bundle, uow)


async def record_identity_result(
    event: IdentityVerified | IdentityMismatch, uow: UnitOfWork, deps: Dependencies
) -> None:
    if event.dossier_id is None:
        return
    await repository.lock_dossier(uow.conn, event.dossier_id)
    await repository.record_identity(
        uow.conn,
        event.dossier_id,
        event.subject_id,
        event.role,
        isinstance(event, IdentityVerified),
    )
    bundle = await repository.bundle_for_dossier(uow.conn, event.dossier_id)
    if bundle is not None:
        await _advance(bundle, uow)


async def _advance(bundle: BundleRow, uow: UnitOfWork) -> None:
    if bundle.state is not BundleState.AWAITING_IDENTITY:
        return
    results = await repository.identity_results(uow.conn, bundle.dossier_id)
    decision = birth_bundle.after_identity(bundle.expected_subjects, results)
    now = _now()
    if decision is Decision.HOLD_FOR_REVIEW:
        await repository.set_state(uow.conn, bundle.bundle_id, BundleState.NEEDS_REVIEW)
        return
    if decision is not Decision.REQUEST_ID_NUMBER or bundle.child is None:
        return
    await _step_completed(bundle, Step.IDENTITY_CHECKED, now, uow)
    command_id = uuid.uuid4()
    await repository.request_step(
        uow.conn,
        bundle.bundle_id,
        Step.ID_NUMBER_ISSUED,
        birth_bundle.STEP_AGENCY[Step.ID_NUMBER_ISSUED],
        command_id,
        now,
    )
    await repository.set_state(uow.conn, bundle.bundle_id, BundleState.ISSUING_ID_NUMBER)
    child = bundle.child
    await uow.emit(
        POPULATION_COMMANDS,
        key=str(bundle.bundle_id),
        event=IssuePersonalIdNumber(
            command_id=str(command_id),
            bundle_id=str(bundle.bundle_id),
            subject_id=child["subject_id"],
            full_name=child["full_name"],
            birth_date=date.fromisoformat(child["birth_date"]),
            gender=Gender[child["gender"]],
            registration_province_code=registration_province(bundle.unit_code),
            requested_at=now,
        ),
        time=now,
        subject=child["subject_id"],
    )


def registration_province(unit_code: str) -> str:
    """ID-number province codes are the statistics office's province codes, 3 digits wide."""
    return unit_code[:2].rjust(3, "0")


async def _step_completed(bundle: BundleRow, step: Step, at: datetime, uow: UnitOfWork) -> None:
    await repository.complete_step(
        uow.conn, bundle.bundle_id, step, birth_bundle.STEP_AGENCY[step], at
    )
    await uow.emit(
        BUNDLE_TOPIC,
        key=str(bundle.bundle_id),
        event=LinkedBundleStepCompleted(
            str(bundle.bundle_id),
            BundleType[bundle.bundle_type],
            step.value,
            birth_bundle.STEP_AGENCY[step],
            at,
        ),
        time=at,
        subject=bundle.subject_id,
    )


async def id_number_issued(
    event: PersonalIdNumberIssued, uow: UnitOfWork, deps: Dependencies
) -> None:
    bundle = await repository.bundle(uow.conn, event.bundle_id)
    if bundle is None:
        return
    await repository.lock_dossier(uow.conn, str(bundle.dossier_id))
    done = await repository.complete_step(
        uow.conn,
        bundle.bundle_id,
        Step.ID_NUMBER_ISSUED,
        birth_bundle.STEP_AGENCY[Step.ID_NUMBER_ISSUED],
        event.issued_at,
    )
    if not done:
        return
    await uow.emit(
        BUNDLE_TOPIC,
        key=str(bundle.bundle_id),
        event=LinkedBundleStepCompleted(
            str(bundle.bundle_id),
            BundleType[bundle.bundle_type],
            Step.ID_NUMBER_ISSUED.value,
            birth_bundle.STEP_AGENCY[Step.ID_NUMBER_ISSUED],
            event.issued_at,
        ),
        time=event.issued_at,
        subject=event.subject_id,
    )
    completed_at = event.issued_at
    await repository.set_state(uow.conn, bundle.bundle_id, BundleState.COMPLETED, completed_at)
    await uow.emit(
        BUNDLE_TOPIC,
        key=str(bundle.bundle_id),
        event=LinkedBundleCompleted(
            bundle_id=str(bundle.bundle_id),
            bundle_type=BundleType[bundle.bundle_type],
            dossier_id=str(bundle.dossier_id),
            subject_id=event.subject_id,
            unit_code=bundle.unit_code,
            procedure_code=bundle.procedure_code,
            started_at=bundle.started_at,
            completed_at=completed_at,
            on_time=completed_at <= bundle.deadline_at,
        ),
        time=completed_at,
        subject=event.subject_id,
    )


async def id_number_refused(
    event: PersonalIdNumberRefused, uow: UnitOfWork, deps: Dependencies
) -> None:
    bundle = await repository.bundle(uow.conn, event.bundle_id)
    if bundle is None:
        return
    done = await repository.complete_step(
        uow.conn,
        bundle.bundle_id,
        Step.ID_NUMBER_ISSUED,
        birth_bundle.STEP_AGENCY[Step.ID_NUMBER_ISSUED],
        event.refused_at,
        status="refused",
        detail=event.reason,
    )
    if done:
        await repository.set_state(uow.conn, bundle.bundle_id, BundleState.FAILED)


HANDLERS: dict[type, Any] = {
    DossierSubmitted: start_bundle,
    IdentityVerified: record_identity_result,
    IdentityMismatch: record_identity_result,
    PersonalIdNumberIssued: id_number_issued,
    PersonalIdNumberRefused: id_number_refused,
}
