"""Welfare handlers: decide death benefits once per person; stop payments from the death."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lienthong.bus import UnitOfWork
from lienthong.vn.units import UNKNOWN_UNIT_REASON, UnitDirectory, units
from welfare.adapters import repository
from welfare.domain import rules
from welfare.domain.events import (
    DeathBenefitsRefused,
    DecideDeathBenefits,
    EnrolBeneficiary,
    FuneralAllowanceDecided,
    OverpaymentRecorded,
    RecordPayment,
    RecurringPaymentsStopped,
    SurvivorBenefitDecided,
)


class NotFound(Exception):
    pass


class Conflict(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Dependencies:
    units: UnitDirectory = field(default_factory=units)


def _now() -> datetime:
    return datetime.now(UTC)


async def decide_death_benefits(
    cmd: DecideDeathBenefits, uow: UnitOfWork, deps: Dependencies
) -> None:
    """Funeral allowance and survivor benefit, then stop payments; the stop is always last."""
    if not await repository.claim_command(uow.conn, cmd.command_id):
        return
    await repository.lock_subject(uow.conn, cmd.subject_id)
    now = _now()
    if not deps.units.known(cmd.unit_code):
        refused = DeathBenefitsRefused(
            cmd.command_id, cmd.bundle_id, cmd.subject_id, UNKNOWN_UNIT_REASON, now
        )
        await uow.emit(refused, time=now, subject=cmd.subject_id)
        return
    person = await repository.beneficiary(uow.conn, cmd.subject_id)
    category = rules.Category[person["category"]] if person else None
    monthly = person["monthly_amount_vnd"] if person else 0

    async def emit(event: object) -> None:
        await uow.emit(event, time=now, subject=cmd.subject_id)

    funeral = rules.funeral_allowance(category)
    if await repository.record_decision(
        uow.conn, cmd.command_id, "FUNERAL_ALLOWANCE", cmd.subject_id, funeral, now
    ):
        await emit(
            FuneralAllowanceDecided(
                cmd.command_id,
                cmd.bundle_id,
                cmd.subject_id,
                funeral.eligible,
                funeral.amount_vnd,
                funeral.basis,
                now,
            )
        )
    survivor = rules.survivor_benefit(category, monthly)
    if await repository.record_decision(
        uow.conn, cmd.command_id, "SURVIVOR_BENEFIT", cmd.subject_id, survivor, now
    ):
        await emit(
            SurvivorBenefitDecided(
                cmd.command_id,
                cmd.bundle_id,
                cmd.subject_id,
                survivor.eligible,
                survivor.amount_vnd,
                survivor.basis,
                now,
            )
        )
    stopped = overpaid = 0
    if person is not None:
        stopped = await repository.mark_deceased(
            uow.conn, person["beneficiary_id"], cmd.date_of_death, now
        )
        for payment in await repository.payments_on_or_after(
            uow.conn, person["beneficiary_id"], cmd.date_of_death
        ):
            await repository.add_overpayment(
                uow.conn,
                payment["payment_id"],
                cmd.subject_id,
                payment["amount_vnd"],
                payment["paid_on"],
                now,
            )
            overpaid += 1
            await emit(
                OverpaymentRecorded(
                    cmd.command_id,
                    cmd.bundle_id,
                    cmd.subject_id,
                    payment["payment_id"],
                    payment["amount_vnd"],
                    payment["paid_on"],
                    now,
                )
            )
    await emit(
        RecurringPaymentsStopped(
            cmd.command_id, cmd.bundle_id, cmd.subject_id, stopped, cmd.date_of_death, overpaid, now
        )
    )


async def enrol_beneficiary(cmd: EnrolBeneficiary, uow: UnitOfWork, deps: Dependencies) -> str:
    beneficiary_id = await repository.enrol(
        uow.conn, cmd.subject_id, cmd.category, cmd.monthly_amount_vnd, cmd.enrolled_at
    )
    if beneficiary_id is None:
        raise Conflict("ALREADY_A_BENEFICIARY")
    return str(beneficiary_id)


async def record_payment(cmd: RecordPayment, uow: UnitOfWork, deps: Dependencies) -> str:
    """A payment the paying office made; one made after a recorded death is an overpayment."""
    await repository.lock_subject(uow.conn, cmd.subject_id)
    person = await repository.beneficiary(uow.conn, cmd.subject_id)
    if person is None:
        raise NotFound()
    payment_id = await repository.add_payment(
        uow.conn, person["beneficiary_id"], cmd.paid_on, cmd.amount_vnd, cmd.recorded_at
    )
    death = person["date_of_death"]
    if death is not None and rules.is_overpayment(cmd.paid_on, death):
        await repository.add_overpayment(
            uow.conn, payment_id, cmd.subject_id, cmd.amount_vnd, cmd.paid_on, cmd.recorded_at
        )
    return str(payment_id)


HANDLERS: dict[type, Any] = {
    DecideDeathBenefits: decide_death_benefits,
    EnrolBeneficiary: enrol_beneficiary,
    RecordPayment: record_payment,
}
