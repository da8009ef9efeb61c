"""Digitization handlers: plain functions, registered in ``HANDLERS``.

``admit`` runs before the transaction: it checks the staged bytes and puts them in the blob
store, so metadata never points at a missing blob (an unreferenced blob is harmless).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from digitization.adapters import repository
from digitization.adapters.blobstore import BlobStore
from digitization.adapters.pdf import PdfInspector, PdfSigner
from digitization.adapters.staging import StagedFile
from digitization.domain import content as formats
from digitization.domain import errors
from digitization.domain.commands import (
    IssueResult,
    ReadDocument,
    ReuseDocument,
    RevokeDocument,
    StoreDocument,
)
from digitization.domain.events import (
    DocumentDigitized,
    DocumentKind,
    DocumentReused,
    DocumentRevoked,
    ResultIssued,
    SignatureStatus,
)
from digitization.domain.model import Content, Document, Signature, may_read
from lienthong.bus import UnitOfWork
from lienthong.vn.units import UnitDirectory, day_in_vietnam
from lienthong.vn.units import units as unit_directory


@dataclass(frozen=True)
class Dependencies:
    blobs: BlobStore
    inspector: PdfInspector
    signer: PdfSigner
    staging: Path
    max_upload_bytes: int
    units: UnitDirectory = field(default_factory=unit_directory)

    def covers(self, scope: str, unit: str) -> bool:
        """Officer scope today (``UnitDirectory.covers``)."""
        return self.units.covers(scope, unit, day_in_vietnam(now()))


def now() -> datetime:
    return datetime.now(UTC)


async def admit(
    staged: StagedFile,
    sha256: str,
    declared_type: str | None,
    declared_sha256: str | None,
    deps: Dependencies,
) -> Content:
    """Check a staged file (type, completeness, declared hash, signatures) and store it."""
    try:
        if staged.size == 0:
            raise errors.CorruptContent("the file is empty", "/file")
        actual = formats.sniff(staged.head)
        if actual is None:
            raise errors.UnsupportedContent(
                "the file is not a PDF, JPEG or PNG (by its first bytes)", "/file"
            )
        if not formats.declared_matches(declared_type, actual):
            raise errors.MislabeledContent(
                f"declared {declared_type}, but the bytes are {actual}", "/file"
            )
        if declared_sha256 is not None and declared_sha256.lower() != sha256:
            raise errors.HashMismatch(f"the received bytes hash to {sha256}", "/sha256")
        if not formats.is_complete(actual, staged.tail):
            raise errors.CorruptContent(f"the {actual} file is truncated", "/file")
        page_count: int | None = 1
        signature = Signature(SignatureStatus.UNSIGNED)
        if actual == formats.PDF:
            try:
                facts = await asyncio.to_thread(deps.inspector.inspect, staged.path)
            except Exception as exc:
                raise errors.CorruptContent(
                    f"the PDF cannot be read ({type(exc).__name__})", "/file"
                ) from exc
            page_count, signature = facts.page_count, facts.signature
        await deps.blobs.put_file(sha256, staged.path)
        return Content(sha256, actual, staged.size, page_count, signature)
    finally:
        staged.discard()


async def sign_result(staged: StagedFile, deps: Dependencies, reason: str) -> Content:
    """Sign an agency's result PDF with its key and admit the signed file."""
    try:
        if formats.sniff(staged.head) != formats.PDF:
            raise errors.UnsupportedContent("a result is issued as a PDF", "/file")
        signed = deps.staging / f"signed-{uuid.uuid4().hex}.pdf"
        try:
            await asyncio.to_thread(deps.signer.sign, staged.path, signed, reason)
        except Exception as exc:
            signed.unlink(missing_ok=True)
            raise errors.CorruptContent(
                f"the PDF cannot be signed ({type(exc).__name__})", "/file"
            ) from exc
    finally:
        staged.discard()
    restaged = await asyncio.to_thread(_restage, signed, deps)
    sha256 = restaged.finish()
    content = await admit(restaged, sha256, formats.PDF, None, deps)
    if content.signature.status is not SignatureStatus.VALID:
        raise errors.CorruptContent("the signed result does not verify", "/file")
    return content


def _restage(path: Path, deps: Dependencies) -> StagedFile:
    staged = StagedFile(deps.staging, deps.max_upload_bytes * 2)
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            staged.write(chunk)
    path.unlink(missing_ok=True)
    return staged


async def store_document(
    cmd: StoreDocument, uow: UnitOfWork, deps: Dependencies
) -> tuple[Document, bool]:
    """Add to the warehouse; identical bytes of the same type for the same owner are one
    document (returned with ``False``)."""
    await repository.add_blob(uow.conn, cmd.content)
    await repository.lock_owner(uow.conn, cmd.owner_subject_id)
    same = await repository.find_same(
        uow.conn, cmd.owner_subject_id, cmd.content.sha256, cmd.document_type
    )
    if same is not None:
        if cmd.dossier_id is not None and cmd.unit_code is not None:
            await repository.link(
                uow.conn, same.id, cmd.dossier_id, cmd.unit_code, reused=False, at=cmd.received_at
            )
        return same, False
    document = Document(
        id=uuid.uuid4(),
        kind=DocumentKind.DIGITIZED,
        owner_subject_id=cmd.owner_subject_id,
        owner_id_number=cmd.owner_id_number,
        document_type=cmd.document_type,
        issuing_agency=cmd.issuing_agency,
        dossier_id=cmd.dossier_id,
        unit_code=cmd.unit_code,
        valid_until=cmd.valid_until,
        content=cmd.content,
        created_at=cmd.received_at,
    )
    await repository.add(uow.conn, document)
    if cmd.dossier_id is not None and cmd.unit_code is not None:
        await repository.link(
            uow.conn, document.id, cmd.dossier_id, cmd.unit_code, reused=False, at=cmd.received_at
        )
    await uow.emit(
        DocumentDigitized(
            document_id=str(document.id),
            sha256=cmd.content.sha256,
            owner_subject_id=document.owner_subject_id,
            document_type=document.document_type,
            content_type=cmd.content.content_type,
            size_bytes=cmd.content.size_bytes,
            page_count=cmd.content.page_count,
            dossier_id=str(cmd.dossier_id) if cmd.dossier_id else None,
            issuing_agency=cmd.issuing_agency,
            unit_code=cmd.unit_code,
            signature_status=cmd.content.signature.status,
            signer_certificate_sha256=(
                cmd.content.signature.signer_certificate_sha256
                if cmd.content.signature.status is SignatureStatus.VALID
                else None
            ),
            valid_until=cmd.valid_until,
            digitized_at=cmd.received_at,
        ),
        time=cmd.received_at,
        subject=document.owner_subject_id,
    )
    return document, True


async def issue_result(cmd: IssueResult, uow: UnitOfWork, deps: Dependencies) -> Document:
    await repository.add_blob(uow.conn, cmd.content)
    document = Document(
        id=uuid.uuid4(),
        kind=DocumentKind.RESULT,
        owner_subject_id=cmd.owner_subject_id,
        owner_id_number=cmd.owner_id_number,
        document_type=cmd.document_type,
        issuing_agency=cmd.issuing_agency,
        dossier_id=cmd.dossier_id,
        unit_code=cmd.unit_code,
        valid_until=cmd.valid_until,
        content=cmd.content,
        created_at=cmd.issued_at,
    )
    await repository.add(uow.conn, document)
    await repository.link(
        uow.conn, document.id, cmd.dossier_id, cmd.unit_code, reused=False, at=cmd.issued_at
    )
    fingerprint = cmd.content.signature.signer_certificate_sha256
    assert fingerprint is not None
    await uow.emit(
        ResultIssued(
            document_id=str(document.id),
            sha256=cmd.content.sha256,
            owner_subject_id=document.owner_subject_id,
            dossier_id=str(cmd.dossier_id),
            document_type=cmd.document_type,
            issuing_agency=cmd.issuing_agency,
            unit_code=cmd.unit_code,
            size_bytes=cmd.content.size_bytes,
            signer_certificate_sha256=fingerprint,
            valid_until=cmd.valid_until,
            issued_at=cmd.issued_at,
        ),
        time=cmd.issued_at,
        subject=document.owner_subject_id,
    )
    return document


async def reuse_document(cmd: ReuseDocument, uow: UnitOfWork, deps: Dependencies) -> Document:
    """Attach an offered document to a new dossier; attaching it twice is one reuse."""
    document = await repository.get_for_update(uow.conn, cmd.document_id)
    reader = cmd.reader
    visible = document is not None and (
        (reader.role == "citizen" and reader.subject == document.owner_subject_id)
        or (reader.role == "officer" and cmd.owner_subject_id == document.owner_subject_id)
        or reader.role == "admin"
    )
    if document is None or not visible:
        raise errors.DocumentNotFound(f"document {cmd.document_id}", "/document_id")
    if not document.is_offered(cmd.reused_at.date()):
        raise errors.NotOffered(f"document {cmd.document_id}", "/document_id")
    linked = await repository.link(
        uow.conn, document.id, cmd.dossier_id, cmd.unit_code, reused=True, at=cmd.reused_at
    )
    if linked:
        await uow.emit(
            DocumentReused(
                document_id=str(document.id),
                owner_subject_id=document.owner_subject_id,
                dossier_id=str(cmd.dossier_id),
                original_dossier_id=str(document.dossier_id) if document.dossier_id else None,
                document_type=document.document_type,
                kind=document.kind,
                size_bytes=document.content.size_bytes,
                reused_at=cmd.reused_at,
            ),
            time=cmd.reused_at,
            subject=document.owner_subject_id,
        )
    return document


async def revoke_document(cmd: RevokeDocument, uow: UnitOfWork, deps: Dependencies) -> Document:
    """Revoke: the issuing agency's officers, officers of a unit holding it, or an admin."""
    document = await repository.get_for_update(uow.conn, cmd.document_id)
    if document is None:
        raise errors.DocumentNotFound(f"document {cmd.document_id}")
    reader = cmd.reader
    units = await repository.dossier_units(uow.conn, document.id)
    allowed = reader.role == "admin" or (
        reader.role == "officer"
        and (
            (document.issuing_agency is not None and document.issuing_agency == reader.agency)
            or (reader.unit is not None and any(deps.covers(reader.unit, u) for u in units))
        )
    )
    if not allowed:
        raise errors.DocumentNotFound(f"document {cmd.document_id}")
    if document.revoked_at is not None:
        return document
    await repository.revoke(uow.conn, document.id, cmd.reason, reader.subject, cmd.revoked_at)
    await uow.emit(
        DocumentRevoked(
            document_id=str(document.id),
            owner_subject_id=document.owner_subject_id,
            document_type=document.document_type,
            reason=cmd.reason,
            revoked_by_agency=reader.agency or "admin",
            revoked_at=cmd.revoked_at,
        ),
        time=cmd.revoked_at,
        subject=document.owner_subject_id,
    )
    revoked = await repository.get(uow.conn, document.id)
    assert revoked is not None
    return revoked


async def read_document(cmd: ReadDocument, uow: UnitOfWork, deps: Dependencies) -> Document | None:
    """Every attempt is recorded (who, when, which, allowed or not) for the audit trail;
    a refused read returns None (the transaction must commit to keep the record)."""
    document = await repository.get(uow.conn, cmd.document_id)
    if document is None:
        raise errors.DocumentNotFound(f"document {cmd.document_id}")
    units = await repository.dossier_units(uow.conn, document.id)
    allowed = may_read(cmd.reader, document, units, deps.covers)
    await repository.record_read(
        uow.conn, document.id, cmd.reader, cmd.what, allowed=allowed, at=cmd.read_at
    )
    return document if allowed else None


def offered(documents: list[Document], today: date) -> list[Document]:
    return [d for d in documents if d.is_offered(today)]


HANDLERS: dict[type, Any] = {
    StoreDocument: store_document,
    IssueResult: issue_result,
    ReuseDocument: reuse_document,
    RevokeDocument: revoke_document,
    ReadDocument: read_document,
}
