"""Required documents by reference, and the unit rules for receiving and acting."""

from __future__ import annotations

import uuid

import pytest

from intake.domain.documents import check_documents, is_valid_reference
from intake.domain.model import DocumentRef
from intake.domain.procedures import load_procedures
from intake.domain.rules import accepts, may_act_on
from intake.domain.units import load_units

PROCEDURES = load_procedures()
UNITS = load_units()


@pytest.mark.parametrize("ref", [f"doc:{uuid.uuid4()}", "sha256:" + "ab" * 32])
def test_digitization_references_are_accepted(ref: str) -> None:
    assert is_valid_reference(ref)


@pytest.mark.parametrize(
    "ref",
    ["doc:not-a-uuid", "sha256:" + "ab" * 31, "sha256:" + "AB" * 32, "file:///etc/passwd", ""],
)
def test_malformed_references_are_refused(ref: str) -> None:
    assert not is_valid_reference(ref)


def test_a_missing_required_document_is_reported_without_an_index() -> None:
    procedure = PROCEDURES.get("RESIDENCE_PERMANENT")
    problems = check_documents(
        procedure, [DocumentRef("RESIDENCE_DECLARATION", f"doc:{uuid.uuid4()}")]
    )
    assert [p.index for p in problems] == [None]
    assert "LEGAL_RESIDENCE_PROOF" in problems[0].detail


def test_complete_documents_with_good_references_pass() -> None:
    procedure = PROCEDURES.get("RESIDENCE_PERMANENT")
    documents = [
        DocumentRef(d.code, "sha256:" + "0" * 64)
        for d in procedure.required_documents
        if d.required
    ]
    assert check_documents(procedure, documents) == []


def test_an_unknown_document_code_is_reported_at_its_position() -> None:
    procedure = PROCEDURES.get("TEMPORARY_ABSENCE")
    documents = [
        DocumentRef(d.code, f"doc:{uuid.uuid4()}") for d in procedure.required_documents
    ] + [DocumentRef("PASSPORT_PHOTO", f"doc:{uuid.uuid4()}")]
    problems = check_documents(procedure, documents)
    assert [p.index for p in problems] == [len(documents) - 1]


def test_a_commune_counter_does_not_receive_a_province_only_procedure() -> None:
    commune = next(u for u in UNITS if u.level.value == "commune")
    assert not accepts(PROCEDURES.get("JUDICIAL_RECORD"), commune.code, UNITS)
    assert accepts(PROCEDURES.get("RESIDENCE_TEMPORARY"), commune.code, UNITS)


def test_the_provincial_centre_receives_lower_level_procedures() -> None:
    assert accepts(PROCEDURES.get("BIRTH_LINKED"), "51", UNITS)


def test_an_officer_acts_on_own_unit_and_units_below_only() -> None:
    commune_of_522 = next(u for u in UNITS if u.parent_code == "522")
    assert may_act_on("522", "522", UNITS)
    assert may_act_on("522", commune_of_522.code, UNITS)
    assert may_act_on("51", commune_of_522.code, UNITS)
    assert not may_act_on("524", "522", UNITS)
    assert not may_act_on(commune_of_522.code, "522", UNITS)
    assert not may_act_on(None, "522", UNITS)
