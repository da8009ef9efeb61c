"""Which blocked candidates are suspected to be the same person."""

from __future__ import annotations

from datetime import date

from identity.domain.duplicates import Reference, duplicate_reason
from identity.domain.events import CitizenRecord, CitizenStatus, Gender

PLACE = "21211"  # Tịnh Khê, Thành phố Quảng Ngãi
ANH = Reference("sub_a", "Bùi Thị Ngọc Ánh", date(1972, 4, 18), "FEMALE", None, PLACE)


def record(
    name: str,
    born: date = date(1972, 4, 18),
    gender: Gender = Gender.FEMALE,
    mother: str | None = None,
    status: CitizenStatus = CitizenStatus.ALIVE,
    place: str | None = PLACE,
) -> CitizenRecord:
    return CitizenRecord("sub_b", "051172118840", name, born, gender, status, mother, place)


def test_same_name_without_tones_and_same_birth_date_is_suspected() -> None:
    assert duplicate_reason(ANH, record("Bùi Thị Ngọc Anh")) == "NAME_AND_BIRTH_DATE"


def test_swapped_day_and_month_is_suspected() -> None:
    reference = Reference("sub_a", "Bùi Thị Ngọc Ánh", date(1972, 4, 8), "FEMALE", None, PLACE)
    assert (
        duplicate_reason(reference, record("Bùi Thị Ngọc Ánh", date(1972, 8, 4)))
        == "NAME_AND_SWAPPED_BIRTH_DATE"
    )


def test_different_gender_is_not_suspected() -> None:
    assert duplicate_reason(ANH, record("Bùi Thị Ngọc Ánh", gender=Gender.MALE)) is None


def test_same_name_and_birthday_with_different_mothers_are_two_people() -> None:
    reference = Reference("sub_a", "Trương Minh Tuấn", date(1995, 9, 9), "MALE", "051168000111")
    other = record("Trương Minh Tuấn", date(1995, 9, 9), Gender.MALE, "051170000222")
    assert duplicate_reason(reference, other) is None


def test_child_with_a_typo_and_the_same_mother_is_suspected() -> None:
    reference = Reference("sub_a", "Nguyễn Minh Khôi", date(2026, 1, 5), "MALE", "051192654321")
    other = record("Nguyễn Minh Khoi", date(2026, 1, 5), Gender.MALE, "051192654321")
    assert duplicate_reason(reference, other) == "MOTHER_AND_BIRTH_DATE"


def test_sibling_with_another_name_and_the_same_mother_is_not_suspected() -> None:
    reference = Reference("sub_a", "Nguyễn Minh Khôi", date(2026, 1, 5), "MALE", "051192654321")
    twin = record("Nguyễn Gia Bảo", date(2026, 1, 5), Gender.MALE, "051192654321")
    assert duplicate_reason(reference, twin) is None


def test_merged_and_cleared_records_are_not_suspected() -> None:
    assert duplicate_reason(ANH, record("Bùi Thị Ngọc Anh", status=CitizenStatus.MERGED)) is None
    assert duplicate_reason(ANH, record("Bùi Thị Ngọc Anh"), frozenset({"sub_b"})) is None


def test_namesakes_born_the_same_day_in_two_places_are_two_people() -> None:
    assert duplicate_reason(ANH, record("Bùi Thị Ngọc Ánh", place="21226")) is None


def test_namesakes_with_only_a_name_and_a_birthday_in_common_are_not_suspected() -> None:
    assert duplicate_reason(ANH, record("Bùi Thị Ngọc Ánh", place=None)) is None
