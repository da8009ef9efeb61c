"""The portal's own view of intake's dossier events (only what it shows) and what it emits.

Why this exists: the national public service portal (Cổng DVC quốc gia) keeps its own copy of
each dossier's status history; it needs codes, statuses and times, never personal data, so
its view of ``DossierSubmitted`` leaves the persons out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

PORTAL_TOPIC = "agency.national_portal.events"
DOSSIER_TOPIC = "intake.dossier.events"


class DossierStatus(enum.Enum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    IN_PROCESSING = "in_processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    RESULT_RETURNED = "result_returned"
    WITHDRAWN = "withdrawn"
    OTHER = "other"


@dataclass(frozen=True)
class DossierParty:
    """A person of the dossier as the portal keeps them: a pseudonymous subject id only."""

    subject_id: str


@dataclass(frozen=True)
class DossierSubmitted:
    dossier_id: str
    dossier_code: str
    procedure_code: str
    unit_code: str
    submitted_at: datetime
    appointment_at: datetime
    persons: tuple[DossierParty, ...] = ()


@dataclass(frozen=True)
class DossierStatusChanged:
    dossier_id: str
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    action: str
    to_status: DossierStatus
    occurred_at: datetime
    new_appointment_at: datetime | None = None
    correction_of: str | None = None


@dataclass(frozen=True)
class DossierAcknowledgementOverdue:
    """An online dossier not acknowledged within 8 working hours (intake's event)."""

    dossier_id: str
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    acknowledgement_due_at: datetime


@dataclass(frozen=True)
class DossierOverdue:
    dossier_id: str
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    appointment_at: datetime


@dataclass(frozen=True)
class DossierCompleted:
    dossier_id: str
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    completed_at: datetime
    on_time: bool


@dataclass(frozen=True)
class PortalSyncAcknowledged:
    dossier_id: str
    dossier_code: str
    sequence: int
    source_event_id: str
    source_event_type: str
    status: str
    complete: bool
    acknowledged_at: datetime


EMITTED: dict[type, str] = {
    PortalSyncAcknowledged: "vn.lienthong.national_portal.PortalSyncAcknowledged",
}
CONSUMED: dict[str, type] = {
    "vn.lienthong.intake.DossierSubmitted": DossierSubmitted,
    "vn.lienthong.intake.DossierStatusChanged": DossierStatusChanged,
    "vn.lienthong.intake.DossierOverdue": DossierOverdue,
    "vn.lienthong.intake.DossierCompleted": DossierCompleted,
    "vn.lienthong.intake.DossierAcknowledgementOverdue": DossierAcknowledgementOverdue,
}
