"""Pure rules of the digitization store: file formats, reuse, who may read."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from digitization import samples
from digitization.adapters.blobstore import S3BlobStore, blob_key
from digitization.adapters.sigv4 import Credentials
from digitization.adapters.staging import StagedFile
from digitization.domain import content
from digitization.domain.errors import TooLarge
from digitization.domain.events import DocumentKind, SignatureStatus
from digitization.domain.model import Content, Document, Reader, Signature, may_read
from lienthong.vn.units import units

TODAY = date(2026, 3, 1)


def document(
    *,
    valid_until: date | None = None,
    revoked: bool = False,
    signature: SignatureStatus = SignatureStatus.UNSIGNED,
    owner: str = "sub_owner",
) -> Document:
    return Document(
        id=uuid.uuid4(),
        kind=DocumentKind.DIGITIZED,
        owner_subject_id=owner,
        owner_id_number=None,
        document_type="id-card",
        issuing_agency=None,
        dossier_id=None,
        unit_code=None,
        valid_until=valid_until,
        content=Content("a" * 64, content.PDF, 10, 1, Signature(signature)),
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        revoked_at=datetime(2026, 2, 1, tzinfo=UTC) if revoked else None,
    )


def test_files_are_recognised_by_their_first_bytes_not_their_label() -> None:
    assert content.sniff(samples.pdf()) == content.PDF
    assert content.sniff(samples.png()) == content.PNG
    assert content.sniff(samples.jpeg()) == content.JPEG
    assert content.sniff(b"MZ\x90\x00") is None


def test_truncated_files_are_not_complete() -> None:
    for kind, data in (
        (content.PDF, samples.pdf()),
        (content.PNG, samples.png()),
        (content.JPEG, samples.jpeg()),
    ):
        assert content.is_complete(kind, data[-content.TAIL_BYTES :])
        assert not content.is_complete(kind, data[: len(data) // 2][-content.TAIL_BYTES :])


def test_a_specific_wrong_declared_type_is_a_mislabel_but_a_generic_one_is_not() -> None:
    assert content.declared_matches("application/octet-stream", content.PNG)
    assert content.declared_matches(None, content.PNG)
    assert content.declared_matches("image/jpg", content.JPEG)
    assert not content.declared_matches("application/pdf", content.PNG)


def test_expired_revoked_or_tampered_documents_are_not_offered_for_reuse() -> None:
    assert document().is_offered(TODAY)
    assert document(valid_until=TODAY).is_offered(TODAY)
    assert not document(valid_until=date(2026, 2, 28)).is_offered(TODAY)
    assert not document(revoked=True).is_offered(TODAY)
    assert not document(signature=SignatureStatus.INVALID).is_offered(TODAY)


def test_citizen_reads_own_officer_reads_dossiers_of_their_unit_auditor_reads_all() -> None:
    doc = document(owner="sub_a")
    assert may_read(Reader("sub_a", "citizen", None, None), doc, frozenset())
    assert not may_read(Reader("sub_b", "citizen", None, None), doc, frozenset({"51"}))
    assert may_read(Reader("o1", "officer", "JUSTICE", "51"), doc, frozenset({"51", "79"}))
    assert not may_read(Reader("o2", "officer", "JUSTICE", "01"), doc, frozenset({"51"}))
    assert may_read(Reader("a1", "auditor", None, None), doc, frozenset())


def test_staged_upload_hashes_while_writing_and_stops_at_the_limit(tmp_path: Path) -> None:
    staged = StagedFile(tmp_path, limit_bytes=10)
    staged.write(b"%PDF-")
    staged.write(b"12345")
    assert staged.finish() == hashlib.sha256(b"%PDF-12345").hexdigest()
    assert staged.head == b"%PDF-12345"
    too_big = StagedFile(tmp_path, limit_bytes=4)
    with pytest.raises(TooLarge):
        too_big.write(b"12345")
    too_big.discard()


def test_s3_objects_are_addressed_by_hash_with_path_style_signed_urls() -> None:
    sha = "ab" + "c" * 62
    store = S3BlobStore(
        "https://s3.example.vn:9000/", "warehouse", Credentials("AK", "SK", "ap-southeast-1")
    )
    url, headers = store.signed_request("PUT", sha, sha, {"content-length": "5"})
    assert blob_key(sha) == f"blobs/ab/cc/{sha}"
    assert url == f"https://s3.example.vn:9000/warehouse/blobs/ab/cc/{sha}"
    assert headers["x-amz-content-sha256"] == sha
    assert "/ap-southeast-1/s3/aws4_request" in headers["authorization"]
    assert (
        "SignedHeaders=content-length;host;x-amz-content-sha256;x-amz-date"
        in (headers["authorization"])
    )


def test_an_officer_of_a_2025_commune_reads_documents_of_the_legacy_communes_it_absorbed() -> None:
    def covers(scope: str, unit: str) -> bool:
        return units().covers(scope, unit, date(2026, 3, 2))

    doc = document()
    officer = Reader("o3", "officer", "JUSTICE", "21211")  # Xã Tịnh Khê (2025)
    assert may_read(officer, doc, frozenset({"21190"}), covers)  # legacy Tịnh Kỳ
    assert not may_read(officer, doc, frozenset({"21187"}), covers)  # went to Đông Sơn
