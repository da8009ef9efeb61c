"""Rows of a population extract: what is stored and why a row is refused."""

from __future__ import annotations

from datetime import date

from population_registry.domain.extract import ExtractedCitizen, Refused, check_row

TODAY = date(2026, 11, 30)
GOOD = {
    "id_number": "051090123456",
    "full_name": "  Nguyễn   Văn Hùng ",
    "birth_date": "1990-03-14",
    "gender": "MALE",
    "cmnd_number": "212345678",
}


def test_a_consistent_row_is_stored_with_its_name_normalised_and_keys() -> None:
    citizen = check_row(GOOD, TODAY)
    assert isinstance(citizen, ExtractedCitizen)
    assert citizen.full_name == "Nguyễn Văn Hùng" and citizen.cmnd_number == "212345678"
    assert citizen.family_key and citizen.given_key


def test_rows_that_cannot_be_trusted_are_refused_with_a_stable_reason() -> None:
    cases = {
        "ID_NUMBER_NOT_12_DIGITS": GOOD | {"id_number": "05109012345"},
        "ID_NUMBER_UNKNOWN_PROVINCE": GOOD | {"id_number": "999090123456"},
        "ID_NUMBER_BIRTH_YEAR_MISMATCH": GOOD | {"birth_date": "1991-03-14"},
        "ID_NUMBER_GENDER_MISMATCH": GOOD | {"gender": "FEMALE"},
        "FULL_NAME_MISSING": GOOD | {"full_name": " "},
        "BIRTH_DATE_MALFORMED": GOOD | {"birth_date": "14/03/1990"},
        "GENDER_UNKNOWN": GOOD | {"gender": "X"},
        "DATE_OF_DEATH_IMPOSSIBLE": GOOD | {"date_of_death": "1980-01-01"},
        "MOTHER_ID_NUMBER_MALFORMED": GOOD | {"mother_id_number": "12"},
    }
    for reason, row in cases.items():
        assert check_row(row, TODAY) == Refused(reason), reason
    assert check_row(
        GOOD | {"id_number": "051226123456", "birth_date": "2026-12-01"}, TODAY
    ) == Refused("BIRTH_DATE_IN_FUTURE")
