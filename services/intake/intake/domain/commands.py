"""Commands the intake service accepts (imperative names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from intake.domain.model import Channel, Gender, PersonRole


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
