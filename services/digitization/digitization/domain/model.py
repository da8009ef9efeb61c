"""A document in the warehouse and the rules on who sees it and when it may be reused."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from digitization.domain.events import DocumentKind, SignatureStatus


@dataclass(frozen=True)
class Signature:
    status: SignatureStatus
    signer: str | None = None
    signer_certificate_sha256: str | None = None
    trusted: bool = False
    detail: str | None = None


@dataclass(frozen=True)
class Content:
    """Verified bytes already in the blob store under ``sha256``."""

    sha256: str
    content_type: str
    size_bytes: int
    page_count: int | None
    signature: Signature


@dataclass(frozen=True)
class Document:
    id: uuid.UUID
    kind: DocumentKind
    owner_subject_id: str
    owner_id_number: str | None
    document_type: str
    issuing_agency: str | None
    dossier_id: uuid.UUID | None
    unit_code: str | None
    valid_until: date | None
    content: Content
    created_at: datetime
    revoked_at: datetime | None = None
    revoked_reason: str | None = None

    def is_offered(self, today: date) -> bool:
        """May the warehouse offer it for reuse: not revoked, not expired, not tampered."""
        return (
            self.revoked_at is None
            and (self.valid_until is None or self.valid_until >= today)
            and self.content.signature.status is not SignatureStatus.INVALID
        )


@dataclass(frozen=True)
class Reader:
    """Who asks to read; the domain's view of an authenticated principal."""

    subject: str
    role: str
    agency: str | None
    unit: str | None


def _same_unit(scope: str, unit: str) -> bool:
    return scope == unit


def may_read(
    reader: Reader,
    document: Document,
    dossier_units: frozenset[str],
    covers: Callable[[str, str], bool] = _same_unit,
) -> bool:
    """A citizen reads their own; an officer what a dossier of a unit in their scope holds
    (``covers(officer_unit, dossier_unit)``, the units API's officer scope); auditors all."""
    if reader.role in ("auditor", "admin"):
        return True
    if reader.role == "citizen":
        return reader.subject == document.owner_subject_id
    if reader.role == "officer":
        scope = reader.unit
        return scope is not None and any(covers(scope, unit) for unit in dossier_units)
    return False
