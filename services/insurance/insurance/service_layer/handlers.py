"""Health-insurance handlers: each command is answered once, with an event through the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from insurance.adapters import repository
from insurance.domain import rules
from insurance.domain.events import (
    EndHealthInsurance,
    EnrolInsured,
    HealthInsuranceCardIssued,
    HealthInsuranceCardSynced,
    HealthInsuranceEnded,
    HealthInsuranceLookedUp,
    HealthInsuranceRequestRejected,
    InsuredParticularsUpdated,
    IssueChildHealthInsuranceCard,
    LookupOutcome,
    RecordLookup,
    UpdateInsuredParticulars,
)
from lienthong.bus import UnitOfWork
from lienthong.vn.units import UnitDirectory, day_in_vietnam, units


class AlreadyInsured(Exception):
    """The person already holds an active card."""


@dataclass(frozen=True)
class Dependencies:
    vn_today: Callable[[], date]
    units: UnitDirectory = field(default_factory=units)


class UnknownUnit(Exception):
    """The unit code names no administrative unit in force on the day of enrolment."""


def _now() -> datetime:
    return datetime.now(UTC)


async def issue_child_card(
    cmd: IssueChildHealthInsuranceCard, uow: UnitOfWork, deps: Dependencies
) -> None:
    if not await repository.claim_command(uow.conn, cmd.command_id):
        return
    await repository.lock_subject(uow.conn, cmd.subject_id)
    now = _now()
    today = deps.vn_today()
    province = deps.units.province_code(cmd.unit_code, today)
    card = rules.child_card(cmd.id_number, cmd.birth_date, province, today)
    if isinstance(card, rules.ChildCard) and await repository.active_card(uow.conn, cmd.subject_id):
        card = "ALREADY_INSURED"
    if not isinstance(card, rules.ChildCard):
        await uow.emit(
            HealthInsuranceRequestRejected(
                cmd.command_id, cmd.bundle_id, cmd.subject_id, card, now
            ),
            time=now,
            subject=cmd.subject_id,
        )
        return
    await repository.add_card(
        uow.conn,
        card_number=card.card_number,
        subject_id=cmd.subject_id,
        id_number=cmd.id_number,
        full_name=cmd.full_name,
        birth_date=cmd.birth_date,
        object_code=rules.CHILD_OBJECT_CODE,
        valid_from=card.valid_from,
        valid_until=card.valid_until,
        issued_at=now,
        command_id=cmd.command_id,
    )
    await uow.emit(
        HealthInsuranceCardIssued(
            cmd.command_id,
            cmd.bundle_id,
            cmd.subject_id,
            card.card_number,
            card.valid_from,
            card.valid_until,
            now,
        ),
        time=now,
        subject=cmd.subject_id,
    )


async def end_insurance(cmd: EndHealthInsurance, uow: UnitOfWork, deps: Dependencies) -> None:
    if not await repository.claim_command(uow.conn, cmd.command_id):
        return
    await repository.lock_subject(uow.conn, cmd.subject_id)
    now = _now()
    ended = await repository.end_cards(uow.conn, cmd.subject_id, cmd.end_date, cmd.reason)
    await uow.emit(
        HealthInsuranceEnded(
            cmd.command_id, cmd.bundle_id, cmd.subject_id, ended, cmd.end_date, now
        ),
        time=now,
        subject=cmd.subject_id,
    )


async def update_particulars(
    cmd: UpdateInsuredParticulars, uow: UnitOfWork, deps: Dependencies
) -> None:
    if not await repository.claim_command(uow.conn, cmd.command_id):
        return
    now = _now()
    updated = await repository.update_cards(uow.conn, cmd.subject_id, cmd.field, cmd.new_value)
    await uow.emit(
        InsuredParticularsUpdated(
            cmd.command_id, cmd.bundle_id, cmd.subject_id, cmd.field, updated, now
        ),
        time=now,
        subject=cmd.subject_id,
    )


async def enrol(cmd: EnrolInsured, uow: UnitOfWork, deps: Dependencies) -> str:
    await repository.lock_subject(uow.conn, cmd.subject_id)
    if await repository.active_card(uow.conn, cmd.subject_id) is not None:
        raise AlreadyInsured()
    if deps.units.get(cmd.unit_code, day_in_vietnam(cmd.issued_at)) is None:
        raise UnknownUnit(cmd.unit_code)
    province = deps.units.province_code(cmd.unit_code, day_in_vietnam(cmd.issued_at))
    card_number = cmd.card_number or f"{cmd.object_code}4{province}{cmd.id_number[-10:]}"
    await repository.add_card(
        uow.conn,
        card_number=card_number,
        subject_id=cmd.subject_id,
        id_number=cmd.id_number,
        full_name=cmd.full_name,
        birth_date=cmd.birth_date,
        object_code=cmd.object_code,
        valid_from=cmd.valid_from,
        valid_until=cmd.valid_until,
        issued_at=cmd.issued_at,
        command_id=None,
    )
    await uow.emit(
        HealthInsuranceCardSynced(
            sync_id=str(uuid.uuid4()),
            subject_id=cmd.subject_id,
            card_number=card_number,
            object_code=cmd.object_code,
            unit_code=cmd.unit_code,
            valid_from=cmd.valid_from,
            valid_until=cmd.valid_until,
            synced_at=cmd.issued_at,
            recorded_at=cmd.recorded_at,
            agency_record_id=cmd.agency_record_id,
        ),
        time=cmd.issued_at,
        subject=cmd.subject_id,
    )
    return card_number


async def record_lookup(cmd: RecordLookup, uow: UnitOfWork, deps: Dependencies) -> None:
    """Count a clinic's look-up and publish it, so the report counts look-ups by outcome."""
    await repository.record_lookup(
        uow.conn, cmd.looked_up_at, cmd.outcome is LookupOutcome.FOUND_VALID
    )
    await uow.emit(
        HealthInsuranceLookedUp(
            lookup_id=cmd.lookup_id,
            subject_id=cmd.subject_id,
            facility_code=cmd.facility_code,
            unit_code=cmd.unit_code,
            stated_birth_date=cmd.stated_birth_date,
            outcome=cmd.outcome,
            looked_up_at=cmd.looked_up_at,
            recorded_at=cmd.recorded_at if cmd.recorded_at > cmd.looked_up_at else None,
            agency_record_id=cmd.agency_record_id,
        ),
        time=cmd.looked_up_at,
        subject=cmd.subject_id,
    )


HANDLERS: dict[type, Any] = {
    IssueChildHealthInsuranceCard: issue_child_card,
    EndHealthInsurance: end_insurance,
    UpdateInsuredParticulars: update_particulars,
    EnrolInsured: enrol,
    RecordLookup: record_lookup,
}
