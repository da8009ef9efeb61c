"""Personal ID numbers (số định danh cá nhân) and old CMND numbers, as specifications."""

from __future__ import annotations

from datetime import date

import pytest

from lienthong.vn.id_numbers import (
    IdNumberError,
    ParsedIdNumber,
    build_id_number,
    check_consistency,
    parse_cmnd,
    parse_id_number,
)
from lienthong.vn.names import normalize_name
from lienthong.vn.provinces import PROVINCE_NAMES_BY_CODE, province_name

QUANG_NGAI_MAN_1990 = "051090123456"
HA_NOI_WOMAN_2005 = "001305000042"


def parsed(text: str) -> ParsedIdNumber:
    result = parse_id_number(text)
    assert isinstance(result, ParsedIdNumber), result
    return result


def error_code(result: object) -> str:
    assert isinstance(result, IdNumberError), result
    return result.code


def test_quang_ngai_man_born_1990_parses_into_its_parts() -> None:
    number = parsed(QUANG_NGAI_MAN_1990)

    assert number.number == QUANG_NGAI_MAN_1990
    assert number.registration_province_code == "051"
    assert number.registration_province_name == "Quảng Ngãi"
    assert number.gender == "MALE"
    assert number.century_start == 1900
    assert number.birth_year_two_digits == 90
    assert number.serial == "123456"
    assert number.possible_birth_year() == 1990


def test_ha_noi_woman_born_2005_has_gender_century_digit_3() -> None:
    number = parsed(HA_NOI_WOMAN_2005)

    assert number.registration_province_name == "Hà Nội"
    assert number.gender == "FEMALE"
    assert number.century_start == 2000
    assert number.possible_birth_year() == 2005
    assert number.serial == "000042"


@pytest.mark.parametrize(
    ("digit", "gender", "century_start"),
    [
        ("0", "MALE", 1900),
        ("1", "FEMALE", 1900),
        ("2", "MALE", 2000),
        ("3", "FEMALE", 2000),
        ("4", "MALE", 2100),
        ("5", "FEMALE", 2100),
        ("6", "MALE", 2200),
        ("7", "FEMALE", 2200),
        ("8", "MALE", 2300),
        ("9", "FEMALE", 2300),
    ],
)
def test_fourth_digit_encodes_gender_and_century(
    digit: str, gender: str, century_start: int
) -> None:
    number = parsed(f"079{digit}99000001")

    assert number.gender == gender
    assert number.century_start == century_start
    assert number.possible_birth_year() == century_start + 99


def test_spaces_and_tabs_anywhere_are_ignored() -> None:
    assert parsed(" 051 090\t123 456 ").number == QUANG_NGAI_MAN_1990


@pytest.mark.parametrize(
    "text",
    [
        "05109012345",  # 11 digits
        "0510901234567",  # 13 digits
        "05109012345A",
        "051-090-123456",
        "",
        "   ",
        "０５１０９０１２３４５６",  # full-width digits
        "٠٥١٠٩٠١٢٣٤٥٦",  # Arabic-Indic digits
    ],
)
def test_anything_but_twelve_ascii_digits_is_not_12_digits(text: str) -> None:
    assert error_code(parse_id_number(text)) == "NOT_12_DIGITS"


@pytest.mark.parametrize("prefix", ["000", "003", "050", "097", "100", "999"])
def test_prefix_outside_the_63_province_codes_is_unknown_province(prefix: str) -> None:
    assert error_code(parse_id_number(f"{prefix}090123456")) == "UNKNOWN_PROVINCE"


def test_errors_and_reprs_never_show_the_number() -> None:
    unknown = parse_id_number("003090123456")
    too_short = parse_id_number("05109012345")

    assert isinstance(unknown, IdNumberError)
    assert isinstance(too_short, IdNumberError)
    assert "003090123456" not in unknown.message
    assert "05109012345" not in too_short.message
    shown = repr(parsed(QUANG_NGAI_MAN_1990))
    assert QUANG_NGAI_MAN_1990 not in shown
    assert "123456" not in shown


def test_province_table_holds_the_63_provinces_of_circular_07_2016() -> None:
    assert len(PROVINCE_NAMES_BY_CODE) == 63
    assert province_name("051") == "Quảng Ngãi"
    assert province_name("079") == "Hồ Chí Minh"
    assert province_name("096") == "Cà Mau"
    assert province_name("003") is None


def test_province_names_are_already_in_canonical_spelling() -> None:
    for name in PROVINCE_NAMES_BY_CODE.values():
        assert normalize_name(name) == name


def test_number_matching_its_record_has_no_inconsistency() -> None:
    number = parsed(QUANG_NGAI_MAN_1990)

    assert check_consistency(number, date(1990, 7, 1), "MALE") == []


def test_different_year_of_birth_is_a_birth_year_mismatch() -> None:
    number = parsed(QUANG_NGAI_MAN_1990)

    codes = [found.code for found in check_consistency(number, date(1991, 1, 1), "MALE")]

    assert codes == ["BIRTH_YEAR_MISMATCH"]


def test_same_two_digits_in_another_century_is_a_century_mismatch() -> None:
    number = parsed(QUANG_NGAI_MAN_1990)

    codes = [found.code for found in check_consistency(number, date(2090, 1, 1), "MALE")]

    assert codes == ["BIRTH_CENTURY_MISMATCH"]


def test_wrong_century_and_wrong_year_are_both_reported() -> None:
    number = parsed("051022000001")  # a boy born in 1922

    codes = {found.code for found in check_consistency(number, date(2021, 7, 1), None)}

    assert codes == {"BIRTH_CENTURY_MISMATCH", "BIRTH_YEAR_MISMATCH"}


def test_recorded_gender_differing_from_the_number_is_a_gender_mismatch() -> None:
    number = parsed(HA_NOI_WOMAN_2005)

    codes = [found.code for found in check_consistency(number, date(2005, 3, 8), "MALE")]

    assert codes == ["GENDER_MISMATCH"]


def test_gender_is_compared_case_insensitively_and_skipped_when_unknown() -> None:
    number = parsed(HA_NOI_WOMAN_2005)

    assert check_consistency(number, date(2005, 3, 8), " female ") == []
    assert check_consistency(number, date(2005, 3, 8), None) == []


def test_unrecognised_gender_value_is_reported_not_raised() -> None:
    number = parsed(HA_NOI_WOMAN_2005)

    codes = [found.code for found in check_consistency(number, date(2005, 3, 8), "X")]

    assert codes == ["GENDER_NOT_RECOGNISED"]


def test_inconsistency_messages_do_not_contain_the_number() -> None:
    number = parsed(QUANG_NGAI_MAN_1990)

    for found in check_consistency(number, date(2091, 1, 1), "FEMALE"):
        assert QUANG_NGAI_MAN_1990 not in found.message


def test_registry_builds_the_number_of_a_quang_ngai_boy_born_1990() -> None:
    assert build_id_number("051", "MALE", date(1990, 5, 1), 123456) == QUANG_NGAI_MAN_1990


@pytest.mark.parametrize("year", [1900, 1999, 2000, 2021, 2099, 2100, 2250, 2399])
@pytest.mark.parametrize("gender", ["MALE", "FEMALE"])
def test_built_numbers_parse_back_to_what_was_built(year: int, gender: str) -> None:
    built = build_id_number("051", gender, date(year, 1, 1), 42)

    number = parsed(built)

    assert number.registration_province_code == "051"
    assert number.gender == gender
    assert number.possible_birth_year() == year
    assert number.serial == "000042"
    assert check_consistency(number, date(year, 1, 1), gender) == []


@pytest.mark.parametrize(
    ("province_code", "gender", "birth_date", "serial"),
    [
        ("003", "MALE", date(2020, 1, 1), 1),
        ("051", "UNKNOWN", date(2020, 1, 1), 1),
        ("051", "MALE", date(1899, 12, 31), 1),
        ("051", "MALE", date(2400, 1, 1), 1),
        ("051", "MALE", date(2020, 1, 1), -1),
        ("051", "MALE", date(2020, 1, 1), 1_000_000),
    ],
)
def test_building_from_invalid_parts_is_a_programming_error(
    province_code: str, gender: str, birth_date: date, serial: int
) -> None:
    with pytest.raises(ValueError):
        build_id_number(province_code, gender, birth_date, serial)


def test_nine_digit_cmnd_is_accepted_without_its_spaces() -> None:
    assert parse_cmnd("212 345 678") == "212345678"


@pytest.mark.parametrize("text", ["21234567", "2123456789", "21234567A", ""])
def test_cmnd_that_is_not_nine_digits_is_rejected(text: str) -> None:
    assert error_code(parse_cmnd(text)) == "NOT_9_DIGITS"


def test_twelve_digit_number_is_a_personal_id_not_an_old_cmnd() -> None:
    assert error_code(parse_cmnd(QUANG_NGAI_MAN_1990)) == "PERSONAL_ID_NOT_CMND"
