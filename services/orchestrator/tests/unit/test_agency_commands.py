"""The commands a bundle sends are built from its recorded data only."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from orchestrator.adapters.repository import BundleRow
from orchestrator.domain.events import (
    DecideDeathBenefits,
    IssueChildHealthInsuranceCard,
    RegisterPermanentResidence,
)
from orchestrator.domain.saga import BundleState, Step
from orchestrator.service_layer.commands import build, registration_province

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def _bundle(bundle_type: str, data: dict[str, object]) -> BundleRow:
    return BundleRow(
        bundle_id=uuid.uuid4(),
        bundle_type=bundle_type,
        dossier_id=uuid.uuid4(),
        procedure_code="X",
        unit_code="21211",
        subject_id="s-subject",
        state=BundleState.IN_PROGRESS,
        expected_subjects=frozenset(),
        child={
            "subject_id": "s-prov",
            "full_name": "Nguyễn Minh Khôi",
            "birth_date": "2026-11-27",
            "gender": "MALE",
        },
        started_at=NOW,
        deadline_at=NOW,
        data=data,
    )


def test_residence_is_asked_for_the_numbered_child_with_the_mother_first() -> None:
    b = _bundle(
        "BIRTH",
        {
            "child_subject_id": "s-child",
            "father": {"subject_id": "s-father", "full_name": "A"},
            "mother": {"subject_id": "s-mother", "full_name": "B"},
        },
    )
    cmd = build(Step.PERMANENT_RESIDENCE, b, "c-1", NOW)
    assert isinstance(cmd, RegisterPermanentResidence)
    assert (cmd.subject_id, cmd.parent_subject_ids) == ("s-child", ("s-mother", "s-father"))


def test_card_request_carries_the_issued_number_not_the_provisional_subject() -> None:
    b = _bundle("BIRTH", {"child_subject_id": "s-child", "child_id_number": "051226000001"})
    cmd = build(Step.HEALTH_INSURANCE_CARD, b, "c-2", NOW)
    assert isinstance(cmd, IssueChildHealthInsuranceCard)
    assert (cmd.subject_id, cmd.id_number, cmd.birth_date) == (
        "s-child",
        "051226000001",
        date(2026, 11, 27),
    )


def test_welfare_is_asked_with_the_date_of_death() -> None:
    cmd = build(
        Step.DEATH_BENEFITS_DECIDED, _bundle("DEATH", {"date_of_death": "2026-11-28"}), "c", NOW
    )
    assert isinstance(cmd, DecideDeathBenefits)
    assert cmd.date_of_death == date(2026, 11, 28)


IN_2022 = datetime(2022, 3, 14, 2, 0, tzinfo=UTC)


def test_id_number_province_of_a_legacy_commune_is_its_province_code() -> None:
    assert registration_province("21211", IN_2022) == "051"  # Xã Tịnh Khê, Quảng Ngãi
    assert registration_province("522", IN_2022) == "051"  # Thành phố Quảng Ngãi
    assert registration_province("23284", IN_2022) == "062"  # Phường Duy Tân, Thành phố Kon Tum


def test_id_number_province_of_a_2025_commune_is_that_of_its_territory() -> None:
    assert registration_province("21211", NOW) == "051"  # Xã Tịnh Khê (2025)
    assert registration_province("23284", NOW) == "062"  # Phường Đăk Cấm, Quảng Ngãi (2025)


def test_the_day_of_the_reform_is_the_day_in_vietnam() -> None:
    late_june_30_utc = datetime(2025, 6, 30, 18, 0, tzinfo=UTC)  # 1 July 01:00 in Vietnam
    assert registration_province("21211", late_june_30_utc) == "051"
    assert registration_province("522", late_june_30_utc) == ""  # no district level any more


def test_an_unknown_or_out_of_date_unit_has_no_registration_province() -> None:
    assert registration_province("51001", IN_2022) == ""
    assert registration_province("522", NOW) == ""
