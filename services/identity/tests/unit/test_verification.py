"""Checking a stated person against the population registry's answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

from identity.domain.events import (
    CitizenRecord,
    CitizenStatus,
    CitizenVerificationAnswered,
    Gender,
    MatchedBy,
    MatchLevel,
    MismatchCategory,
    PersonRole,
    SubmittedPerson,
)
from identity.domain.verification import assess, precheck
from lienthong.vn.legacy_encodings import encode_legacy_text

PLACE = "21211"  # Tịnh Khê, Thành phố Quảng Ngãi
HUNG = CitizenRecord(
    "sub_hung", "051090123456", "Nguyễn Văn Hùng", date(1990, 3, 14), Gender.MALE,
    CitizenStatus.ALIVE, None, PLACE,
)  # fmt: skip


def stated(
    name: str = "Nguyễn Văn Hùng",
    number: str | None = "051090123456",
    born: date | None = date(1990, 3, 14),
    gender: Gender | None = Gender.MALE,
    role: PersonRole = PersonRole.APPLICANT,
) -> SubmittedPerson:
    return SubmittedPerson(role, "sub_hung", number, name, born, gender)


def answer(
    record: CitizenRecord | None = HUNG,
    candidates: tuple[CitizenRecord, ...] = (),
    matched_by: MatchedBy = MatchedBy.ID_NUMBER,
) -> CitizenVerificationAnswered:
    return CitizenVerificationAnswered(
        "00000000-0000-0000-0000-000000000001",
        "sub_hung",
        matched_by if record else MatchedBy.NONE,
        record,
        candidates,
        datetime.now(UTC),
    )


def levels(finding: object) -> dict[str, MatchLevel]:
    return {m.field: m.level for m in finding.field_matches}  # type: ignore[attr-defined]


def test_newborn_in_a_dossier_is_verified_without_asking_the_registry() -> None:
    finding = precheck(stated("Nguyễn Minh Khôi", None, date(2026, 1, 1), role=PersonRole.CHILD))
    assert finding is not None and finding.verified
    assert levels(finding) == {"id_number": MatchLevel.NOT_CHECKED}


def test_newborn_of_a_civil_registry_birth_is_searched_for_duplicates() -> None:
    child = stated("Nguyễn Minh Khôi", None, date(2026, 1, 1), role=PersonRole.CHILD)
    assert precheck(child, ask_for_unnumbered_child=True) is None


def test_adult_without_a_number_is_searched_for_by_name_and_birth_date() -> None:
    assert precheck(stated(number=None)) is None


def test_adult_without_a_number_nor_a_birth_date_needs_verification() -> None:
    finding = precheck(stated(number=None, born=None))
    assert finding is not None and finding.category is MismatchCategory.NEEDS_VERIFICATION


def test_malformed_number_is_invalid_without_asking_the_registry() -> None:
    finding = precheck(stated(number="999090123456"))
    assert finding is not None and finding.category is MismatchCategory.INVALID_ID_NUMBER


def test_birth_year_contradicting_the_number_is_a_birth_date_mismatch() -> None:
    finding = precheck(stated(born=date(1991, 3, 14)))
    assert finding is not None and finding.category is MismatchCategory.BIRTH_DATE_MISMATCH


def test_gender_contradicting_the_number_is_a_gender_mismatch() -> None:
    finding = precheck(stated(gender=Gender.FEMALE))
    assert finding is not None and finding.category is MismatchCategory.GENDER_MISMATCH


def test_consistent_number_and_old_cmnd_are_asked_of_the_registry() -> None:
    assert precheck(stated()) is None
    assert precheck(stated(number="212345678")) is None


def test_exact_record_is_verified_with_every_field_exact() -> None:
    finding = assess(stated(), answer())
    assert finding.verified
    assert set(levels(finding).values()) == {MatchLevel.EXACT}


def test_old_tone_placement_and_nfd_are_the_same_name() -> None:
    import unicodedata

    mother = CitizenRecord(
        "sub_m", "051192654321", "Trần Thị Thuỷ", date(1992, 7, 2), Gender.FEMALE,
        CitizenStatus.ALIVE,
    )  # fmt: skip
    for variant in (
        "Trần Thị Thủy",
        unicodedata.normalize("NFD", "Trần Thị Thuỷ"),
        "TRẦN THỊ THUỶ",
    ):
        person = stated(variant, "051192654321", date(1992, 7, 2), Gender.FEMALE)
        finding = assess(person, answer(mother))
        assert finding.verified, variant
        assert levels(finding)["full_name"] is MatchLevel.NORMALIZED


def test_names_typed_in_tcvn3_or_vni_fonts_are_repaired_and_match() -> None:
    for encoding in ("tcvn3", "vni"):
        finding = assess(stated(encode_legacy_text("Nguyễn Văn Hùng", encoding)), answer())
        assert finding.verified, encoding


def test_name_without_any_diacritic_matches_its_letters() -> None:
    finding = assess(stated("NGUYEN VAN HUNG"), answer())
    assert finding.verified
    assert levels(finding)["full_name"] is MatchLevel.SIMILAR


def test_family_name_written_last_is_the_same_name() -> None:
    assert assess(stated("Hùng Nguyễn Văn"), answer()).verified


def test_a_typo_in_the_name_is_a_name_mismatch_at_similar_level() -> None:
    finding = assess(stated("Nguyễn Văn Hùnh"), answer())
    assert finding.category is MismatchCategory.NAME_MISMATCH
    assert levels(finding)["full_name"] is MatchLevel.SIMILAR


def test_someone_else_s_name_is_a_name_mismatch_at_different_level() -> None:
    finding = assess(stated("Lê Thị Mai"), answer())
    assert finding.category is MismatchCategory.NAME_MISMATCH
    assert levels(finding)["full_name"] is MatchLevel.DIFFERENT


def test_day_and_month_swapped_is_a_birth_date_mismatch() -> None:
    held = CitizenRecord(
        "sub_hung", "051090123456", "Nguyễn Văn Hùng", date(1990, 3, 4), Gender.MALE,
        CitizenStatus.ALIVE,
    )  # fmt: skip
    finding = assess(stated(born=date(1990, 4, 3)), answer(held))
    assert finding.category is MismatchCategory.BIRTH_DATE_MISMATCH
    assert "day and month swapped" in finding.detail
    assert levels(finding)["birth_date"] is MatchLevel.DIFFERENT


def test_unknown_number_is_not_found() -> None:
    finding = assess(stated(), answer(None))
    assert finding.category is MismatchCategory.NOT_FOUND


def test_a_deceased_applicant_is_flagged_but_a_deceased_in_a_death_registration_is_not() -> None:
    dead = CitizenRecord(
        HUNG.subject_id, HUNG.id_number, HUNG.full_name, HUNG.birth_date, HUNG.gender,
        CitizenStatus.DECEASED,
    )  # fmt: skip
    assert assess(stated(), answer(dead)).category is MismatchCategory.DECEASED
    assert assess(stated(role=PersonRole.DECEASED), answer(dead)).verified


def test_old_cmnd_found_through_its_alias_is_verified_at_normalized_level() -> None:
    finding = assess(stated(number="212345678"), answer(matched_by=MatchedBy.CMND_ALIAS))
    assert finding.verified
    assert levels(finding)["id_number"] is MatchLevel.NORMALIZED


def test_a_second_record_of_the_same_person_is_a_suspected_duplicate() -> None:
    other = CitizenRecord(
        "sub_other", "051090999999", "Nguyễn Văn Hùng", date(1990, 3, 14), Gender.MALE,
        CitizenStatus.ALIVE, None, PLACE,
    )  # fmt: skip
    finding = assess(stated(), answer(candidates=(other,)))
    assert finding.category is MismatchCategory.SUSPECTED_DUPLICATE
    assert [d.candidate.subject_id for d in finding.duplicates] == ["sub_other"]


def test_a_pair_cleared_by_an_officer_is_not_suspected_again() -> None:
    other = CitizenRecord(
        "sub_other", "051090999999", "Nguyễn Văn Hùng", date(1990, 3, 14), Gender.MALE,
        CitizenStatus.ALIVE,
    )  # fmt: skip
    assert assess(stated(), answer(candidates=(other,)), frozenset({"sub_other"})).verified


async def test_an_answer_without_a_valid_request_id_is_dead_lettered_at_once() -> None:
    import pytest

    from identity.service_layer.handlers import Dependencies, apply_answer
    from lienthong.inbox import PermanentError
    from lienthong.subjects import SubjectIds

    broken = CitizenVerificationAnswered(
        "not-a-uuid", "sub_hung", MatchedBy.NONE, None, (), datetime.now(UTC)
    )
    with pytest.raises(PermanentError):
        await apply_answer(broken, None, Dependencies(SubjectIds("k" * 16)))  # type: ignore[arg-type]


def test_every_mismatch_carries_the_duplicate_list_not_only_a_birth_date_one() -> None:
    twin_record = CitizenRecord(
        "sub_other", "051090654321", "Nguyễn Văn Hùng", date(1990, 3, 14), Gender.MALE,
        CitizenStatus.ALIVE, None, PLACE,
    )  # fmt: skip
    typo = assess(stated("Nguyễn Văn Hùnh"), answer(candidates=(twin_record,)))
    swap = assess(stated(born=date(1990, 3, 14).replace(day=3, month=3)), answer())
    assert typo.category is MismatchCategory.NAME_MISMATCH
    assert [d.candidate for d in typo.duplicates] == [twin_record]
    assert swap.duplicates == ()
    born_wrong = assess(stated(born=date(1990, 4, 14)), answer(candidates=(twin_record,)))
    assert [d.candidate for d in born_wrong.duplicates] == [twin_record]


def test_a_typo_against_the_record_of_the_number_suggests_the_registered_name() -> None:
    finding = assess(stated("Nguyễn Văn Hùnh"), answer())
    assert finding.correction is not None
    assert finding.correction.record == HUNG
    assert [(c.field, c.suggested) for c in finding.correction.corrections] == [
        ("full_name", "Nguyễn Văn Hùng")
    ]
