"""Civil registry handlers: register births, deaths and changes; publish each registration."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from civil_registry.adapters import repository
from civil_registry.domain import rules
from civil_registry.domain.events import (
    BirthRegistered,
    CivilRegistrationRefused,
    CivilStatusChanged,
    DeathRegistered,
    RegisterBirth,
    RegisterBirthAtCounter,
    RegisterCivilStatusChange,
    RegisterDeath,
)
from lienthong.bus import UnitOfWork
from lienthong.vn.units import UNKNOWN_UNIT_REASON, UnitDirectory, day_in_vietnam, units

VIETNAM = timezone(timedelta(hours=7), "ICT")


class RegistrationRefused(Exception):
    """The registrar refuses; ``reason`` is machine-readable."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Dependencies:
    vn_today: Any  # callable returning today's date in Vietnam; a seam for tests
    units: UnitDirectory = field(default_factory=units)


def _counter_unit_refusal(deps: Dependencies, unit_code: str, at: datetime) -> None:
    """A registration at the counter names a unit in force on the day it is registered."""
    if deps.units.get(unit_code, day_in_vietnam(at)) is None:
        raise RegistrationRefused(UNKNOWN_UNIT_REASON)


def _now() -> datetime:
    return datetime.now(UTC)


def _vn_day(at: datetime) -> date:
    return at.astimezone(VIETNAM).date()


async def _certificate(uow: UnitOfWork, unit_code: str, kind: str, at: datetime) -> str:
    seq = await repository.next_certificate_sequence(uow.conn, unit_code, kind, at.year)
    return rules.certificate_number(unit_code, kind, at.year, seq)


async def register_birth(cmd: RegisterBirth, uow: UnitOfWork, deps: Dependencies) -> None:
    """From a linked birth dossier; a repeated command changes nothing."""
    if await repository.command_seen(uow.conn, cmd.command_id):
        return
    registration_id = str(uuid.uuid4())
    now = _now()
    refusal = rules.birth_refusal(cmd.child.birth_date, deps.vn_today())
    if refusal is None and not deps.units.known(cmd.unit_code):
        refusal = UNKNOWN_UNIT_REASON
    if refusal is not None:
        await repository.record_refusal(uow.conn, cmd.command_id, registration_id, refusal, now)
        await uow.emit(
            CivilRegistrationRefused(
                cmd.command_id, cmd.bundle_id, cmd.dossier_id, registration_id, refusal, now
            ),
            time=now,
            subject=cmd.child.subject_id,
        )
        return
    event = BirthRegistered(
        registration_id=registration_id,
        dossier_id=cmd.dossier_id,
        certificate_number=await _certificate(uow, cmd.unit_code, "birth", now),
        unit_code=cmd.unit_code,
        registered_at=now,
        child=cmd.child,
        father=cmd.father,
        mother=cmd.mother,
        place_of_birth=cmd.place_of_birth,
    )
    await _record_birth(uow, event, cmd.command_id)


async def register_birth_at_counter(
    cmd: RegisterBirthAtCounter, uow: UnitOfWork, deps: Dependencies
) -> BirthRegistered:
    """An officer registers a birth directly; the event starts the birth bundle."""
    _counter_unit_refusal(deps, cmd.unit_code, cmd.registered_at)
    refusal = rules.birth_refusal(cmd.child.birth_date, deps.vn_today())
    recorded_at = cmd.recorded_at or cmd.registered_at
    if refusal is None:
        refusal = rules.birth_time_refusal(
            cmd.child.birth_date, _vn_day(cmd.registered_at), _vn_day(recorded_at)
        )
    if refusal is not None:
        raise RegistrationRefused(refusal)
    assert cmd.child.birth_date is not None
    event = BirthRegistered(
        registration_id=cmd.registration_id,
        dossier_id=None,
        certificate_number=await _certificate(uow, cmd.unit_code, "birth", cmd.registered_at),
        unit_code=cmd.unit_code,
        registered_at=cmd.registered_at,
        child=cmd.child,
        father=cmd.father,
        mother=cmd.mother,
        place_of_birth=cmd.place_of_birth,
        registration_type=rules.registration_type(
            cmd.child.birth_date, _vn_day(cmd.registered_at), cmd.registration_type
        ),
        recorded_at=recorded_at if recorded_at > cmd.registered_at else None,
        agency_record_id=cmd.agency_record_id,
    )
    await _record_birth(uow, event, None)
    return event


async def _record_birth(uow: UnitOfWork, event: BirthRegistered, command_id: str | None) -> None:
    await repository.add_registration(
        uow.conn,
        registration_id=event.registration_id,
        kind="birth",
        certificate_number=event.certificate_number,
        unit_code=event.unit_code,
        subject_id=event.child.subject_id,
        dossier_id=event.dossier_id,
        command_id=command_id,
        details={"person": dataclasses.asdict(event.child)},
        registered_at=event.registered_at,
    )
    await uow.emit(event, time=event.registered_at, subject=event.child.subject_id)


async def register_death(
    cmd: RegisterDeath, uow: UnitOfWork, deps: Dependencies
) -> DeathRegistered:
    """An officer registers a death; a second death of the same person is refused."""
    _counter_unit_refusal(deps, cmd.unit_code, cmd.registered_at)
    refusal = rules.death_refusal(cmd.deceased.birth_date, cmd.date_of_death, deps.vn_today())
    if refusal is not None:
        raise RegistrationRefused(refusal)
    subject = cmd.deceased.subject_id
    if await repository.death_of(uow.conn, subject) is not None:
        raise RegistrationRefused("DEATH_ALREADY_REGISTERED")
    event = DeathRegistered(
        registration_id=cmd.registration_id,
        dossier_id=None,
        certificate_number=await _certificate(uow, cmd.unit_code, "death", cmd.registered_at),
        unit_code=cmd.unit_code,
        registered_at=cmd.registered_at,
        deceased=cmd.deceased,
        date_of_death=cmd.date_of_death,
        place_of_death=cmd.place_of_death,
    )
    inserted = await repository.add_registration(
        uow.conn,
        registration_id=event.registration_id,
        kind="death",
        certificate_number=event.certificate_number,
        unit_code=event.unit_code,
        subject_id=subject,
        dossier_id=None,
        command_id=None,
        details={"person": dataclasses.asdict(cmd.deceased), "date_of_death": cmd.date_of_death},
        registered_at=event.registered_at,
    )
    if not inserted:  # a concurrent registration of the same death won the race
        raise RegistrationRefused("DEATH_ALREADY_REGISTERED")
    await uow.emit(event, time=event.registered_at, subject=subject)
    return event


async def register_change(
    cmd: RegisterCivilStatusChange, uow: UnitOfWork, deps: Dependencies
) -> CivilStatusChanged:
    """An officer registers a change of civil status (e.g. surname after paternity)."""
    _counter_unit_refusal(deps, cmd.unit_code, cmd.registered_at)
    subject = cmd.person.subject_id
    if await repository.death_of(uow.conn, subject) is not None:
        raise RegistrationRefused("PERSON_DECEASED")
    old_value = await repository.current_value(uow.conn, subject, cmd.field)
    refusal = rules.change_refusal(cmd.field, cmd.new_value, old_value)
    if refusal is not None:
        raise RegistrationRefused(refusal)
    event = CivilStatusChanged(
        registration_id=cmd.registration_id,
        dossier_id=None,
        certificate_number=await _certificate(uow, cmd.unit_code, "change", cmd.registered_at),
        unit_code=cmd.unit_code,
        registered_at=cmd.registered_at,
        person=cmd.person,
        change_type=cmd.change_type,
        field=cmd.field,
        old_value=old_value,
        new_value=cmd.new_value,
        effective_date=cmd.effective_date,
    )
    await repository.add_registration(
        uow.conn,
        registration_id=event.registration_id,
        kind="change",
        certificate_number=event.certificate_number,
        unit_code=event.unit_code,
        subject_id=subject,
        dossier_id=None,
        command_id=None,
        details={"field": cmd.field, "new_value": cmd.new_value, "old_value": old_value},
        registered_at=event.registered_at,
    )
    await uow.emit(event, time=event.registered_at, subject=subject)
    return event


HANDLERS: dict[type, Any] = {
    RegisterBirth: register_birth,
    RegisterBirthAtCounter: register_birth_at_counter,
    RegisterDeath: register_death,
    RegisterCivilStatusChange: register_change,
}
