"""Domain dataclasses ↔ Avro records; pseudonymous subject ids."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from lienthong.mapping import from_record, to_record
from lienthong.subjects import SubjectIds


class Gender(enum.Enum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class Person:
    name: str
    gender: Gender | None
    born: date | None


@dataclass(frozen=True)
class Event:
    id: str
    at: datetime
    people: tuple[Person, ...]
    note: str | None = None


def test_enums_travel_by_member_name_and_nested_records_map_both_ways() -> None:
    event = Event(
        "e1", datetime(2026, 1, 1, tzinfo=UTC), (Person("An", Gender.MALE, date(2000, 1, 1)),)
    )
    record = to_record(event)
    assert record["people"][0]["gender"] == "MALE"
    assert from_record(Event, record) == event


def test_fields_the_consumer_does_not_know_are_ignored() -> None:
    record = {"name": "An", "gender": None, "born": None, "extra": 1}
    assert from_record(Person, record) == Person("An", None, None)


def test_subject_id_is_stable_per_number_and_reveals_nothing() -> None:
    ids = SubjectIds("k" * 32)
    first = ids.for_id_number("051090123456")
    assert first == ids.for_id_number("051090123456")
    assert first != ids.for_id_number("051090123457")
    assert "051090123456" not in first
    assert first.startswith("sub_")


def test_subject_id_depends_on_the_key() -> None:
    assert SubjectIds("a" * 32).for_id_number("051090123456") != SubjectIds("b" * 32).for_id_number(
        "051090123456"
    )


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        SubjectIds("short")
