"""Commands the digitization store accepts (imperative; handlers in ``service_layer``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from digitization.domain.model import Content, Reader


@dataclass(frozen=True)
class StoreDocument:
    """Add verified content to an owner's warehouse as a digitized document."""

    content: Content
    owner_subject_id: str
    owner_id_number: str | None
    document_type: str
    issuing_agency: str | None
    dossier_id: uuid.UUID | None
    unit_code: str | None
    valid_until: date | None
    received_at: datetime


@dataclass(frozen=True)
class IssueResult:
    """Record a result the agency has just signed."""

    content: Content
    owner_subject_id: str
    owner_id_number: str | None
    document_type: str
    issuing_agency: str
    dossier_id: uuid.UUID
    unit_code: str
    valid_until: date | None
    issued_at: datetime


@dataclass(frozen=True)
class ReuseDocument:
    """Attach a document from the warehouse to a new dossier instead of a new upload."""

    document_id: uuid.UUID
    dossier_id: uuid.UUID
    unit_code: str
    reader: Reader
    owner_subject_id: str | None
    reused_at: datetime


@dataclass(frozen=True)
class RevokeDocument:
    document_id: uuid.UUID
    reason: str
    reader: Reader
    revoked_at: datetime


@dataclass(frozen=True)
class ReadDocument:
    """Look a document up for a reader; the read is recorded for the audit trail."""

    document_id: uuid.UUID
    reader: Reader
    what: str
    read_at: datetime
