"""Residence handlers: each command is answered once, with an event through the outbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lienthong.bus import UnitOfWork
from lienthong.vn.units import UNKNOWN_UNIT_REASON, UnitDirectory, day_in_vietnam, units
from residence.adapters import repository
from residence.domain import rules
from residence.domain.events import (
    PermanentResidenceRegistered,
    PermanentResidenceRemoved,
    RegisterByOfficer,
    RegisterPermanentResidence,
    RemovePermanentResidence,
    ResidenceEnded,
    ResidenceKind,
    ResidenceRegistered,
    ResidenceRequestRejected,
    ResidentParticularsUpdated,
    UpdateResidentParticulars,
)


class AlreadyRegistered(Exception):
    """The person already has a permanent residence."""


class UnknownUnit(Exception):
    """The unit code names no administrative unit in force on the day of registration."""


@dataclass(frozen=True)
class Dependencies:
    units: UnitDirectory = field(default_factory=units)


def _now() -> datetime:
    return datetime.now(UTC)


async def register_child(
    cmd: RegisterPermanentResidence, uow: UnitOfWork, deps: Dependencies
) -> None:
    if not await repository.claim_command(uow.conn, cmd.command_id, "register"):
        return
    await repository.lock_subject(uow.conn, cmd.subject_id)
    now = _now()
    has = await repository.active_residence(uow.conn, cmd.subject_id) is not None
    parents = await repository.parents_residences(uow.conn, cmd.parent_subject_ids)
    decision: rules.RegisterAt | rules.Reject = (
        rules.child_residence(has, parents, cmd.unit_code)
        if deps.units.known(cmd.unit_code)
        else rules.Reject(UNKNOWN_UNIT_REASON)
    )
    if isinstance(decision, rules.Reject):
        await uow.emit(
            ResidenceRequestRejected(
                cmd.command_id, cmd.bundle_id, cmd.subject_id, decision.reason, now
            ),
            time=now,
            subject=cmd.subject_id,
        )
        return
    residence_id = await repository.add_residence(
        uow.conn,
        subject_id=cmd.subject_id,
        unit_code=decision.unit_code,
        address=decision.address,
        address_pending=decision.address_pending,
        basis=decision.basis,
        registered_at=now,
    )
    await uow.emit(
        PermanentResidenceRegistered(
            command_id=cmd.command_id,
            bundle_id=cmd.bundle_id,
            subject_id=cmd.subject_id,
            residence_id=str(residence_id),
            unit_code=decision.unit_code,
            address_pending=decision.address_pending,
            registered_at=now,
        ),
        time=now,
        subject=cmd.subject_id,
    )
    await _publish_registered(uow, str(residence_id), cmd.subject_id, decision.unit_code, now)


async def _publish_registered(
    uow: UnitOfWork, residence_id: str, subject_id: str, unit_code: str, at: datetime
) -> None:
    """Every permanent residence is published to the register's topic, bundle or not."""
    await uow.emit(
        ResidenceRegistered(residence_id, subject_id, ResidenceKind.PERMANENT, unit_code, at),
        time=at,
        subject=subject_id,
    )


async def remove_residence(
    cmd: RemovePermanentResidence, uow: UnitOfWork, deps: Dependencies
) -> None:
    if not await repository.claim_command(uow.conn, cmd.command_id, "remove"):
        return
    await repository.lock_subject(uow.conn, cmd.subject_id)
    now = _now()
    active = await repository.active_residence(uow.conn, cmd.subject_id)
    had = await repository.remove_residence(
        uow.conn, cmd.subject_id, cmd.effective_date, cmd.reason, now
    )
    if active is not None:
        await uow.emit(
            ResidenceEnded(
                str(active["residence_id"]),
                cmd.subject_id,
                ResidenceKind.PERMANENT,
                now,
                cmd.reason,
            ),
            time=now,
            subject=cmd.subject_id,
        )
    await uow.emit(
        PermanentResidenceRemoved(
            cmd.command_id, cmd.bundle_id, cmd.subject_id, had, cmd.effective_date, now
        ),
        time=now,
        subject=cmd.subject_id,
    )


async def update_particulars(
    cmd: UpdateResidentParticulars, uow: UnitOfWork, deps: Dependencies
) -> None:
    if not await repository.claim_command(uow.conn, cmd.command_id, "update"):
        return
    now = _now()
    found = await repository.active_residence(uow.conn, cmd.subject_id) is not None
    if found:
        await repository.update_particular(
            uow.conn, cmd.subject_id, cmd.field, cmd.new_value, cmd.effective_date, now
        )
    await uow.emit(
        ResidentParticularsUpdated(
            cmd.command_id, cmd.bundle_id, cmd.subject_id, cmd.field, found, now
        ),
        time=now,
        subject=cmd.subject_id,
    )


async def register_by_officer(cmd: RegisterByOfficer, uow: UnitOfWork, deps: Dependencies) -> str:
    if deps.units.get(cmd.unit_code, day_in_vietnam(cmd.registered_at)) is None:
        raise UnknownUnit(cmd.unit_code)
    await repository.lock_subject(uow.conn, cmd.subject_id)
    if await repository.active_residence(uow.conn, cmd.subject_id) is not None:
        raise AlreadyRegistered()
    residence_id = await repository.add_residence(
        uow.conn,
        subject_id=cmd.subject_id,
        unit_code=cmd.unit_code,
        address=cmd.address,
        address_pending=False,
        basis="OFFICER",
        registered_at=cmd.registered_at,
    )
    await _publish_registered(
        uow, str(residence_id), cmd.subject_id, cmd.unit_code, cmd.registered_at
    )
    return str(residence_id)


HANDLERS: dict[type, Any] = {
    RegisterPermanentResidence: register_child,
    RemovePermanentResidence: remove_residence,
    UpdateResidentParticulars: update_particulars,
    RegisterByOfficer: register_by_officer,
}
