"""Commands welfare accepts and events it emits; fields follow ``schemas/``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from welfare.domain.rules import Category

WELFARE_EVENTS = "agency.welfare.events"


@dataclass(frozen=True)
class DecideDeathBenefits:
    command_id: str
    bundle_id: str
    subject_id: str
    date_of_death: date
    unit_code: str
    requested_at: datetime


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


@dataclass(frozen=True)
class FuneralAllowanceDecided:
    command_id: str
    bundle_id: str
    subject_id: str
    eligible: bool
    amount_vnd: int
    basis: str
    decided_at: datetime


@dataclass(frozen=True)
class SurvivorBenefitDecided:
    command_id: str
    bundle_id: str
    subject_id: str
    eligible: bool
    amount_vnd: int
    basis: str
    decided_at: datetime


@dataclass(frozen=True)
class RecurringPaymentsStopped:
    command_id: str
    bundle_id: str
    subject_id: str
    payments_stopped: int
    stopped_from: date
    overpayments: int
    stopped_at: datetime


@dataclass(frozen=True)
class OverpaymentRecorded:
    command_id: str
    bundle_id: str
    subject_id: str
    payment_id: str
    amount_vnd: int
    paid_on: date
    recorded_at: datetime


@dataclass(frozen=True)
class DeathBenefitsRefused:
    command_id: str
    bundle_id: str
    subject_id: str
    reason: str
    refused_at: datetime


EMITTED: dict[type, str] = {
    DeathBenefitsRefused: "vn.lienthong.welfare.DeathBenefitsRefused",
    FuneralAllowanceDecided: "vn.lienthong.welfare.FuneralAllowanceDecided",
    SurvivorBenefitDecided: "vn.lienthong.welfare.SurvivorBenefitDecided",
    RecurringPaymentsStopped: "vn.lienthong.welfare.RecurringPaymentsStopped",
    OverpaymentRecorded: "vn.lienthong.welfare.OverpaymentRecorded",
}
CONSUMED: dict[str, type] = {"vn.lienthong.welfare.DecideDeathBenefits": DecideDeathBenefits}
