"""The free BHYT card of a child under six."""

from __future__ import annotations

from datetime import date

from insurance.domain import rules
from insurance.domain.rules import ChildCard, card_is_valid, child_card, sixth_birthday

ID = "051226123456"


def test_newborn_card_runs_until_the_day_before_the_sixth_birthday() -> None:
    card = child_card(ID, date(2026, 11, 27), "51", date(2026, 11, 30))
    assert card == ChildCard("TE1511226123456", date(2026, 11, 27), date(2032, 11, 26))


def test_a_child_of_six_gets_no_free_card() -> None:
    assert child_card(ID, date(2020, 1, 1), "51", date(2026, 11, 30)) == "NOT_UNDER_SIX"


def test_a_leap_day_child_turns_six_on_the_first_of_march() -> None:
    assert sixth_birthday(date(2024, 2, 29)) == date(2030, 3, 1)


def test_an_ended_card_is_not_valid_for_a_clinic() -> None:
    assert card_is_valid("active", date(2026, 1, 1), date(2030, 1, 1), date(2026, 6, 1))
    assert not card_is_valid("ended", date(2026, 1, 1), date(2030, 1, 1), date(2026, 6, 1))
    assert not card_is_valid("active", date(2026, 1, 1), date(2026, 5, 1), date(2026, 6, 1))


def test_a_card_for_an_unknown_unit_is_refused() -> None:
    assert child_card(ID, date(2026, 11, 27), None, date(2026, 11, 30)) == (
        "UNKNOWN_ADMINISTRATIVE_UNIT"
    )


def test_a_clinic_look_up_names_why_it_failed() -> None:
    today = date(2022, 6, 1)
    card = ("active", date(2022, 1, 1), date(2022, 12, 31), date(1990, 5, 4), "Nguyễn Thị Hoa")
    expired = ("active", date(2021, 1, 1), date(2021, 12, 31), date(1990, 5, 4), "Nguyễn Thị Hoa")
    assert rules.lookup_outcome([], today, None, None) == "NOT_FOUND"
    assert rules.lookup_outcome([card], today, None, "nguyễn  thị hoa") == "FOUND_VALID"
    assert rules.lookup_outcome([card], today, None, "Nguyen Thi Hoa") == "NAME_MISMATCH"
    assert rules.lookup_outcome([card], today, date(1990, 4, 5), None) == "BIRTH_DATE_MISMATCH"
    assert rules.lookup_outcome([expired], today, None, None) == "NO_VALID_CARD"
