"""Events the intake service emits (past tense); field names follow ``schemas/``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from intake.domain.lifecycle import Action
from intake.domain.model import Channel, DossierStatus, Gender, PersonRole

DOSSIER_TOPIC = "intake.dossier.events"


@dataclass(frozen=True)
class SubmittedPerson:
    role: PersonRole
    subject_id: str
    id_number: str | None
    full_name: str
    birth_date: date | None
    gender: Gender | None


@dataclass(frozen=True)
class DossierSubmitted:
    dossier_id: str
    dossier_code: str
    procedure_code: str
    channel: Channel
    unit_code: str
    submitted_at: datetime
    appointment_at: datetime
    persons: tuple[SubmittedPerson, ...]
    document_refs: tuple[str, ...] = ()
    officer_id: str | None = None


@dataclass(frozen=True)
class DossierStatusChanged:
    dossier_id: str
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    change_id: str
    action: Action
    from_status: DossierStatus
    to_status: DossierStatus
    occurred_at: datetime
    recorded_at: datetime
    officer_id: str | None = None
    officer_unit_code: str | None = None
    reason: str | None = None
    new_appointment_at: datetime | None = None
    correction_of: str | None = None


@dataclass(frozen=True)
class DossierOverdue:
    dossier_id: str
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    status: DossierStatus
    appointment_at: datetime
    detected_at: datetime


@dataclass(frozen=True)
class DossierAcknowledgementOverdue:
    """An online dossier still not acknowledged 8 working hours after receipt."""

    dossier_id: str
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    received_at: datetime
    acknowledgement_due_at: datetime
    detected_at: datetime


class Outcome(enum.Enum):
    APPROVED = "approved"
    REJECTED = "rejected"
    ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True)
class DossierCompleted:
    dossier_id: str
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    outcome: Outcome
    completed_at: datetime
    appointment_at: datetime
    on_time: bool
    change_id: str


@dataclass(frozen=True)
class PortalSyncAcknowledged:
    """Intake's view of the national portal's acknowledgement."""

    dossier_id: str
    sequence: int
    complete: bool
    acknowledged_at: datetime


@dataclass(frozen=True)
class ResidenceRegistered:
    """Intake's view of the residence register's fact."""

    residence_id: str
    subject_id: str
    kind: str
    unit_code: str
    registered_at: datetime
    valid_until: date | None = None


@dataclass(frozen=True)
class ResidenceEnded:
    residence_id: str
    subject_id: str
    kind: str
    ended_at: datetime


PORTAL_TOPIC = "agency.national_portal.events"
RESIDENCE_REGISTER_TOPIC = "agency.residence.register.events"

EMITTED: dict[type, str] = {
    DossierSubmitted: "vn.lienthong.intake.DossierSubmitted",
    DossierStatusChanged: "vn.lienthong.intake.DossierStatusChanged",
    DossierOverdue: "vn.lienthong.intake.DossierOverdue",
    DossierCompleted: "vn.lienthong.intake.DossierCompleted",
    DossierAcknowledgementOverdue: "vn.lienthong.intake.DossierAcknowledgementOverdue",
}
CONSUMED: dict[str, type] = {
    "vn.lienthong.national_portal.PortalSyncAcknowledged": PortalSyncAcknowledged,
}
RESIDENCE_CONSUMED: dict[str, type] = {
    "vn.lienthong.residence.ResidenceRegistered": ResidenceRegistered,
    "vn.lienthong.residence.ResidenceEnded": ResidenceEnded,
}
#: Kept for callers of the first version of this module.
EVENT_TYPES = EMITTED
