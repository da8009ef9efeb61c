"""Commands the intake service accepts (imperative names)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from intake.domain.lifecycle import Action
from intake.domain.model import Channel, DocumentRef, Gender, PersonRole


@dataclass(frozen=True)
class PersonInput:
    role: PersonRole
    full_name: str
    id_number: str | None
    birth_date: date | None
    gender: Gender | None


@dataclass(frozen=True)
class SubmitDossier:
    procedure_code: str
    channel: Channel
    unit_code: str
    persons: tuple[PersonInput, ...]
    received_at: datetime
    document_refs: tuple[str, ...] = ()
    officer_id: str | None = None
    idempotency_key: str | None = None
    request_fingerprint: str | None = None
    documents: tuple[DocumentRef, ...] | None = None


@dataclass(frozen=True)
class ActOnDossier:
    """An officer's action on a dossier (a status transition, an apology or a correction)."""

    dossier_id: uuid.UUID
    action: Action
    occurred_at: datetime
    officer_id: str | None
    officer_unit_code: str | None
    scoped_to_unit: bool
    reason: str | None = None
    new_appointment_at: datetime | None = None
    correction_of: uuid.UUID | None = None


@dataclass(frozen=True)
class FlagOverdueDossiers:
    """Emit ``DossierOverdue`` for every open dossier whose deadline passed by ``now``."""

    now: datetime
    limit: int = 100


@dataclass(frozen=True)
class FlagLateAcknowledgements:
    """Find online dossiers not acknowledged within 8 working hours (Decree 45/2020)."""

    now: datetime
    limit: int = 100
