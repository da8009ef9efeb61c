"""Commands the population registry accepts and events it emits; fields follow ``schemas/``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

POPULATION_EVENTS = "agency.population.events"
VERIFICATION_REPLIES = "agency.population.verification.replies"


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


class CitizenStatus(enum.Enum):
    ALIVE = "alive"
    DECEASED = "deceased"
    MERGED = "merged"
    UNKNOWN = "unknown"


class MatchedBy(enum.Enum):
    ID_NUMBER = "id_number"
    CMND_ALIAS = "cmnd_alias"
    NONE = "none"


@dataclass(frozen=True)
class CitizenVerificationRequested:
    request_id: str
    subject_id: str
    id_number: str | None
    full_name: str
    birth_date: date | None
    mother_id_number: str | None
    requested_at: datetime


@dataclass(frozen=True)
class CitizenRecord:
    subject_id: str
    id_number: str
    full_name: str
    birth_date: date
    gender: Gender
    status: CitizenStatus
    mother_id_number: str | None
    birth_place_code: str | None = None


@dataclass(frozen=True)
class CitizenVerificationAnswered:
    request_id: str
    subject_id: str
    matched_by: MatchedBy
    record: CitizenRecord | None
    candidates: tuple[CitizenRecord, ...]
    answered_at: datetime


@dataclass(frozen=True)
class VerificationRequest:
    """One person of a ``CitizenVerificationBatchRequested``."""

    request_id: str
    subject_id: str
    id_number: str | None
    full_name: str
    birth_date: date | None
    mother_id_number: str | None


@dataclass(frozen=True)
class CitizenVerificationBatchRequested:
    batch_id: str
    subject_id: str
    requests: tuple[VerificationRequest, ...]
    requested_at: datetime


@dataclass(frozen=True)
class VerificationAnswer:
    request_id: str
    subject_id: str
    matched_by: MatchedBy
    record: CitizenRecord | None
    candidates: tuple[CitizenRecord, ...]


@dataclass(frozen=True)
class CitizenVerificationBatchAnswered:
    batch_id: str
    subject_id: str
    answers: tuple[VerificationAnswer, ...]
    answered_at: datetime


@dataclass(frozen=True)
class RegisteredPerson:
    subject_id: str
    id_number: str | None
    full_name: str
    birth_date: date | None
    gender: Gender | None


@dataclass(frozen=True)
class BirthRegistered:
    registration_id: str
    registered_at: datetime
    child: RegisteredPerson
    father: RegisteredPerson | None
    mother: RegisteredPerson | None


@dataclass(frozen=True)
class DeathRegistered:
    registration_id: str
    registered_at: datetime
    deceased: RegisteredPerson
    date_of_death: date


class ChangeType(enum.Enum):
    NAME = "name"
    SURNAME_AFTER_PATERNITY = "surname_after_paternity"
    BIRTH_DATE_CORRECTION = "birth_date_correction"
    GENDER_CORRECTION = "gender_correction"
    OTHER = "other"


@dataclass(frozen=True)
class CivilStatusChanged:
    registration_id: str
    registered_at: datetime
    person: RegisteredPerson
    change_type: ChangeType
    field: str
    old_value: str | None
    new_value: str
    effective_date: date


class ReviewDecision(enum.Enum):
    SAME_PERSON = "same_person"
    DIFFERENT_PERSONS = "different_persons"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class DuplicateReviewDecided:
    case_id: str
    subject_id: str
    candidate_subject_id: str
    decision: ReviewDecision
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class HealthInsuranceCardIssued:
    subject_id: str
    card_number: str
    valid_from: date
    valid_until: date


@dataclass(frozen=True)
class HealthInsuranceEnded:
    subject_id: str
    end_date: date


EMITTED: dict[type, str] = {
    PersonalIdNumberIssued: "vn.lienthong.population.PersonalIdNumberIssued",
    PersonalIdNumberRefused: "vn.lienthong.population.PersonalIdNumberRefused",
    CitizenVerificationAnswered: "vn.lienthong.population.CitizenVerificationAnswered",
    CitizenVerificationBatchAnswered: "vn.lienthong.population.CitizenVerificationBatchAnswered",
}
CONSUMED: dict[str, type] = {
    "vn.lienthong.population.IssuePersonalIdNumber": IssuePersonalIdNumber,
    "vn.lienthong.population.CitizenVerificationRequested": CitizenVerificationRequested,
    "vn.lienthong.population.CitizenVerificationBatchRequested": (
        CitizenVerificationBatchRequested
    ),
    "vn.lienthong.civil_registry.BirthRegistered": BirthRegistered,
    "vn.lienthong.civil_registry.DeathRegistered": DeathRegistered,
    "vn.lienthong.civil_registry.CivilStatusChanged": CivilStatusChanged,
    "vn.lienthong.identity.DuplicateReviewDecided": DuplicateReviewDecided,
    "vn.lienthong.insurance.HealthInsuranceCardIssued": HealthInsuranceCardIssued,
    "vn.lienthong.insurance.HealthInsuranceEnded": HealthInsuranceEnded,
}
