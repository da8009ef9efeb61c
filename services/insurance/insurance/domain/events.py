"""Commands health insurance accepts and events it emits; fields follow ``schemas/``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

INSURANCE_EVENTS = "agency.insurance.events"


@dataclass(frozen=True)
class IssueChildHealthInsuranceCard:
    command_id: str
    bundle_id: str
    subject_id: str
    id_number: str
    full_name: str
    birth_date: date
    unit_code: str
    requested_at: datetime


@dataclass(frozen=True)
class EndHealthInsurance:
    command_id: str
    bundle_id: str
    subject_id: str
    end_date: date
    reason: str
    requested_at: datetime


@dataclass(frozen=True)
class UpdateInsuredParticulars:
    command_id: str
    bundle_id: str
    subject_id: str
    field: str
    new_value: str
    effective_date: date
    requested_at: datetime


@dataclass(frozen=True)
class EnrolInsured:
    """An officer enrols a person with a card of another object code (HTTP)."""

    subject_id: str
    id_number: str
    full_name: str
    birth_date: date
    object_code: str
    unit_code: str
    valid_from: date
    valid_until: date
    issued_at: datetime


@dataclass(frozen=True)
class HealthInsuranceCardIssued:
    command_id: str
    bundle_id: str
    subject_id: str
    card_number: str
    valid_from: date
    valid_until: date
    issued_at: datetime


@dataclass(frozen=True)
class HealthInsuranceEnded:
    command_id: str
    bundle_id: str
    subject_id: str
    cards_ended: int
    end_date: date
    ended_at: datetime


@dataclass(frozen=True)
class InsuredParticularsUpdated:
    command_id: str
    bundle_id: str
    subject_id: str
    field: str
    cards_updated: int
    updated_at: datetime


@dataclass(frozen=True)
class HealthInsuranceRequestRejected:
    command_id: str
    bundle_id: str
    subject_id: str
    reason: str
    rejected_at: datetime


EMITTED: dict[type, str] = {
    HealthInsuranceCardIssued: "vn.lienthong.insurance.HealthInsuranceCardIssued",
    HealthInsuranceEnded: "vn.lienthong.insurance.HealthInsuranceEnded",
    InsuredParticularsUpdated: "vn.lienthong.insurance.InsuredParticularsUpdated",
    HealthInsuranceRequestRejected: "vn.lienthong.insurance.HealthInsuranceRequestRejected",
}
CONSUMED: dict[str, type] = {
    "vn.lienthong.insurance.IssueChildHealthInsuranceCard": IssueChildHealthInsuranceCard,
    "vn.lienthong.insurance.EndHealthInsurance": EndHealthInsurance,
    "vn.lienthong.insurance.UpdateInsuredParticulars": UpdateInsuredParticulars,
}
