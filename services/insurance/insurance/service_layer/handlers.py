"""Health-insurance handlers: each command is answered once, with an event through the outbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from insurance.adapters import repository
from insurance.domain import rules
from insurance.domain.events import (
    EndHealthInsurance,
    EnrolInsured,
    HealthInsuranceCardIssued,
    HealthInsuranceEnded,
    HealthInsuranceRequestRejected,
    InsuredParticularsUpdated,
    IssueChildHealthInsuranceCard,
    UpdateInsuredParticulars,
)
from lienthong.bus import UnitOfWork


class AlreadyInsured(Exception):
    """The person already holds an active card."""


@dataclass(frozen=True)
class Dependencies:
    vn_today: Callable[[], date]


def _now() -> datetime:
    return datetime.now(UTC)


async def issue_child_card(
    cmd: IssueChildHealthInsuranceCard, uow: UnitOfWork, deps: Dependencies
) -> None:
    if not await repository.claim_command(uow.conn, cmd.command_id):
        return
    await repository.lock_subject(uow.conn, cmd.subject_id)
    now = _now()
    card = rules.child_card(cmd.id_number, cmd.birth_date, cmd.unit_code, deps.vn_today())
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
    card_number = f"{cmd.object_code}4{cmd.unit_code[:2].rjust(2, '0')}{cmd.id_number[-10:]}"
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
    return card_number


HANDLERS: dict[type, Any] = {
    IssueChildHealthInsuranceCard: issue_child_card,
    EndHealthInsurance: end_insurance,
    UpdateInsuredParticulars: update_particulars,
    EnrolInsured: enrol,
}
