"""Commands the population registry accepts and events it emits; fields follow ``schemas/``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

POPULATION_EVENTS = "agency.population.events"


class Gender(enum.Enum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class IssuePersonalIdNumber:
    command_id: str
    bundle_id: str
    subject_id: str
    full_name: str
    birth_date: date
    gender: Gender
    registration_province_code: str
    requested_at: datetime


@dataclass(frozen=True)
class PersonalIdNumberIssued:
    command_id: str
    bundle_id: str
    provisional_subject_id: str
    subject_id: str
    id_number: str
    issued_at: datetime


@dataclass(frozen=True)
class PersonalIdNumberRefused:
    command_id: str
    bundle_id: str
    provisional_subject_id: str
    reason: str
    refused_at: datetime


EMITTED: dict[type, str] = {
    PersonalIdNumberIssued: "vn.lienthong.population.PersonalIdNumberIssued",
    PersonalIdNumberRefused: "vn.lienthong.population.PersonalIdNumberRefused",
}
CONSUMED: dict[str, type] = {"vn.lienthong.population.IssuePersonalIdNumber": IssuePersonalIdNumber}
