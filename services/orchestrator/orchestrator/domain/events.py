"""Messages the orchestrator consumes (its own view) and emits; fields follow ``schemas/``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

BUNDLE_TOPIC = "orchestrator.bundle.events"
POPULATION_COMMANDS = "agency.population.commands"


class Gender(enum.Enum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class PersonRole(enum.Enum):
    APPLICANT = "applicant"
    CHILD = "child"
    FATHER = "father"
    MOTHER = "mother"
    DECEASED = "deceased"
    SUBJECT = "subject"
    OTHER = "other"


class BundleType(enum.Enum):
    BIRTH = "birth"
    DEATH = "death"
    CIVIL_STATUS_CHANGE = "civil_status_change"


@dataclass(frozen=True)
class SubmittedPerson:
    role: PersonRole
    subject_id: str
    id_number: str | None
    full_name: str
    birth_date: date | None
    gender: Gender | None


@dataclass(frozen=True)
class DossierSubmitted:
    dossier_id: str
    procedure_code: str
    unit_code: str
    submitted_at: datetime
    persons: tuple[SubmittedPerson, ...]


@dataclass(frozen=True)
class IdentityVerified:
    verification_id: str
    dossier_id: str | None
    subject_id: str
    role: str
    checked_at: datetime


@dataclass(frozen=True)
class IdentityMismatch:
    verification_id: str
    dossier_id: str | None
    subject_id: str
    role: str
    checked_at: datetime
    detail: str


@dataclass(frozen=True)
class PersonalIdNumberIssued:
    command_id: str
    bundle_id: str
    provisional_subject_id: str
    subject_id: str
    issued_at: datetime


@dataclass(frozen=True)
class PersonalIdNumberRefused:
    command_id: str
    bundle_id: str
    provisional_subject_id: str
    reason: str
    refused_at: datetime


@dataclass(frozen=True)
class LinkedBundleStarted:
    bundle_id: str
    bundle_type: BundleType
    dossier_id: str
    subject_id: str
    unit_code: str
    procedure_code: str
    started_at: datetime
    deadline_at: datetime


@dataclass(frozen=True)
class LinkedBundleStepCompleted:
    bundle_id: str
    bundle_type: BundleType
    step: str
    agency: str
    completed_at: datetime


@dataclass(frozen=True)
class LinkedBundleCompleted:
    bundle_id: str
    bundle_type: BundleType
    dossier_id: str
    subject_id: str
    unit_code: str
    procedure_code: str
    started_at: datetime
    completed_at: datetime
    on_time: bool


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


EMITTED: dict[type, str] = {
    LinkedBundleStarted: "vn.lienthong.orchestrator.LinkedBundleStarted",
    LinkedBundleStepCompleted: "vn.lienthong.orchestrator.LinkedBundleStepCompleted",
    LinkedBundleCompleted: "vn.lienthong.orchestrator.LinkedBundleCompleted",
    IssuePersonalIdNumber: "vn.lienthong.population.IssuePersonalIdNumber",
}
CONSUMED: dict[str, type] = {
    "vn.lienthong.intake.DossierSubmitted": DossierSubmitted,
    "vn.lienthong.identity.IdentityVerified": IdentityVerified,
    "vn.lienthong.identity.IdentityMismatch": IdentityMismatch,
    "vn.lienthong.population.PersonalIdNumberIssued": PersonalIdNumberIssued,
    "vn.lienthong.population.PersonalIdNumberRefused": PersonalIdNumberRefused,
}
