"""Commands welfare accepts and events it emits.

The Avro contracts are the generated types of ``lienthong.contracts.events`` (written from
``schemas/``); only the officer's HTTP commands are welfare's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lienthong.contracts.events import (
    DeathBenefitsRefused,
    DecideDeathBenefits,
    FuneralAllowanceDecided,
    OverpaymentRecorded,
    RecurringPaymentsStopped,
    SurvivorBenefitDecided,
)
from welfare.domain.rules import Category


@dataclass(frozen=True)
class EnrolBeneficiary:
    """An officer enrols a beneficiary with a monthly payment (HTTP)."""

    subject_id: str
    category: Category
    monthly_amount_vnd: int
    enrolled_at: datetime


@dataclass(frozen=True)
class RecordPayment:
    """The paying office reports a payment made (HTTP)."""

    subject_id: str
    paid_on: date
    amount_vnd: int
    recorded_at: datetime


EMITTED: dict[type, str] = {
    DeathBenefitsRefused: "vn.lienthong.welfare.DeathBenefitsRefused",
    FuneralAllowanceDecided: "vn.lienthong.welfare.FuneralAllowanceDecided",
    SurvivorBenefitDecided: "vn.lienthong.welfare.SurvivorBenefitDecided",
    RecurringPaymentsStopped: "vn.lienthong.welfare.RecurringPaymentsStopped",
    OverpaymentRecorded: "vn.lienthong.welfare.OverpaymentRecorded",
}
CONSUMED: dict[str, type] = {"vn.lienthong.welfare.DecideDeathBenefits": DecideDeathBenefits}

__all__ = [
    "CONSUMED",
    "EMITTED",
    "DeathBenefitsRefused",
    "DecideDeathBenefits",
    "EnrolBeneficiary",
    "FuneralAllowanceDecided",
    "OverpaymentRecorded",
    "RecordPayment",
    "RecurringPaymentsStopped",
    "SurvivorBenefitDecided",
]
