"""Digitization HTTP API: upload, issue results, read, reuse, revoke, audit reads."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from digitization.adapters import repository
from digitization.domain import errors
from digitization.domain.commands import (
    IssueResult,
    ReadDocument,
    ReuseDocument,
    RevokeDocument,
    StoreDocument,
)
from digitization.domain.model import Document, Reader
from digitization.entrypoints import multipart
from digitization.service_layer import handlers
from lienthong.auth import Principal, Role
from lienthong.bus import MessageBus
from lienthong.policy import Scope, as_principal, guard
from lienthong.problems import Problem
from lienthong.subjects import SubjectIds

router = APIRouter(prefix="/api/v1", tags=["documents"])

ID_NUMBER = re.compile(r"^\d{12}$")
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
UNIT = re.compile(r"^\d{2,5}$")
CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,63}$")

# Digitization scopes documents itself (owner, uploading unit, read audit); the rules here
# name who may call each route.
Uploader = Annotated[
    Principal,
    Depends(as_principal(guard("document.upload", citizen=Scope.OWN, officer=Scope.UNIT))),
]
Issuer = Annotated[
    Principal, Depends(as_principal(guard("result.issue", officer=Scope.UNIT, admin=None)))
]
AnyReader = Annotated[
    Principal,
    Depends(
        as_principal(
            guard(
                "document.read",
                citizen=Scope.OWN,
                officer=Scope.UNIT,
                auditor=Scope.AUDITED,
                personal_data=True,
            )
        )
    ),
]
Revoker = Annotated[Principal, Depends(as_principal(guard("document.revoke", officer=Scope.UNIT)))]


class SignatureOut(BaseModel):
    status: str
    signer: str | None
    signer_certificate_sha256: str | None
    trusted: bool
    detail: str | None


class DocumentOut(BaseModel):
    id: uuid.UUID
    kind: str
    sha256: str
    owner_subject_id: str
    owner_id_number: str | None
    document_type: str
    content_type: str
    size_bytes: int
    page_count: int | None
    issuing_agency: str | None
    dossier_id: uuid.UUID | None
    unit_code: str | None
    valid_until: date | None
    signature: SignatureOut
    created_at: datetime
    revoked_at: datetime | None
    offered_for_reuse: bool
    deduplicated: bool = False


class ReuseIn(BaseModel):
    document_id: uuid.UUID
    unit_code: str | None = Field(
        default=None, pattern=r"^\d{2,5}$", description="unit of the new dossier (citizens)"
    )
    owner_subject_id: str | None = Field(
        default=None, max_length=80, description="the owner's subject id (officers must give it)"
    )


class RevokeIn(BaseModel):
    reason: str = Field(min_length=3, max_length=500)


class ReadOut(BaseModel):
    reader: str
    reader_role: str
    reader_agency: str | None
    reader_unit: str | None
    what: str
    allowed: bool
    read_at: datetime


def _out(doc: Document, principal: Principal, deduplicated: bool = False) -> DocumentOut:
    sig = doc.content.signature
    return DocumentOut(
        id=doc.id,
        kind=doc.kind.name,
        sha256=doc.content.sha256,
        owner_subject_id=doc.owner_subject_id,
        owner_id_number=doc.owner_id_number if principal.may_see_personal_data() else None,
        document_type=doc.document_type,
        content_type=doc.content.content_type,
        size_bytes=doc.content.size_bytes,
        page_count=doc.content.page_count,
        issuing_agency=doc.issuing_agency,
        dossier_id=doc.dossier_id,
        unit_code=doc.unit_code,
        valid_until=doc.valid_until,
        signature=SignatureOut(
            status=sig.status.name,
            signer=sig.signer,
            signer_certificate_sha256=sig.signer_certificate_sha256,
            trusted=sig.trusted,
            detail=sig.detail,
        ),
        created_at=doc.created_at,
        revoked_at=doc.revoked_at,
        offered_for_reuse=doc.is_offered(handlers.now().date()),
        deduplicated=deduplicated,
    )


def _problem(exc: errors.DigitizationError) -> Problem:
    field_errors = [{"pointer": exc.pointer, "detail": exc.detail}] if exc.pointer else None
    return Problem(exc.status, exc.type, exc.title, exc.detail, errors=field_errors)


def _bus(request: Request) -> MessageBus[handlers.Dependencies]:
    bus: MessageBus[handlers.Dependencies] = request.app.state.bus
    return bus


def _reader(principal: Principal) -> Reader:
    return Reader(principal.subject, principal.role.value, principal.agency, principal.unit)


class _Fields:
    """Typed access to the text fields of a multipart upload, collecting every field error."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        self.errors: list[dict[str, str]] = []

    def text(self, name: str, pattern: re.Pattern[str] | None = None) -> str | None:
        value = self.fields.get(name) or None
        if value is not None and pattern is not None and not pattern.match(value):
            self.errors.append({"pointer": f"/{name}", "detail": "has an invalid format"})
            return None
        return value

    def required(self, name: str, pattern: re.Pattern[str] | None = None) -> str:
        value = self.text(name, pattern)
        if value is None and name not in {e["pointer"][1:] for e in self.errors}:
            self.errors.append({"pointer": f"/{name}", "detail": "is required"})
        return value or ""

    def uuid(self, name: str, required: bool = False) -> uuid.UUID | None:
        value = self.required(name) if required else self.text(name)
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            self.errors.append({"pointer": f"/{name}", "detail": "is not a UUID"})
            return None

    def date(self, name: str) -> date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.errors.append({"pointer": f"/{name}", "detail": "is not a date (YYYY-MM-DD)"})
            return None

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise Problem(
                422,
                "validation-error",
                "The request has invalid fields",
                f"{len(self.errors)} field(s) are invalid",
                errors=self.errors,
            )


def _owner(fields: _Fields, principal: Principal, subjects: SubjectIds) -> tuple[str, str | None]:
    """The owner's subject id (and ID number, kept only in the database) for an upload."""
    if principal.role is Role.CITIZEN:
        return principal.subject, None
    id_number = fields.text("owner_id_number", ID_NUMBER)
    subject = fields.text("owner_subject_id")
    if id_number:
        return subjects.for_id_number(id_number), id_number
    if subject:
        return subject, None
    fields.errors.append(
        {"pointer": "/owner_id_number", "detail": "give owner_id_number or owner_subject_id"}
    )
    return "", None


async def _receive(request: Request) -> multipart.Upload:
    deps: handlers.Dependencies = _bus(request).dependencies
    try:
        return await multipart.receive(request, deps.staging, deps.max_upload_bytes)
    except errors.DigitizationError as exc:
        raise _problem(exc) from exc


@router.post("/documents", status_code=201, response_model=DocumentOut)
async def upload_document(request: Request, principal: Uploader) -> Any:
    """Upload a PDF, JPEG or PNG (multipart field ``file``) into its owner's warehouse."""
    upload = await _receive(request)
    assert upload.file is not None
    try:
        fields = _Fields(upload.fields)
        document_type = fields.required("document_type", CODE)
        declared = fields.text("sha256", SHA256)
        owner, id_number = _owner(fields, principal, request.app.state.subjects)
        dossier_id = fields.uuid("dossier_id")
        unit = principal.unit if principal.role is Role.OFFICER else fields.text("unit_code", UNIT)
        if dossier_id is not None and unit is None:
            fields.errors.append({"pointer": "/unit_code", "detail": "the dossier's unit"})
        valid_until = fields.date("valid_until")
        issuing_agency = fields.text("issuing_agency", CODE)
        fields.raise_if_invalid()
        content = await handlers.admit(
            upload.file, upload.sha256, upload.declared_type, declared, _bus(request).dependencies
        )
        command = StoreDocument(
            content=content,
            owner_subject_id=owner,
            owner_id_number=id_number,
            document_type=document_type,
            issuing_agency=issuing_agency,
            dossier_id=dossier_id,
            unit_code=unit,
            valid_until=valid_until,
            received_at=handlers.now(),
        )
        document, created = await _bus(request).handle_in_transaction(
            request.app.state.pool, command
        )
    except errors.DigitizationError as exc:
        raise _problem(exc) from exc
    finally:
        upload.file.discard()
    body = _out(document, principal, deduplicated=not created)
    if not created:
        return JSONResponse(body.model_dump(mode="json"), status_code=200)
    return body


@router.post("/results", status_code=201, response_model=DocumentOut)
async def issue_result(request: Request, principal: Issuer) -> DocumentOut:
    """Issue a dossier's result: the PDF is signed (PAdES) with the agency's key and stored."""
    upload = await _receive(request)
    assert upload.file is not None
    try:
        fields = _Fields(upload.fields)
        document_type = fields.required("document_type", CODE)
        dossier_id = fields.uuid("dossier_id", required=True)
        owner, id_number = _owner(fields, principal, request.app.state.subjects)
        valid_until = fields.date("valid_until")
        fields.raise_if_invalid()
        assert dossier_id is not None and principal.agency and principal.unit
        content = await handlers.sign_result(
            upload.file, _bus(request).dependencies, f"Result of dossier {dossier_id}"
        )
        command = IssueResult(
            content=content,
            owner_subject_id=owner,
            owner_id_number=id_number,
            document_type=document_type,
            issuing_agency=principal.agency,
            dossier_id=dossier_id,
            unit_code=principal.unit,
            valid_until=valid_until,
            issued_at=handlers.now(),
        )
        document = await _bus(request).handle_in_transaction(request.app.state.pool, command)
    except errors.DigitizationError as exc:
        raise _problem(exc) from exc
    finally:
        upload.file.discard()
    return _out(document, principal)


async def _read(
    request: Request, principal: Principal, document_id: uuid.UUID, what: str
) -> Document:
    command = ReadDocument(document_id, _reader(principal), what, handlers.now())
    try:
        document = await _bus(request).handle_in_transaction(request.app.state.pool, command)
    except errors.DigitizationError as exc:
        raise _problem(exc) from exc
    if document is None:
        raise _problem(errors.DocumentNotFound(f"document {document_id}"))
    assert isinstance(document, Document)
    return document


@router.get("/documents/{document_id}", response_model=DocumentOut)
async def get_document(
    document_id: uuid.UUID, request: Request, principal: AnyReader
) -> DocumentOut:
    """A document's metadata (the read is recorded)."""
    return _out(await _read(request, principal, document_id, "metadata"), principal)


@router.get("/documents/{document_id}/content", response_class=StreamingResponse)
async def download_document(
    document_id: uuid.UUID, request: Request, principal: AnyReader
) -> StreamingResponse:
    """The document's bytes, streamed (the read is recorded)."""
    document = await _read(request, principal, document_id, "content")
    deps: handlers.Dependencies = _bus(request).dependencies
    return StreamingResponse(
        deps.blobs.read(document.content.sha256),
        media_type=document.content.content_type,
        headers={
            "Content-Length": str(document.content.size_bytes),
            "ETag": f'"{document.content.sha256}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/warehouse", response_model=list[DocumentOut])
async def warehouse(
    request: Request,
    principal: AnyReader,
    subject_id: Annotated[str | None, Query(max_length=80)] = None,
) -> list[DocumentOut]:
    """Valid documents and results of a citizen, offered for reuse (own warehouse only)."""
    if principal.role is Role.CITIZEN:
        owner = principal.subject
    elif principal.role in (Role.AUDITOR, Role.ADMIN) and subject_id:
        owner = subject_id
    else:
        raise Problem(403, "forbidden", "Only citizens (their own) and auditors list warehouses")
    async with request.app.state.pool.acquire() as conn:
        documents = await repository.owned_by(conn, owner)
    return [_out(d, principal) for d in handlers.offered(documents, handlers.now().date())]


@router.get("/dossiers/{dossier_id}/documents", response_model=list[DocumentOut])
async def dossier_documents(
    dossier_id: uuid.UUID, request: Request, principal: AnyReader
) -> list[DocumentOut]:
    """Documents attached to a dossier (officers of the dossier's unit, auditors)."""
    async with request.app.state.pool.acquire() as conn:
        unit = await repository.dossier_unit(conn, dossier_id)
        documents = await repository.of_dossier(conn, dossier_id)
    if principal.role is Role.CITIZEN:
        documents = [d for d in documents if d.owner_subject_id == principal.subject]
    elif principal.role is Role.OFFICER and (
        unit is None
        or principal.unit is None
        or not _bus(request).dependencies.covers(principal.unit, unit)
    ):
        documents = []
    return [_out(d, principal) for d in documents]


@router.post("/dossiers/{dossier_id}/documents", status_code=201, response_model=DocumentOut)
async def reuse_document(
    dossier_id: uuid.UUID, body: ReuseIn, request: Request, principal: Uploader
) -> DocumentOut:
    """Attach a document from the warehouse to a new dossier instead of uploading it again."""
    unit = principal.unit if principal.role is Role.OFFICER else body.unit_code
    if unit is None:
        raise Problem(
            422,
            "validation-error",
            "The request has invalid fields",
            errors=[{"pointer": "/unit_code", "detail": "the new dossier's unit is required"}],
        )
    command = ReuseDocument(
        document_id=body.document_id,
        dossier_id=dossier_id,
        unit_code=unit,
        reader=_reader(principal),
        owner_subject_id=body.owner_subject_id,
        reused_at=handlers.now(),
    )
    try:
        document = await _bus(request).handle_in_transaction(request.app.state.pool, command)
    except errors.DigitizationError as exc:
        raise _problem(exc) from exc
    return _out(document, principal)


@router.post("/documents/{document_id}/revocation", response_model=DocumentOut)
async def revoke_document(
    document_id: uuid.UUID, body: RevokeIn, request: Request, principal: Revoker
) -> DocumentOut:
    """Revoke a document or result: it is no longer offered for reuse."""
    command = RevokeDocument(document_id, body.reason, _reader(principal), handlers.now())
    try:
        document = await _bus(request).handle_in_transaction(request.app.state.pool, command)
    except errors.DigitizationError as exc:
        raise _problem(exc) from exc
    return _out(document, principal)


@router.get("/documents/{document_id}/reads", response_model=list[ReadOut])
async def document_reads(
    document_id: uuid.UUID, request: Request, principal: AnyReader
) -> list[ReadOut]:
    """Who read the document and when (auditors, admins, and the owner)."""
    async with request.app.state.pool.acquire() as conn:
        document = await repository.get(conn, document_id)
        allowed = document is not None and (
            principal.role in (Role.AUDITOR, Role.ADMIN)
            or (principal.role is Role.CITIZEN and principal.subject == document.owner_subject_id)
        )
        if not allowed:
            raise _problem(errors.DocumentNotFound(f"document {document_id}"))
        rows = await repository.reads(conn, document_id)
    return [ReadOut(**row) for row in rows]
