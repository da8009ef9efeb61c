"""The civil registry's own rules, as pure functions (no I/O).

Why this exists: the reference registry must refuse what a real registrar refuses, so the
linked procedures downstream are exercised with realistic refusals, not only successes.
"""

from __future__ import annotations

from datetime import date

from civil_registry.domain.events import BirthRegistrationType

#: Law on Civil Status 2014, Art. 15: a birth is registered within 60 days.
ON_TIME_DAYS = 60
CHANGEABLE_FIELDS = frozenset({"full_name", "birth_date", "gender"})
KIND_CODES = {"birth": "KS", "death": "KT", "change": "TD"}


def birth_refusal(birth_date: date | None, today: date) -> str | None:
    """A birth needs a date of birth that is not in the future."""
    if birth_date is None:
        return "BIRTH_DATE_MISSING"
    if birth_date > today:
        return "BIRTH_DATE_IN_FUTURE"
    return None


def registration_type(
    birth_date: date, registered_on: date, stated: BirthRegistrationType | None
) -> BirthRegistrationType:
    """The type the registrar stated, else on time within 60 days of birth, late after."""
    if stated is not None:
        return stated
    if (registered_on - birth_date).days <= ON_TIME_DAYS:
        return BirthRegistrationType.ON_TIME
    return BirthRegistrationType.LATE


def birth_time_refusal(
    birth_date: date | None, registered_on: date, recorded_on: date
) -> str | None:
    """A registration cannot take effect before the birth nor after it was recorded."""
    if birth_date is not None and registered_on < birth_date:
        return "REGISTERED_BEFORE_BIRTH"
    if registered_on > recorded_on:
        return "REGISTERED_IN_FUTURE"
    return None


def death_refusal(birth_date: date | None, date_of_death: date, today: date) -> str | None:
    """A death cannot be in the future nor before the person's birth."""
    if date_of_death > today:
        return "DATE_OF_DEATH_IN_FUTURE"
    if birth_date is not None and date_of_death < birth_date:
        return "DATE_OF_DEATH_BEFORE_BIRTH"
    return None


def change_refusal(field: str, new_value: str, old_value: str | None) -> str | None:
    """Only register fields can change, to a non-empty value that differs from the old one."""
    if field not in CHANGEABLE_FIELDS:
        return "FIELD_NOT_CHANGEABLE"
    if not new_value.strip():
        return "NEW_VALUE_EMPTY"
    if old_value is not None and old_value == new_value:
        return "NOTHING_CHANGES"
    return None


def certificate_number(unit_code: str, kind: str, year: int, sequence: int) -> str:
    """Register entry number, e.g. ``51-KS-2026-000042`` (unit, kind, year, running number)."""
    return f"{unit_code}-{KIND_CODES[kind]}-{year}-{sequence:06d}"
