"""Commands health insurance accepts and events it emits; fields follow ``schemas/``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

INSURANCE_EVENTS = "agency.insurance.events"
INSURANCE_CARD_EVENTS = "agency.insurance.card.events"


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
    card_number: str | None = None
    agency_record_id: str | None = None
    recorded_at: datetime | None = None


class LookupOutcome(enum.Enum):
    FOUND_VALID = "found_valid"
    NO_VALID_CARD = "no_valid_card"
    NOT_FOUND = "not_found"
    NAME_MISMATCH = "name_mismatch"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    UNREADABLE_QR = "unreadable_qr"
    OTHER = "other"


@dataclass(frozen=True)
class RecordLookup:
    """A clinic's look-up by ID number and what it found (HTTP)."""

    lookup_id: str
    subject_id: str
    facility_code: str | None
    unit_code: str | None
    stated_birth_date: date | None
    outcome: LookupOutcome
    looked_up_at: datetime
    recorded_at: datetime
    agency_record_id: str | None = None


@dataclass(frozen=True)
class HealthInsuranceCardSynced:
    sync_id: str
    subject_id: str
    card_number: str
    object_code: str
    unit_code: str
    valid_from: date
    valid_until: date
    synced_at: datetime
    recorded_at: datetime | None = None
    agency_record_id: str | None = None


@dataclass(frozen=True)
class HealthInsuranceLookedUp:
    lookup_id: str
    subject_id: str
    facility_code: str | None
    unit_code: str | None
    stated_birth_date: date | None
    outcome: LookupOutcome
    looked_up_at: datetime
    recorded_at: datetime | None = None
    agency_record_id: str | None = None


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
    HealthInsuranceCardSynced: "vn.lienthong.insurance.HealthInsuranceCardSynced",
    HealthInsuranceLookedUp: "vn.lienthong.insurance.HealthInsuranceLookedUp",
}
CONSUMED: dict[str, type] = {
    "vn.lienthong.insurance.IssueChildHealthInsuranceCard": IssueChildHealthInsuranceCard,
    "vn.lienthong.insurance.EndHealthInsurance": EndHealthInsurance,
    "vn.lienthong.insurance.UpdateInsuredParticulars": UpdateInsuredParticulars,
}
