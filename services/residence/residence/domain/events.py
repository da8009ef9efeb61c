"""Commands residence accepts and events it emits; fields follow ``schemas/``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

RESIDENCE_EVENTS = "agency.residence.events"


@dataclass(frozen=True)
class RegisterPermanentResidence:
    command_id: str
    bundle_id: str
    subject_id: str
    parent_subject_ids: tuple[str, ...]
    unit_code: str
    requested_at: datetime


@dataclass(frozen=True)
class RemovePermanentResidence:
    command_id: str
    bundle_id: str
    subject_id: str
    effective_date: date
    reason: str
    requested_at: datetime


@dataclass(frozen=True)
class UpdateResidentParticulars:
    command_id: str
    bundle_id: str
    subject_id: str
    field: str
    new_value: str
    effective_date: date
    requested_at: datetime


@dataclass(frozen=True)
class RegisterByOfficer:
    """An officer registers a person's permanent residence at the counter (HTTP)."""

    subject_id: str
    unit_code: str
    address: str
    registered_at: datetime


@dataclass(frozen=True)
class PermanentResidenceRegistered:
    command_id: str
    bundle_id: str
    subject_id: str
    residence_id: str
    unit_code: str
    address_pending: bool
    registered_at: datetime


@dataclass(frozen=True)
class PermanentResidenceRemoved:
    command_id: str
    bundle_id: str
    subject_id: str
    had_residence: bool
    effective_date: date
    removed_at: datetime


@dataclass(frozen=True)
class ResidentParticularsUpdated:
    command_id: str
    bundle_id: str
    subject_id: str
    field: str
    record_found: bool
    updated_at: datetime


@dataclass(frozen=True)
class ResidenceRequestRejected:
    command_id: str
    bundle_id: str
    subject_id: str
    reason: str
    rejected_at: datetime


class ResidenceKind(enum.Enum):
    PERMANENT = "permanent"
    TEMPORARY = "temporary"
    OTHER = "other"


@dataclass(frozen=True)
class ResidenceRegistered:
    """A residence recorded, whatever started it: the register's fact for other agencies."""

    residence_id: str
    subject_id: str
    kind: ResidenceKind
    unit_code: str
    registered_at: datetime
    valid_until: date | None = None
    recorded_at: datetime | None = None
    agency_record_id: str | None = None


@dataclass(frozen=True)
class ResidenceEnded:
    residence_id: str
    subject_id: str
    kind: ResidenceKind
    ended_at: datetime
    reason: str | None = None


REGISTER_EVENTS = "agency.residence.register.events"

EMITTED: dict[type, str] = {
    ResidenceRegistered: "vn.lienthong.residence.ResidenceRegistered",
    ResidenceEnded: "vn.lienthong.residence.ResidenceEnded",
    PermanentResidenceRegistered: "vn.lienthong.residence.PermanentResidenceRegistered",
    PermanentResidenceRemoved: "vn.lienthong.residence.PermanentResidenceRemoved",
    ResidentParticularsUpdated: "vn.lienthong.residence.ResidentParticularsUpdated",
    ResidenceRequestRejected: "vn.lienthong.residence.ResidenceRequestRejected",
}
CONSUMED: dict[str, type] = {
    "vn.lienthong.residence.RegisterPermanentResidence": RegisterPermanentResidence,
    "vn.lienthong.residence.RemovePermanentResidence": RemovePermanentResidence,
    "vn.lienthong.residence.UpdateResidentParticulars": UpdateResidentParticulars,
}
