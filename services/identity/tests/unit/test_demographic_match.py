"""People without a usable number: found by name and birth date, or put to an officer."""

from __future__ import annotations

from datetime import UTC, date, datetime

from identity.domain import demographic
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
from identity.domain.verification import assess
from lienthong.vn.legacy_encodings import encode_legacy_text

MOTHER = "051185000111"


def held(
    name: str = "Trần Thị Cẩm",
    born: date = date(1988, 5, 9),
    gender: Gender = Gender.FEMALE,
    mother: str | None = None,
    number: str = "051188000123",
) -> CitizenRecord:
    return CitizenRecord("sub_" + number, number, name, born, gender, CitizenStatus.ALIVE, mother)


def person(
    name: str = "Trần Thị Cẩm",
    born: date | None = date(1988, 5, 9),
    number: str | None = None,
    role: PersonRole = PersonRole.APPLICANT,
    gender: Gender | None = Gender.FEMALE,
) -> SubmittedPerson:
    return SubmittedPerson(role, "sub_stated", number, name, born, gender)


def searched(*candidates: CitizenRecord) -> CitizenVerificationAnswered:
    return CitizenVerificationAnswered(
        "00000000-0000-0000-0000-000000000009",
        "sub_stated",
        MatchedBy.NONE,
        None,
        candidates,
        datetime.now(UTC),
    )


def test_a_person_without_a_number_is_verified_by_one_unambiguous_record() -> None:
    record = held()
    finding = assess(person(encode_legacy_text("Trần Thị Cẩm", "tcvn3")), searched(record))
    assert finding.verified
    assert finding.matched == record
    assert {m.field: m.level for m in finding.field_matches}["id_number"] is (
        MatchLevel.DEMOGRAPHIC
    )


def test_a_number_the_register_does_not_hold_is_matched_by_name_and_birth_date() -> None:
    finding = assess(person(number="212345678"), searched(held()))
    assert finding.verified and finding.matched == held()


def test_two_namesakes_born_the_same_day_make_one_review_case_with_ranked_candidates() -> None:
    first, second = held(number="051188000123"), held(number="051188000777")
    finding = assess(person(), searched(first, second))
    assert finding.category is MismatchCategory.NEEDS_VERIFICATION
    assert [c.record for c in finding.candidates] == [first, second]
    assert {s.field for s in finding.candidates[0].field_scores} == {
        "full_name", "birth_date", "gender", "mother", "birth_place",
    }  # fmt: skip


def test_no_candidate_above_the_review_threshold_is_not_found() -> None:
    finding = assess(person(), searched(held(name="Trần Thị Lan")))
    assert finding.category is MismatchCategory.NOT_FOUND
    assert not finding.candidates


def test_a_typo_names_the_record_and_the_correction_and_is_never_verified() -> None:
    record = held()
    finding = assess(person("Trần Thị Cẩn"), searched(record))
    assert not finding.verified
    assert finding.category is MismatchCategory.NAME_MISMATCH
    assert finding.correction is not None and finding.correction.record == record
    (fix,) = finding.correction.corrections
    assert (fix.field, fix.suggested, fix.kind) == ("full_name", "Trần Thị Cẩm", "TYPO")


def test_a_day_month_swap_suggests_the_registered_date() -> None:
    finding = assess(person(born=date(1988, 9, 5)), searched(held()))
    assert finding.category is MismatchCategory.BIRTH_DATE_MISMATCH
    assert finding.correction is not None
    (fix,) = finding.correction.corrections
    assert (fix.suggested, fix.kind) == ("1988-05-09", "SWAPPED_DAY_MONTH")


def test_a_namesake_with_another_mother_is_not_a_candidate() -> None:
    stated = demographic.Stated("Lê Minh Khôi", date(2020, 2, 2), Gender.MALE, MOTHER)
    other = held("Lê Minh Khôi", date(2020, 2, 2), Gender.MALE, mother="051186000999")
    assert demographic.rank(stated, [other]) == ()


def test_a_twin_is_not_taken_for_the_child() -> None:
    stated = demographic.Stated("Lê Minh Khôi", date(2020, 2, 2), Gender.MALE, MOTHER)
    twin = held("Lê Minh Khoa", date(2020, 2, 2), Gender.MALE, mother=MOTHER)
    assert demographic.rank(stated, [twin]) == ()


def test_a_registered_child_found_in_the_register_is_a_suspected_duplicate() -> None:
    record = held("Lê Minh Khôi", date(2022, 2, 2), Gender.MALE, mother=MOTHER)
    child = person("Lê Minh Khôi", date(2022, 2, 2), role=PersonRole.CHILD, gender=Gender.MALE)
    finding = assess(child, searched(record), mother_id_number=MOTHER)
    assert finding.category is MismatchCategory.SUSPECTED_DUPLICATE
    assert [c.record for c in finding.candidates] == [record]


def test_a_late_registered_child_born_before_july_2021_needs_verification() -> None:
    child = person("Lê Minh Khôi", date(2019, 6, 30), role=PersonRole.CHILD, gender=Gender.MALE)
    finding = assess(child, searched(), on=date(2022, 5, 20))
    assert finding.category is MismatchCategory.NEEDS_VERIFICATION


def test_a_child_born_after_the_link_opened_is_numbered_without_verification() -> None:
    child = person("Lê Minh Khôi", date(2021, 7, 1), role=PersonRole.CHILD, gender=Gender.MALE)
    assert assess(child, searched(), on=date(2022, 5, 20)).verified


def test_the_report_counts_each_failed_birth_request_in_one_of_three_categories() -> None:
    from identity.domain.report_categories import BirthIdNumberError, classify

    assert classify(None) is None
    assert classify(MismatchCategory.SUSPECTED_DUPLICATE) is BirthIdNumberError.SUSPECTED_DUPLICATE
    assert classify(MismatchCategory.NEEDS_VERIFICATION) is (
        BirthIdNumberError.CHILD_NEEDS_VERIFICATION
    )
    for category in (MismatchCategory.NAME_MISMATCH, MismatchCategory.NOT_FOUND):
        assert classify(category) is BirthIdNumberError.CIVIL_REGISTRY_POPULATION_MISMATCH


def test_the_child_rule_stops_at_the_fourteenth_birthday() -> None:
    from identity.domain.report_categories import child_needs_verification

    assert child_needs_verification(date(2008, 5, 21), date(2022, 5, 20))
    assert not child_needs_verification(date(2008, 5, 20), date(2022, 5, 20))
    assert not child_needs_verification(date(2021, 7, 1), date(2022, 5, 20))
