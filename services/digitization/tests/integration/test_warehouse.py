"""The digitization store on real PostgreSQL and Kafka, through its HTTP API."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from digitization import samples
from lienthong.auth import Role

pytestmark = pytest.mark.integration

ID_NUMBER = "051090123456"


def blob_files(data_dir: Path) -> list[Path]:
    return [p for p in (data_dir / "blobs").rglob("*") if p.is_file()]


async def upload(service: Any, headers: dict[str, str], content: bytes, **fields: str) -> Any:
    content_type = fields.pop("content_type", "application/pdf")
    return await service.client.post(
        "/api/v1/documents",
        headers=headers,
        data={"document_type": "birth-certificate", **fields},
        files={"file": ("scan", content, content_type)},
    )


async def test_identical_uploads_are_stored_once_and_digitized_once(service: Any) -> None:
    officer = service.token(Role.OFFICER, agency="JUSTICE", unit="51")
    pdf = samples.pdf("Giay khai sinh " + uuid.uuid4().hex)
    sha = hashlib.sha256(pdf).hexdigest()
    dossier = str(uuid.uuid4())

    first = await upload(
        service, officer, pdf, owner_id_number=ID_NUMBER, sha256=sha, dossier_id=dossier
    )
    second = await upload(service, officer, pdf, owner_id_number=ID_NUMBER, dossier_id=dossier)

    assert first.status_code == 201, first.text
    assert second.status_code == 200 and second.json()["deduplicated"] is True
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["sha256"] == sha and first.json()["page_count"] == 1
    assert [p.name for p in blob_files(service.data_dir)] == [sha]
    other_owner = await upload(service, officer, pdf, owner_id_number="051090654321")
    assert other_owner.status_code == 201 and other_owner.json()["id"] != first.json()["id"]
    assert len(blob_files(service.data_dir)) == 1
    events = await service.events(2)
    assert [e[0] for e in events] == ["vn.lienthong.digitization.DocumentDigitized"] * 2
    _, record, key = events[0]
    assert record["sha256"] == sha and record["signature_status"] == "UNSIGNED"
    assert key == record["owner_subject_id"] and ID_NUMBER not in key
    assert ID_NUMBER not in str(record)


async def test_bad_files_are_refused_with_problem_documents(service: Any) -> None:
    citizen = service.token(Role.CITIZEN)
    pdf = samples.pdf("x")

    wrong_hash = await upload(service, citizen, pdf, sha256="0" * 64)
    mislabeled = await upload(service, citizen, samples.png(), content_type="application/pdf")
    truncated = await upload(service, citizen, pdf[: len(pdf) // 2])
    not_a_document = await upload(service, citizen, b"MZ\x90\x00 executable", content_type="")
    too_large = await upload(service, citizen, samples.pdf(padding=3 * 1024 * 1024))
    missing_type = await service.client.post(
        "/api/v1/documents", headers=citizen, files={"file": ("a.png", samples.png(), "image/png")}
    )

    assert wrong_hash.status_code == 422
    assert wrong_hash.json()["type"].endswith("/hash-mismatch")
    assert wrong_hash.json()["errors"][0]["pointer"] == "/sha256"
    assert mislabeled.status_code == 422 and mislabeled.json()["type"].endswith(
        "/mislabeled-document"
    )
    assert truncated.status_code == 422 and truncated.json()["type"].endswith("/corrupt-document")
    assert not_a_document.status_code == 415
    assert too_large.status_code == 413
    assert missing_type.status_code == 422
    assert missing_type.json()["errors"] == [{"pointer": "/document_type", "detail": "is required"}]
    for response in (wrong_hash, mislabeled, truncated, not_a_document, too_large):
        assert response.headers["content-type"] == "application/problem+json"
    assert blob_files(service.data_dir) == []
    assert list((service.data_dir / "staging").iterdir()) == []


async def test_signed_result_verifies_and_a_copy_tampered_by_one_byte_is_flagged(
    service: Any,
) -> None:
    officer = service.token(Role.OFFICER, agency="JUSTICE", unit="51")
    dossier = str(uuid.uuid4())
    issued = await service.client.post(
        "/api/v1/results",
        headers=officer,
        data={
            "document_type": "birth-certificate",
            "dossier_id": dossier,
            "owner_id_number": ID_NUMBER,
        },
        files={"file": ("result.pdf", samples.pdf("Trich luc khai sinh"), "application/pdf")},
    )
    assert issued.status_code == 201, issued.text
    result = issued.json()
    assert result["kind"] == "RESULT" and result["signature"]["status"] == "VALID"
    signed = (
        await service.client.get(f"/api/v1/documents/{result['id']}/content", headers=officer)
    ).content
    assert hashlib.sha256(signed).hexdigest() == result["sha256"]

    owner = service.token(Role.CITIZEN, subject=result["owner_subject_id"])
    verified = await upload(service, owner, signed, document_type="birth-certificate-copy")
    tampered = bytearray(signed)
    tampered[signed.index(b"Trich luc")] ^= 0x01
    flagged = await upload(service, owner, bytes(tampered), document_type="birth-certificate-copy")

    assert verified.status_code in (200, 201), verified.text
    assert verified.json()["signature"]["status"] == "VALID"
    assert verified.json()["signature"]["trusted"] is True
    assert "lienthong development signer" in verified.json()["signature"]["signer"]
    assert flagged.status_code == 201, flagged.text
    assert flagged.json()["signature"]["status"] == "INVALID"
    assert flagged.json()["offered_for_reuse"] is False
    warehouse = (await service.client.get("/api/v1/warehouse", headers=owner)).json()
    assert flagged.json()["id"] not in {d["id"] for d in warehouse}
    assert verified.json()["id"] in {d["id"] for d in warehouse}
    types = [e[0].rsplit(".", 1)[1] for e in await service.events(3)]
    assert types == ["ResultIssued", "DocumentDigitized", "DocumentDigitized"]


async def test_second_dossier_reuses_a_document_instead_of_a_new_upload(service: Any) -> None:
    citizen_id = "sub_" + uuid.uuid4().hex
    citizen = service.token(Role.CITIZEN, subject=citizen_id)
    first_dossier, second_dossier = str(uuid.uuid4()), str(uuid.uuid4())
    stored = await upload(
        service,
        citizen,
        samples.png(),
        content_type="image/png",
        document_type="id-card",
        dossier_id=first_dossier,
        unit_code="51",
    )
    assert stored.status_code == 201, stored.text
    document_id = stored.json()["id"]

    reuse = {"document_id": document_id, "unit_code": "79"}
    reused = await service.client.post(
        f"/api/v1/dossiers/{second_dossier}/documents", headers=citizen, json=reuse
    )
    again = await service.client.post(
        f"/api/v1/dossiers/{second_dossier}/documents", headers=citizen, json=reuse
    )
    stranger = await service.client.post(
        f"/api/v1/dossiers/{uuid.uuid4()}/documents",
        headers=service.token(Role.CITIZEN),
        json=reuse,
    )

    assert reused.status_code == 201 and again.status_code == 201
    assert stranger.status_code == 404
    officer_79 = service.token(Role.OFFICER, agency="POLICE", unit="79")
    listed = await service.client.get(
        f"/api/v1/dossiers/{second_dossier}/documents", headers=officer_79
    )
    assert [d["id"] for d in listed.json()] == [document_id]
    events = await service.events(2)
    assert [e[0].rsplit(".", 1)[1] for e in events] == ["DocumentDigitized", "DocumentReused"]
    _, record, key = events[1]
    assert str(record["dossier_id"]) == second_dossier
    assert str(record["original_dossier_id"]) == first_dossier
    assert record["kind"] == "DIGITIZED" and key == citizen_id


async def test_revoked_and_expired_documents_are_not_offered_for_reuse(service: Any) -> None:
    citizen_id = "sub_" + uuid.uuid4().hex
    citizen = service.token(Role.CITIZEN, subject=citizen_id)
    officer = service.token(Role.OFFICER, agency="JUSTICE", unit="51")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    expired = await upload(
        service, citizen, samples.pdf("old " + uuid.uuid4().hex), valid_until=yesterday
    )
    kept = await upload(service, citizen, samples.pdf("kept " + uuid.uuid4().hex))
    revoked = await upload(
        service,
        citizen,
        samples.pdf("rev " + uuid.uuid4().hex),
        dossier_id=str(uuid.uuid4()),
        unit_code="51",
    )
    revocation = await service.client.post(
        f"/api/v1/documents/{revoked.json()['id']}/revocation",
        headers=officer,
        json={"reason": "issued in error"},
    )
    assert revocation.status_code == 200, revocation.text

    warehouse = (await service.client.get("/api/v1/warehouse", headers=citizen)).json()
    refused = await service.client.post(
        f"/api/v1/dossiers/{uuid.uuid4()}/documents",
        headers=citizen,
        json={"document_id": expired.json()["id"], "unit_code": "51"},
    )

    assert [d["id"] for d in warehouse] == [kept.json()["id"]]
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/document-not-reusable")
    types = [e[0].rsplit(".", 1)[1] for e in await service.events(4)]
    assert types[-1] == "DocumentRevoked"


async def test_citizens_read_only_their_own_and_every_read_is_recorded(service: Any) -> None:
    owner_id = "sub_" + uuid.uuid4().hex
    owner = service.token(Role.CITIZEN, subject=owner_id)
    stored = await upload(
        service, owner, samples.pdf("mine"), dossier_id=str(uuid.uuid4()), unit_code="51"
    )
    document = stored.json()["id"]
    officer_51 = service.token(Role.OFFICER, subject="officer-51", agency="JUSTICE", unit="51")
    officer_79 = service.token(Role.OFFICER, subject="officer-79", agency="JUSTICE", unit="79")
    other_citizen = service.token(Role.CITIZEN)

    mine = await service.client.get(f"/api/v1/documents/{document}/content", headers=owner)
    theirs = await service.client.get(f"/api/v1/documents/{document}", headers=other_citizen)
    in_unit = await service.client.get(f"/api/v1/documents/{document}", headers=officer_51)
    out_of_unit = await service.client.get(f"/api/v1/documents/{document}", headers=officer_79)
    other_warehouse = await service.client.get("/api/v1/warehouse", headers=other_citizen)
    auditor = service.token(Role.AUDITOR, subject="auditor-1")
    reads = await service.client.get(f"/api/v1/documents/{document}/reads", headers=auditor)

    assert mine.status_code == 200 and mine.content == samples.pdf("mine")
    assert theirs.status_code == 404 and out_of_unit.status_code == 404
    assert in_unit.status_code == 200
    assert other_warehouse.json() == []
    trail = [(r["reader"], r["what"], r["allowed"]) for r in reads.json()]
    assert trail == [
        (owner_id, "content", True),
        (trail[1][0], "metadata", False),
        ("officer-51", "metadata", True),
        ("officer-79", "metadata", False),
    ]
    assert (
        await service.client.get(f"/api/v1/documents/{document}/reads", headers=owner)
    ).status_code == 200
