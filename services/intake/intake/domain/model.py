"""Dossiers as the intake service keeps them.

Why this exists: a dossier (hồ sơ) is one application for one procedure, received on one
channel at one administrative unit, with the people it concerns. Its code and appointment
date are what the citizen is given at the counter or on the portal.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime


class Channel(enum.Enum):
    PORTAL = "portal"
    COUNTER = "counter"
    POSTAL = "postal"


class PersonRole(enum.Enum):
    APPLICANT = "applicant"
    CHILD = "child"
    FATHER = "father"
    MOTHER = "mother"
    DECEASED = "deceased"
    SUBJECT = "subject"
    OTHER = "other"


class Gender(enum.Enum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class DossierStatus(enum.Enum):
    """One-stop lifecycle (Decree 61/2018, Circular 01/2018); see ``domain/lifecycle.py``."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    IN_PROCESSING = "in_processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    RESULT_RETURNED = "result_returned"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Person:
    role: PersonRole
    subject_id: str
    id_number: str | None
    full_name: str
    birth_date: date | None
    gender: Gender | None


@dataclass(frozen=True)
class Dossier:
    id: uuid.UUID
    code: str
    procedure_code: str
    channel: Channel
    unit_code: str
    status: DossierStatus
    submitted_at: datetime
    appointment_at: datetime
    persons: tuple[Person, ...]
    document_refs: tuple[str, ...] = ()
    officer_id: str | None = None
    documents: tuple[DocumentRef, ...] = ()
    event_sequence: int = 1
    latest_appointment_at: datetime | None = None
    completed_at: datetime | None = None
    overdue_flagged_at: datetime | None = None
    portal_synced_sequence: int = 0
    acknowledgement_due_at: datetime | None = None
    acknowledgement_overdue_at: datetime | None = None

    @property
    def current_appointment_at(self) -> datetime:
        """The appointment the citizen holds now: the latest apology's, else the statutory one."""
        return self.latest_appointment_at or self.appointment_at


@dataclass(frozen=True)
class DocumentRef:
    """One dossier component (by the catalog's document code) and where it is stored."""

    code: str
    ref: str


def dossier_code(unit_code: str, submitted_at: datetime, sequence: int) -> str:
    """Human-readable code: unit, date received, daily sequence (e.g. 51-20260130-000042)."""
    return f"{unit_code}-{submitted_at:%Y%m%d}-{sequence:06d}"


def dossier_code_prefix(unit_code: str, submitted_at: datetime) -> str:
    """The part of ``dossier_code`` before the daily sequence (e.g. ``51-20260130-``)."""
    return f"{unit_code}-{submitted_at:%Y%m%d}-"
