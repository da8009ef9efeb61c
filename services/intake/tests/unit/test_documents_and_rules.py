"""Required documents by reference, and the unit rules for receiving and acting."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

import pytest

from intake.domain.documents import check_documents, is_valid_reference
from intake.domain.model import DocumentRef
from intake.domain.procedures import load_procedures
from intake.domain.rules import accepts, may_act_on, served
from lienthong.vn.units import Level, Unit, units

PROCEDURES = load_procedures()
UNITS = units()
IN_2022 = date(2022, 6, 21)
IN_2026 = date(2026, 3, 2)


def _unit(code: str, on: date) -> Unit:
    found = UNITS.get(code, on)
    assert found is not None
    return found


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
    tinh_khe = _unit("21211", IN_2022)
    assert not accepts(PROCEDURES.get("JUDICIAL_RECORD"), tinh_khe)
    assert accepts(PROCEDURES.get("RESIDENCE_TEMPORARY"), tinh_khe)


def test_the_provincial_centre_receives_lower_level_procedures() -> None:
    assert accepts(PROCEDURES.get("BIRTH_LINKED"), _unit("51", IN_2022))
    assert accepts(PROCEDURES.get("BIRTH_LINKED"), _unit("51", IN_2026))


def test_a_2025_commune_receives_what_a_district_received() -> None:
    district_only = dataclasses.replace(PROCEDURES.get("BIRTH_LINKED"), levels=(Level.DISTRICT,))
    assert not accepts(district_only, _unit("21211", IN_2022))
    assert accepts(district_only, _unit("522", IN_2022))
    assert accepts(district_only, _unit("21211", IN_2026))


def test_an_officer_acts_on_own_unit_and_units_below_only() -> None:
    assert may_act_on("522", "522", UNITS, IN_2022)
    assert may_act_on("522", "21211", UNITS, IN_2022)
    assert may_act_on("51", "21211", UNITS, IN_2022)
    assert not may_act_on("524", "522", UNITS, IN_2022)
    assert not may_act_on("21211", "522", UNITS, IN_2022)
    assert not may_act_on(None, "522", UNITS, IN_2022)


def test_a_2025_commune_officer_acts_on_dossiers_of_the_communes_it_absorbed() -> None:
    assert may_act_on("21211", "21190", UNITS, IN_2026)  # Tịnh Kỳ, now part of Tịnh Khê
    assert not may_act_on("21211", "21187", UNITS, IN_2026)  # Tịnh Hòa went to Đông Sơn


def test_a_deployment_serves_its_provinces_and_their_legacy_units() -> None:
    assert served(UNITS, frozenset(), "01", IN_2026, IN_2026)
    assert served(UNITS, frozenset({"51"}), "21211", IN_2022, IN_2026)
    assert served(UNITS, frozenset({"51"}), "23284", IN_2022, IN_2026)  # Kon Tum, now Quảng Ngãi
    assert not served(UNITS, frozenset({"51"}), "00004", IN_2026, IN_2026)
