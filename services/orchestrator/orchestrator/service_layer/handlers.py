"""Orchestrator handlers: each reply advances its saga at most once.

Every handler locks the bundle (by dossier id) before reading it, records what it heard in
``bundle_steps`` and then asks ``saga.next_steps`` what to request; duplicated replies fail
the ``status = 'requested'`` guard and change nothing, replies arriving early wait in the
recorded state (identity results before the dossier, for instance).
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import Counter, Histogram

from lienthong.bus import UnitOfWork
from lienthong.vn.working_time import WorkingCalendar
from orchestrator.adapters import repository
from orchestrator.adapters.repository import BundleRow, Saga
from orchestrator.domain import birth_bundle, saga
from orchestrator.domain.birth_bundle import Decision
from orchestrator.domain.events import (
    BirthRegistered,
    BundleType,
    CivilRegistrationRefused,
    CivilStatusChanged,
    DeathBenefitsRefused,
    DeathRegistered,
    DossierSubmitted,
    HealthInsuranceCardIssued,
    HealthInsuranceEnded,
    HealthInsuranceRequestRejected,
    IdentityMismatch,
    IdentityVerified,
    InsuredParticularsUpdated,
    LinkedBundleCompensated,
    LinkedBundleCompleted,
    LinkedBundleStarted,
    LinkedBundleStepCompleted,
    LinkedBundleStepFailed,
    PermanentResidenceRegistered,
    PermanentResidenceRemoved,
    PersonalIdNumberIssued,
    PersonalIdNumberRefused,
    PersonRole,
    RecurringPaymentsStopped,
    RegisteredPerson,
    ResidenceRequestRejected,
    ResidentParticularsUpdated,
    StepRejection,
    StepReply,
    SubmittedPerson,
)
from orchestrator.domain.saga import BundleState, Step
from orchestrator.service_layer import commands
from orchestrator.service_layer.commands import registration_province

__all__ = ["HANDLERS", "Dependencies", "registration_province"]


BUNDLE_DURATION = Histogram(
    "lienthong_bundle_duration_seconds",
    "From a bundle's start to its completion (event time)",
    ["bundle_type"],
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 300, 3600, 86400, 259200, 604800),
)
BUNDLES_STOPPED = Counter(
    "lienthong_bundles_stopped_total", "Bundles compensated or cancelled", ["bundle_type", "state"]
)


@dataclass(frozen=True)
class Dependencies:
    calendar: WorkingCalendar
    retry_after_s: float = 300.0
    max_attempts: int = 5


def _now() -> datetime:
    return datetime.now(UTC)


def _person_data(p: SubmittedPerson) -> dict[str, Any]:
    return {
        "subject_id": p.subject_id,
        "id_number": p.id_number,
        "full_name": p.full_name,
        "birth_date": p.birth_date.isoformat() if p.birth_date else None,
        "gender": p.gender.name if p.gender else "UNKNOWN",
    }


async def _start(bundle: BundleRow, uow: UnitOfWork) -> bool:
    if not await repository.add_bundle_logged(uow.conn, bundle):
        return False
    await uow.emit(
        LinkedBundleStarted(
            bundle_id=str(bundle.bundle_id),
            bundle_type=BundleType[bundle.bundle_type],
            dossier_id=str(bundle.dossier_id),
            subject_id=bundle.subject_id,
            unit_code=bundle.unit_code,
            procedure_code=bundle.procedure_code,
            started_at=bundle.started_at,
            deadline_at=bundle.deadline_at,
        ),
        time=bundle.started_at,
        subject=bundle.subject_id,
    )
    return True


async def start_bundle(event: DossierSubmitted, uow: UnitOfWork, deps: Dependencies) -> None:
    """A linked birth dossier from intake starts the birth bundle."""
    bundle_type = birth_bundle.BUNDLE_PROCEDURES.get(event.procedure_code)
    if bundle_type is None:
        return
    await repository.lock_dossier(uow.conn, event.dossier_id)
    by_role = {p.role: p for p in event.persons}
    child = by_role.get(PersonRole.CHILD)
    started = event.submitted_at
    data: dict[str, Any] = {
        r.value: _person_data(by_role[r])
        for r in (PersonRole.FATHER, PersonRole.MOTHER)
        if r in by_role
    }
    bundle = BundleRow(
        bundle_id=uuid.uuid4(),
        bundle_type=bundle_type,
        dossier_id=uuid.UUID(event.dossier_id),
        procedure_code=event.procedure_code,
        unit_code=event.unit_code,
        subject_id=child.subject_id if child else event.persons[0].subject_id,
        state=BundleState.IN_PROGRESS,
        expected_subjects=frozenset(p.subject_id for p in event.persons),
        child=_person_data(child) if child else None,
        started_at=started,
        deadline_at=deps.calendar.add_working_days(started, saga.BUNDLE_WORKING_DAYS[bundle_type]),
        data=data,
        dossier_code=event.dossier_code,
    )
    if await _start(bundle, uow):  # False: the dossier already has its bundle
        identity = await repository.identity_results(uow.conn, bundle.dossier_id)
        await _advance(Saga(bundle, {}, None, identity), uow, deps)


async def start_death_bundle(event: DeathRegistered, uow: UnitOfWork, deps: Dependencies) -> None:
    """A death registered by the civil registry starts the death bundle."""
    started = event.registered_at
    bundle = BundleRow(
        bundle_id=uuid.uuid4(),
        bundle_type="DEATH",
        dossier_id=uuid.UUID(event.dossier_id or event.registration_id),
        procedure_code="DEATH_LINKED",
        unit_code=event.unit_code,
        subject_id=event.deceased.subject_id,
        state=BundleState.IN_PROGRESS,
        expected_subjects=frozenset(),
        child=None,
        started_at=started,
        deadline_at=deps.calendar.add_working_days(started, saga.BUNDLE_WORKING_DAYS["DEATH"]),
        data={
            "registration_id": event.registration_id,
            "certificate_number": event.certificate_number,
            "date_of_death": event.date_of_death.isoformat(),
        },
        dossier_code=event.certificate_number,
    )
    await _start_registered(bundle, Step.DEATH_REGISTRATION, uow, deps)


async def start_change_bundle(
    event: CivilStatusChanged, uow: UnitOfWork, deps: Dependencies
) -> None:
    """A change of civil status starts the bundle that carries it to every agency."""
    started = event.registered_at
    bundle = BundleRow(
        bundle_id=uuid.uuid4(),
        bundle_type="CIVIL_STATUS_CHANGE",
        dossier_id=uuid.UUID(event.dossier_id or event.registration_id),
        procedure_code="CIVIL_STATUS_CHANGE",
        unit_code=event.unit_code,
        subject_id=event.person.subject_id,
        state=BundleState.IN_PROGRESS,
        expected_subjects=frozenset(),
        child=None,
        started_at=started,
        deadline_at=deps.calendar.add_working_days(
            started, saga.BUNDLE_WORKING_DAYS["CIVIL_STATUS_CHANGE"]
        ),
        data={
            "registration_id": event.registration_id,
            "certificate_number": event.certificate_number,
            "change_type": event.change_type.name,
            "field": event.field,
            "new_value": event.new_value,
            "effective_date": event.effective_date.isoformat(),
        },
        dossier_code=event.certificate_number,
    )
    await _start_registered(bundle, Step.CIVIL_STATUS_REGISTRATION, uow, deps)


async def _start_registered(
    bundle: BundleRow, registration: Step, uow: UnitOfWork, deps: Dependencies
) -> None:
    await repository.lock_dossier(uow.conn, str(bundle.dossier_id))
    if not await _start(bundle, uow):
        return
    saga_ = Saga(bundle, {}, None, [])
    await _step_completed(saga_, registration, bundle.started_at, uow)
    if bundle.bundle_type == "CIVIL_STATUS_CHANGE":
        # The population registry consumes agency.civil_registry.events itself.
        await _step_completed(
            saga_, Step.POPULATION_NOTIFIED, bundle.started_at, uow, "via civil-registry event"
        )
    await _advance(saga_, uow, deps)


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
    found = await repository.saga_for_dossier(uow.conn, event.dossier_id)
    if found is not None:
        await _advance(found, uow, deps)


async def birth_registered(event: BirthRegistered, uow: UnitOfWork, deps: Dependencies) -> None:
    """The civil registry registered the birth of a linked dossier."""
    if event.dossier_id is None:
        await start_registered_birth_bundle(event, uow, deps)
        return
    await repository.lock_dossier(uow.conn, event.dossier_id)
    found = await repository.saga_for_dossier(uow.conn, event.dossier_id)
    if found is None:
        return
    if await _step_completed(found, Step.BIRTH_REGISTRATION, event.registered_at, uow):
        await _merge_data(
            found,
            {
                "birth_certificate": event.certificate_number,
                "registration_id": event.registration_id,
            },
            uow,
        )
        await _advance(found, uow, deps)


async def _merge_data(
    found: Saga, data: dict[str, Any], uow: UnitOfWork, subject_id: str | None = None
) -> None:
    """Write ``data`` (and the subject) and keep the in-memory bundle the same."""
    b = found.bundle
    await repository.merge_data(uow.conn, b.bundle_id, data, subject_id)
    found.bundle = dataclasses.replace(
        b, data={**b.data, **data}, subject_id=subject_id or b.subject_id
    )


def _registered_data(p: RegisteredPerson) -> dict[str, Any]:
    return {
        "subject_id": p.subject_id,
        "id_number": p.id_number,
        "full_name": p.full_name,
        "birth_date": p.birth_date.isoformat() if p.birth_date else None,
        "gender": p.gender.name if p.gender else "UNKNOWN",
    }


async def start_registered_birth_bundle(
    event: BirthRegistered, uow: UnitOfWork, deps: Dependencies
) -> None:
    """A birth registered at the registry's counter (no intake dossier) starts the bundle at
    the ID number: the registrar has already checked the parents' papers."""
    started = event.registered_at
    data: dict[str, Any] = {
        "registration_id": event.registration_id,
        "birth_certificate": event.certificate_number,
        "place_of_birth": event.place_of_birth,
    }
    for role, person in (("father", event.father), ("mother", event.mother)):
        if person is not None:
            data[role] = _registered_data(person)
    bundle = BundleRow(
        bundle_id=uuid.uuid4(),
        bundle_type="BIRTH",
        dossier_id=uuid.UUID(event.registration_id),
        procedure_code="BIRTH_REGISTERED",
        unit_code=event.unit_code,
        subject_id=event.child.subject_id,
        state=BundleState.IN_PROGRESS,
        expected_subjects=frozenset(),
        child=_registered_data(event.child),
        started_at=started,
        deadline_at=deps.calendar.add_working_days(started, saga.BUNDLE_WORKING_DAYS["BIRTH"]),
        data=data,
        dossier_code=event.certificate_number,
    )
    await repository.lock_dossier(uow.conn, str(bundle.dossier_id))
    if not await _start(bundle, uow):
        return
    saga_ = Saga(bundle, {}, None, [])
    await _step_completed(saga_, Step.BIRTH_REGISTRATION, started, uow)
    await _step_completed(
        saga_, Step.IDENTITY_CHECKED, started, uow, "checked by the registrar at registration"
    )
    await _advance(saga_, uow, deps)


def _reply_time(event: StepReply) -> datetime:
    for name in (
        "issued_at",
        "registered_at",
        "removed_at",
        "updated_at",
        "ended_at",
        "stopped_at",
    ):
        value = getattr(event, name, None)
        if isinstance(value, datetime):
            return value
    return _now()


async def step_answered(event: StepReply, uow: UnitOfWork, deps: Dependencies) -> None:
    """An agency answered a command: complete its step (once) and request what follows."""
    target = await repository.command_target(uow.conn, event.command_id)
    if target is None:
        return
    bundle_id, dossier_id, step = target
    await repository.lock_dossier(uow.conn, str(dossier_id))
    found = await repository.saga(uow.conn, bundle_id)
    if found is None:
        return
    at = _reply_time(event)
    if not await _step_completed(found, step, at, uow, command_id=event.command_id):
        return  # a duplicated or stale answer
    if isinstance(event, PersonalIdNumberIssued):
        await _merge_data(
            found,
            {"child_subject_id": event.subject_id, "child_id_number": event.id_number},
            uow,
            subject_id=event.subject_id,
        )
    await _advance(found, uow, deps)


async def step_rejected(event: StepRejection, uow: UnitOfWork, deps: Dependencies) -> None:
    """An agency rejected a command: the bundle stops and is compensated (ADR 0031)."""
    found = await repository.step_for_command(uow.conn, event.command_id)
    if found is None:
        return
    bundle = await repository.bundle(uow.conn, found[0])
    if bundle is None:
        return
    await repository.lock_dossier(uow.conn, str(bundle.dossier_id))
    step = found[1]
    now = _now()
    done = await repository.complete_step(
        uow.conn,
        bundle.bundle_id,
        step,
        saga.STEP_AGENCY[step],
        now,
        status="rejected",
        detail=event.reason,
        command_id=event.command_id,
    )
    if not done:
        return
    await repository.add_history(
        uow.conn, bundle.bundle_id, now, "step_failed", step.value, event.reason
    )
    await uow.emit(
        LinkedBundleStepFailed(
            str(bundle.bundle_id),
            BundleType[bundle.bundle_type],
            step.value,
            saga.STEP_AGENCY[step],
            event.reason,
            now,
        ),
        time=now,
        subject=bundle.subject_id,
    )
    fresh = await repository.bundle(uow.conn, bundle.bundle_id)
    if fresh is not None and not fresh.state.finished:
        await compensate(fresh, step.value, event.reason, uow, actor=None)


async def compensate(
    bundle: BundleRow, failed_step: str, reason: str, uow: UnitOfWork, actor: str | None
) -> None:
    """Stop the bundle: keep what agencies registered, skip what was not requested, tell."""
    now = _now()
    rows = await repository.steps(uow.conn, bundle.bundle_id)
    completed = {r.step for r in rows if r.status == "completed"}
    requested = {r.step for r in rows}
    outcome = saga.compensation(bundle.bundle_type, completed, requested)
    state = BundleState.CANCELLED if actor is not None else BundleState.COMPENSATED
    await repository.set_state(uow.conn, bundle.bundle_id, state)
    BUNDLES_STOPPED.labels(bundle.bundle_type, state.value).inc()
    await repository.add_history(
        uow.conn, bundle.bundle_id, now, state.value, failed_step, reason, actor
    )
    await uow.emit(
        LinkedBundleCompensated(
            bundle_id=str(bundle.bundle_id),
            bundle_type=BundleType[bundle.bundle_type],
            failed_step=failed_step,
            reason=reason,
            kept_steps=outcome.kept,
            undone_steps=outcome.undone,
            skipped_steps=outcome.skipped,
            compensated_at=now,
        ),
        time=now,
        subject=bundle.subject_id,
    )


async def _step_completed(
    found: Saga,
    step: Step,
    at: datetime,
    uow: UnitOfWork,
    detail: str | None = None,
    command_id: str | None = None,
) -> bool:
    bundle = found.bundle
    done = await repository.complete_step_logged(
        uow.conn,
        bundle.bundle_id,
        step,
        saga.STEP_AGENCY[step],
        at,
        detail=detail,
        command_id=command_id,
    )
    if not done:
        return False
    found.note(step, "completed", at)
    await uow.emit(
        LinkedBundleStepCompleted(
            str(bundle.bundle_id),
            BundleType[bundle.bundle_type],
            step.value,
            saga.STEP_AGENCY[step],
            at,
        ),
        time=at,
        subject=bundle.subject_id,
    )
    return True


async def _advance(found: Saga, uow: UnitOfWork, deps: Dependencies) -> None:
    """Request every step whose prerequisites are done; complete the bundle when all are.

    ``found`` was read after the dossier's lock and kept current by this handler's writes,
    so the decision needs no re-read (the plan is a pure function of the recorded steps).
    """
    bundle = found.bundle
    bundle_id = bundle.bundle_id
    if bundle.state.finished or bundle.state is BundleState.NEEDS_REVIEW:
        return
    completed = found.completed()
    if any(status == "rejected" for status in found.statuses.values()):
        return
    now = _now()
    if bundle.bundle_type == "BIRTH" and Step.IDENTITY_CHECKED not in completed:
        decision = birth_bundle.after_identity(bundle.expected_subjects, found.identity)
        if decision is Decision.HOLD_FOR_REVIEW:
            await repository.set_state(uow.conn, bundle_id, BundleState.NEEDS_REVIEW)
            await repository.add_history(
                uow.conn, bundle_id, now, "needs_review", "identity_checked"
            )
            return
        if decision is Decision.REQUEST_ID_NUMBER and bundle.child is not None:
            await _step_completed(found, Step.IDENTITY_CHECKED, now, uow)
            completed.add(Step.IDENTITY_CHECKED)
    if saga.is_complete(bundle.bundle_type, completed):
        await _complete(found, uow)
        return
    requested = set(found.statuses)
    for step in saga.next_steps(bundle.bundle_type, completed, requested):
        if bundle.child is None and bundle.bundle_type == "BIRTH":
            return
        await request(bundle, step, uuid.uuid4(), now, uow, deps)


async def request(
    bundle: BundleRow,
    step: Step,
    command_id: uuid.UUID,
    now: datetime,
    uow: UnitOfWork,
    deps: Dependencies,
) -> None:
    command = commands.build(step, bundle, str(command_id), now)
    requested = await repository.request_step_logged(
        uow.conn,
        bundle.bundle_id,
        step,
        saga.STEP_AGENCY[step],
        command_id,
        now,
        deadline_at=deps.calendar.add_working_hours(now, saga.STEP_WORKING_HOURS),
        next_attempt_at=now + timedelta(seconds=deps.retry_after_s),
    )
    if not requested:
        return
    await uow.emit(command, time=now, subject=bundle.subject_id)


async def _complete(found: Saga, uow: UnitOfWork) -> None:
    bundle = fresh = found.bundle
    completed_at = found.last_completed_at or _now()
    await repository.set_state(uow.conn, bundle.bundle_id, BundleState.COMPLETED, completed_at)
    BUNDLE_DURATION.labels(bundle.bundle_type).observe(
        max(0.0, (completed_at - bundle.started_at).total_seconds())
    )
    await repository.add_history(uow.conn, bundle.bundle_id, completed_at, "completed")
    await uow.emit(
        LinkedBundleCompleted(
            bundle_id=str(bundle.bundle_id),
            bundle_type=BundleType[bundle.bundle_type],
            dossier_id=str(bundle.dossier_id),
            subject_id=fresh.subject_id,
            unit_code=bundle.unit_code,
            procedure_code=bundle.procedure_code,
            started_at=bundle.started_at,
            completed_at=completed_at,
            on_time=completed_at <= bundle.deadline_at,
        ),
        time=completed_at,
        subject=fresh.subject_id,
    )


HANDLERS: dict[type, Any] = {
    DossierSubmitted: start_bundle,
    IdentityVerified: record_identity_result,
    IdentityMismatch: record_identity_result,
    BirthRegistered: birth_registered,
    DeathRegistered: start_death_bundle,
    CivilStatusChanged: start_change_bundle,
    PersonalIdNumberIssued: step_answered,
    PermanentResidenceRegistered: step_answered,
    PermanentResidenceRemoved: step_answered,
    ResidentParticularsUpdated: step_answered,
    HealthInsuranceCardIssued: step_answered,
    HealthInsuranceEnded: step_answered,
    InsuredParticularsUpdated: step_answered,
    RecurringPaymentsStopped: step_answered,
    PersonalIdNumberRefused: step_rejected,
    ResidenceRequestRejected: step_rejected,
    HealthInsuranceRequestRejected: step_rejected,
    CivilRegistrationRefused: step_rejected,
    DeathBenefitsRefused: step_rejected,
}
