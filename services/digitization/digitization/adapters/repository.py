"""All SQL of the digitization store (asyncpg)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from digitization.domain.events import DocumentKind, SignatureStatus
from digitization.domain.model import Content, Document, Reader, Signature

_SELECT = """
SELECT d.*, b.content_type, b.size_bytes, b.page_count, b.signature_status, b.signer,
       b.signer_certificate_sha256, b.signer_trusted, b.signature_detail
FROM documents d JOIN blobs b USING (sha256)
"""


async def add_blob(conn: asyncpg.Connection, content: Content) -> None:
    sig = content.signature
    await conn.execute(
        """
        INSERT INTO blobs (sha256, content_type, size_bytes, page_count, signature_status,
                           signer, signer_certificate_sha256, signer_trusted, signature_detail)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (sha256) DO NOTHING
        """,
        content.sha256,
        content.content_type,
        content.size_bytes,
        content.page_count,
        sig.status.name,
        sig.signer,
        sig.signer_certificate_sha256,
        sig.trusted,
        sig.detail,
    )


async def add(conn: asyncpg.Connection, document: Document) -> None:
    await conn.execute(
        """
        INSERT INTO documents (document_id, kind, sha256, owner_subject_id, owner_id_number,
                               document_type, issuing_agency, dossier_id, unit_code,
                               valid_until, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        """,
        document.id,
        document.kind.name,
        document.content.sha256,
        document.owner_subject_id,
        document.owner_id_number,
        document.document_type,
        document.issuing_agency,
        document.dossier_id,
        document.unit_code,
        document.valid_until,
        document.created_at,
    )


async def lock_owner(conn: asyncpg.Connection, owner_subject_id: str) -> None:
    """Serialise concurrent uploads of one owner so identical ones deduplicate."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", owner_subject_id)


async def find_same(
    conn: asyncpg.Connection, owner_subject_id: str, sha256: str, document_type: str
) -> Document | None:
    row = await conn.fetchrow(
        _SELECT + " WHERE d.owner_subject_id = $1 AND d.sha256 = $2 AND d.document_type = $3"
        " AND d.revoked_at IS NULL ORDER BY d.created_at LIMIT 1",
        owner_subject_id,
        sha256,
        document_type,
    )
    return _document(row) if row else None


async def get(conn: asyncpg.Connection, document_id: uuid.UUID) -> Document | None:
    row = await conn.fetchrow(_SELECT + " WHERE d.document_id = $1", document_id)
    return _document(row) if row else None


async def get_for_update(conn: asyncpg.Connection, document_id: uuid.UUID) -> Document | None:
    row = await conn.fetchrow(_SELECT + " WHERE d.document_id = $1 FOR UPDATE OF d", document_id)
    return _document(row) if row else None


async def owned_by(conn: asyncpg.Connection, owner_subject_id: str) -> list[Document]:
    rows = await conn.fetch(
        _SELECT + " WHERE d.owner_subject_id = $1 ORDER BY d.created_at", owner_subject_id
    )
    return [_document(r) for r in rows]


async def of_dossier(conn: asyncpg.Connection, dossier_id: uuid.UUID) -> list[Document]:
    rows = await conn.fetch(
        _SELECT + " JOIN document_dossiers l ON l.document_id = d.document_id"
        " WHERE l.dossier_id = $1 ORDER BY l.linked_at",
        dossier_id,
    )
    return [_document(r) for r in rows]


async def dossier_units(conn: asyncpg.Connection, document_id: uuid.UUID) -> frozenset[str]:
    rows = await conn.fetch(
        "SELECT DISTINCT unit_code FROM document_dossiers WHERE document_id = $1", document_id
    )
    return frozenset(r["unit_code"] for r in rows)


async def dossier_unit(conn: asyncpg.Connection, dossier_id: uuid.UUID) -> str | None:
    unit: str | None = await conn.fetchval(
        "SELECT unit_code FROM document_dossiers WHERE dossier_id = $1 LIMIT 1", dossier_id
    )
    return unit


async def link(
    conn: asyncpg.Connection,
    document_id: uuid.UUID,
    dossier_id: uuid.UUID,
    unit_code: str,
    *,
    reused: bool,
    at: datetime,
) -> bool:
    """Attach a document to a dossier; False if it already was."""
    status: str = await conn.execute(
        """
        INSERT INTO document_dossiers (document_id, dossier_id, unit_code, reused, linked_at)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
        """,
        document_id,
        dossier_id,
        unit_code,
        reused,
        at,
    )
    return status.endswith(" 1")


async def revoke(
    conn: asyncpg.Connection, document_id: uuid.UUID, reason: str, by: str, at: datetime
) -> None:
    await conn.execute(
        "UPDATE documents SET revoked_at = $2, revoked_reason = $3, revoked_by = $4"
        " WHERE document_id = $1",
        document_id,
        at,
        reason,
        by,
    )


async def record_read(
    conn: asyncpg.Connection,
    document_id: uuid.UUID,
    reader: Reader,
    what: str,
    *,
    allowed: bool,
    at: datetime,
) -> None:
    await conn.execute(
        """
        INSERT INTO document_reads (document_id, reader, reader_role, reader_agency,
                                    reader_unit, what, allowed, read_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """,
        document_id,
        reader.subject,
        reader.role,
        reader.agency,
        reader.unit,
        what,
        allowed,
        at,
    )


async def reads(conn: asyncpg.Connection, document_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT reader, reader_role, reader_agency, reader_unit, what, allowed, read_at"
        " FROM document_reads WHERE document_id = $1 ORDER BY id",
        document_id,
    )
    return [dict(r) for r in rows]


def _document(row: asyncpg.Record) -> Document:
    return Document(
        id=row["document_id"],
        kind=DocumentKind[row["kind"]],
        owner_subject_id=row["owner_subject_id"],
        owner_id_number=row["owner_id_number"],
        document_type=row["document_type"],
        issuing_agency=row["issuing_agency"],
        dossier_id=row["dossier_id"],
        unit_code=row["unit_code"],
        valid_until=row["valid_until"],
        content=Content(
            sha256=row["sha256"],
            content_type=row["content_type"],
            size_bytes=row["size_bytes"],
            page_count=row["page_count"],
            signature=Signature(
                status=SignatureStatus[row["signature_status"]],
                signer=row["signer"],
                signer_certificate_sha256=row["signer_certificate_sha256"],
                trusted=row["signer_trusted"],
                detail=row["signature_detail"],
            ),
        ),
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
        revoked_reason=row["revoked_reason"],
    )
