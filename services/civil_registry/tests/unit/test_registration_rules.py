"""The civil registry's own rules."""

from __future__ import annotations

from datetime import date

from civil_registry.domain import rules

TODAY = date(2026, 11, 30)


def test_birth_without_a_date_of_birth_is_refused() -> None:
    assert rules.birth_refusal(None, TODAY) == "BIRTH_DATE_MISSING"


def test_birth_in_the_future_is_refused() -> None:
    assert rules.birth_refusal(date(2026, 12, 1), TODAY) == "BIRTH_DATE_IN_FUTURE"


def test_birth_of_three_days_ago_is_registered() -> None:
    assert rules.birth_refusal(date(2026, 11, 27), TODAY) is None


def test_death_before_birth_or_in_the_future_is_refused() -> None:
    assert rules.death_refusal(date(1950, 1, 1), date(1949, 1, 1), TODAY) == (
        "DATE_OF_DEATH_BEFORE_BIRTH"
    )
    assert rules.death_refusal(None, date(2027, 1, 1), TODAY) == "DATE_OF_DEATH_IN_FUTURE"
    assert rules.death_refusal(date(1950, 1, 1), date(2026, 11, 29), TODAY) is None


def test_only_register_fields_change_and_to_something_new() -> None:
    assert rules.change_refusal("address", "x", None) == "FIELD_NOT_CHANGEABLE"
    assert rules.change_refusal("full_name", "  ", None) == "NEW_VALUE_EMPTY"
    assert rules.change_refusal("full_name", "Lê Minh", "Lê Minh") == "NOTHING_CHANGES"
    assert rules.change_refusal("full_name", "Nguyễn Minh", "Lê Minh") is None


def test_certificate_numbers_run_per_unit_kind_and_year() -> None:
    assert rules.certificate_number("51", "death", 2026, 42) == "51-KT-2026-000042"


def test_a_birth_registered_within_60_days_is_on_time_and_later_is_late() -> None:
    from civil_registry.domain.events import BirthRegistrationType as T

    born = date(2026, 1, 1)
    assert rules.registration_type(born, date(2026, 3, 2), None) is T.ON_TIME
    assert rules.registration_type(born, date(2026, 3, 3), None) is T.LATE
    assert rules.registration_type(born, date(2026, 1, 5), T.RE_REGISTRATION) is T.RE_REGISTRATION
