"""Events the intake service emits (past tense); field names follow ``schemas/``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from intake.domain.model import Channel, Gender, PersonRole

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


EVENT_TYPES: dict[type, str] = {DossierSubmitted: "vn.lienthong.intake.DossierSubmitted"}
