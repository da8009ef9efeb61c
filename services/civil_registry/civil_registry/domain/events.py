"""Commands the civil registry accepts and events it emits; fields follow ``schemas/``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

CIVIL_REGISTRY_EVENTS = "agency.civil_registry.events"


class Gender(enum.Enum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class BirthRegistrationType(enum.Enum):
    """Law on Civil Status 2014: on time (within 60 days of birth), late, or again."""

    ON_TIME = "on_time"
    LATE = "late"
    RE_REGISTRATION = "re_registration"
    OTHER = "other"


class ChangeType(enum.Enum):
    NAME = "name"
    SURNAME_AFTER_PATERNITY = "surname_after_paternity"
    BIRTH_DATE_CORRECTION = "birth_date_correction"
    GENDER_CORRECTION = "gender_correction"
    OTHER = "other"


@dataclass(frozen=True)
class RegisteredPerson:
    subject_id: str
    id_number: str | None
    full_name: str
    birth_date: date | None
    gender: Gender | None


@dataclass(frozen=True)
class RegisterBirth:
    command_id: str
    bundle_id: str
    dossier_id: str | None
    unit_code: str
    child: RegisteredPerson
    father: RegisteredPerson | None
    mother: RegisteredPerson | None
    place_of_birth: str
    requested_at: datetime


@dataclass(frozen=True)
class RegisterBirthAtCounter:
    """An officer registers a birth at the registry's counter (HTTP), without a dossier."""

    registration_id: str
    unit_code: str
    child: RegisteredPerson
    father: RegisteredPerson | None
    mother: RegisteredPerson | None
    place_of_birth: str
    registered_at: datetime
    recorded_at: datetime | None = None
    registration_type: BirthRegistrationType | None = None
    agency_record_id: str | None = None


@dataclass(frozen=True)
class RegisterDeath:
    """An officer's death registration (HTTP); not a Kafka command."""

    registration_id: str
    unit_code: str
    deceased: RegisteredPerson
    date_of_death: date
    place_of_death: str
    registered_at: datetime


@dataclass(frozen=True)
class RegisterCivilStatusChange:
    """An officer's change of civil status (HTTP); not a Kafka command."""

    registration_id: str
    unit_code: str
    person: RegisteredPerson
    change_type: ChangeType
    field: str
    new_value: str
    effective_date: date
    registered_at: datetime


@dataclass(frozen=True)
class BirthRegistered:
    registration_id: str
    dossier_id: str | None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    child: RegisteredPerson
    father: RegisteredPerson | None
    mother: RegisteredPerson | None
    place_of_birth: str
    registration_type: BirthRegistrationType = BirthRegistrationType.ON_TIME
    recorded_at: datetime | None = None
    agency_record_id: str | None = None


@dataclass(frozen=True)
class DeathRegistered:
    registration_id: str
    dossier_id: str | None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    deceased: RegisteredPerson
    date_of_death: date
    place_of_death: str


@dataclass(frozen=True)
class CivilStatusChanged:
    registration_id: str
    dossier_id: str | None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    person: RegisteredPerson
    change_type: ChangeType
    field: str
    old_value: str | None
    new_value: str
    effective_date: date


@dataclass(frozen=True)
class CivilRegistrationRefused:
    command_id: str
    bundle_id: str
    dossier_id: str | None
    registration_id: str
    reason: str
    refused_at: datetime


EMITTED: dict[type, str] = {
    BirthRegistered: "vn.lienthong.civil_registry.BirthRegistered",
    DeathRegistered: "vn.lienthong.civil_registry.DeathRegistered",
    CivilStatusChanged: "vn.lienthong.civil_registry.CivilStatusChanged",
    CivilRegistrationRefused: "vn.lienthong.civil_registry.CivilRegistrationRefused",
}
CONSUMED: dict[str, type] = {"vn.lienthong.civil_registry.RegisterBirth": RegisterBirth}
