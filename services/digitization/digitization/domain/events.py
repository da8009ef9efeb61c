"""Events the digitization store emits; fields follow ``schemas/events/Document*``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

DOCUMENT_TOPIC = "digitization.document.events"


class SignatureStatus(enum.Enum):
    UNSIGNED = "unsigned"
    VALID = "valid"
    INVALID = "invalid"


class DocumentKind(enum.Enum):
    DIGITIZED = "digitized"
    RESULT = "result"


@dataclass(frozen=True)
class DocumentDigitized:
    document_id: str
    sha256: str
    owner_subject_id: str
    document_type: str
    content_type: str
    size_bytes: int
    page_count: int | None
    dossier_id: str | None
    issuing_agency: str | None
    unit_code: str | None
    signature_status: SignatureStatus
    signer_certificate_sha256: str | None
    valid_until: date | None
    digitized_at: datetime


@dataclass(frozen=True)
class ResultIssued:
    document_id: str
    sha256: str
    owner_subject_id: str
    dossier_id: str
    document_type: str
    issuing_agency: str
    unit_code: str
    size_bytes: int
    signer_certificate_sha256: str
    valid_until: date | None
    issued_at: datetime


@dataclass(frozen=True)
class DocumentReused:
    document_id: str
    owner_subject_id: str
    dossier_id: str
    original_dossier_id: str | None
    document_type: str
    kind: DocumentKind
    size_bytes: int
    reused_at: datetime


@dataclass(frozen=True)
class DocumentRevoked:
    document_id: str
    owner_subject_id: str
    document_type: str
    reason: str
    revoked_by_agency: str
    revoked_at: datetime


EMITTED: dict[type, str] = {
    DocumentDigitized: "vn.lienthong.digitization.DocumentDigitized",
    ResultIssued: "vn.lienthong.digitization.ResultIssued",
    DocumentReused: "vn.lienthong.digitization.DocumentReused",
    DocumentRevoked: "vn.lienthong.digitization.DocumentRevoked",
}
CONSUMED: dict[str, type] = {}
