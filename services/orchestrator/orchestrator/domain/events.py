"""Messages the orchestrator consumes (its own view) and emits; fields follow ``schemas/``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

BUNDLE_TOPIC = "orchestrator.bundle.events"
POPULATION_COMMANDS = "agency.population.commands"
CIVIL_REGISTRY_COMMANDS = "agency.civil_registry.commands"
RESIDENCE_COMMANDS = "agency.residence.commands"
INSURANCE_COMMANDS = "agency.insurance.commands"
WELFARE_COMMANDS = "agency.welfare.commands"


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
    dossier_code: str
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
    id_number: str
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


@dataclass(frozen=True)
class DeathRegistered:
    registration_id: str
    dossier_id: str | None
    certificate_number: str
    unit_code: str
    registered_at: datetime
    deceased: RegisteredPerson
    date_of_death: date


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


@dataclass(frozen=True)
class RegisterPermanentResidence:
    command_id: str
    bundle_id: str
    subject_id: str
    parent_subject_ids: tuple[str, ...]
    unit_code: str
    requested_at: datetime


@dataclass(frozen=True)
class RemovePermanentResidence:
    command_id: str
    bundle_id: str
    subject_id: str
    effective_date: date
    reason: str
    requested_at: datetime


@dataclass(frozen=True)
class UpdateResidentParticulars:
    command_id: str
    bundle_id: str
    subject_id: str
    field: str
    new_value: str
    effective_date: date
    requested_at: datetime


@dataclass(frozen=True)
class PermanentResidenceRegistered:
    command_id: str
    bundle_id: str
    subject_id: str
    registered_at: datetime


@dataclass(frozen=True)
class PermanentResidenceRemoved:
    command_id: str
    bundle_id: str
    subject_id: str
    removed_at: datetime


@dataclass(frozen=True)
class ResidentParticularsUpdated:
    command_id: str
    bundle_id: str
    subject_id: str
    updated_at: datetime


@dataclass(frozen=True)
class ResidenceRequestRejected:
    command_id: str
    bundle_id: str
    subject_id: str
    reason: str
    rejected_at: datetime


@dataclass(frozen=True)
class IssueChildHealthInsuranceCard:
    command_id: str
    bundle_id: str
    subject_id: str
    id_number: str
    full_name: str
    birth_date: date
    unit_code: str
    requested_at: datetime


@dataclass(frozen=True)
class EndHealthInsurance:
    command_id: str
    bundle_id: str
    subject_id: str
    end_date: date
    reason: str
    requested_at: datetime


@dataclass(frozen=True)
class UpdateInsuredParticulars:
    command_id: str
    bundle_id: str
    subject_id: str
    field: str
    new_value: str
    effective_date: date
    requested_at: datetime


@dataclass(frozen=True)
class HealthInsuranceCardIssued:
    command_id: str
    bundle_id: str
    subject_id: str
    issued_at: datetime


@dataclass(frozen=True)
class HealthInsuranceEnded:
    command_id: str
    bundle_id: str
    subject_id: str
    ended_at: datetime


@dataclass(frozen=True)
class InsuredParticularsUpdated:
    command_id: str
    bundle_id: str
    subject_id: str
    updated_at: datetime


@dataclass(frozen=True)
class HealthInsuranceRequestRejected:
    command_id: str
    bundle_id: str
    subject_id: str
    reason: str
    rejected_at: datetime


@dataclass(frozen=True)
class DecideDeathBenefits:
    command_id: str
    bundle_id: str
    subject_id: str
    date_of_death: date
    unit_code: str
    requested_at: datetime


@dataclass(frozen=True)
class DeathBenefitsRefused:
    command_id: str
    bundle_id: str
    subject_id: str
    reason: str
    refused_at: datetime


@dataclass(frozen=True)
class RecurringPaymentsStopped:
    command_id: str
    bundle_id: str
    subject_id: str
    stopped_at: datetime


@dataclass(frozen=True)
class LinkedBundleStepFailed:
    bundle_id: str
    bundle_type: BundleType
    step: str
    agency: str
    reason: str
    failed_at: datetime


@dataclass(frozen=True)
class LinkedBundleDeadlineBreached:
    bundle_id: str
    bundle_type: BundleType
    step: str | None
    deadline_at: datetime
    detected_at: datetime


@dataclass(frozen=True)
class LinkedBundleCompensated:
    bundle_id: str
    bundle_type: BundleType
    failed_step: str
    reason: str
    kept_steps: tuple[str, ...]
    undone_steps: tuple[str, ...]
    skipped_steps: tuple[str, ...]
    compensated_at: datetime


# Answers that complete a step, and answers that reject one.
StepReply = (
    PersonalIdNumberIssued
    | PermanentResidenceRegistered
    | PermanentResidenceRemoved
    | ResidentParticularsUpdated
    | HealthInsuranceCardIssued
    | HealthInsuranceEnded
    | InsuredParticularsUpdated
    | RecurringPaymentsStopped
)
StepRejection = (
    PersonalIdNumberRefused
    | ResidenceRequestRejected
    | HealthInsuranceRequestRejected
    | CivilRegistrationRefused
    | DeathBenefitsRefused
)


EMITTED: dict[type, str] = {
    LinkedBundleStarted: "vn.lienthong.orchestrator.LinkedBundleStarted",
    LinkedBundleStepCompleted: "vn.lienthong.orchestrator.LinkedBundleStepCompleted",
    LinkedBundleCompleted: "vn.lienthong.orchestrator.LinkedBundleCompleted",
    LinkedBundleStepFailed: "vn.lienthong.orchestrator.LinkedBundleStepFailed",
    LinkedBundleDeadlineBreached: "vn.lienthong.orchestrator.LinkedBundleDeadlineBreached",
    LinkedBundleCompensated: "vn.lienthong.orchestrator.LinkedBundleCompensated",
    IssuePersonalIdNumber: "vn.lienthong.population.IssuePersonalIdNumber",
    RegisterBirth: "vn.lienthong.civil_registry.RegisterBirth",
    RegisterPermanentResidence: "vn.lienthong.residence.RegisterPermanentResidence",
    RemovePermanentResidence: "vn.lienthong.residence.RemovePermanentResidence",
    UpdateResidentParticulars: "vn.lienthong.residence.UpdateResidentParticulars",
    IssueChildHealthInsuranceCard: "vn.lienthong.insurance.IssueChildHealthInsuranceCard",
    EndHealthInsurance: "vn.lienthong.insurance.EndHealthInsurance",
    UpdateInsuredParticulars: "vn.lienthong.insurance.UpdateInsuredParticulars",
    DecideDeathBenefits: "vn.lienthong.welfare.DecideDeathBenefits",
}
CONSUMED: dict[str, type] = {
    "vn.lienthong.intake.DossierSubmitted": DossierSubmitted,
    "vn.lienthong.identity.IdentityVerified": IdentityVerified,
    "vn.lienthong.identity.IdentityMismatch": IdentityMismatch,
    "vn.lienthong.population.PersonalIdNumberIssued": PersonalIdNumberIssued,
    "vn.lienthong.population.PersonalIdNumberRefused": PersonalIdNumberRefused,
    "vn.lienthong.civil_registry.BirthRegistered": BirthRegistered,
    "vn.lienthong.civil_registry.DeathRegistered": DeathRegistered,
    "vn.lienthong.civil_registry.CivilStatusChanged": CivilStatusChanged,
    "vn.lienthong.civil_registry.CivilRegistrationRefused": CivilRegistrationRefused,
    "vn.lienthong.residence.PermanentResidenceRegistered": PermanentResidenceRegistered,
    "vn.lienthong.residence.PermanentResidenceRemoved": PermanentResidenceRemoved,
    "vn.lienthong.residence.ResidentParticularsUpdated": ResidentParticularsUpdated,
    "vn.lienthong.residence.ResidenceRequestRejected": ResidenceRequestRejected,
    "vn.lienthong.insurance.HealthInsuranceCardIssued": HealthInsuranceCardIssued,
    "vn.lienthong.insurance.HealthInsuranceEnded": HealthInsuranceEnded,
    "vn.lienthong.insurance.InsuredParticularsUpdated": InsuredParticularsUpdated,
    "vn.lienthong.insurance.HealthInsuranceRequestRejected": HealthInsuranceRequestRejected,
    "vn.lienthong.welfare.RecurringPaymentsStopped": RecurringPaymentsStopped,
    "vn.lienthong.welfare.DeathBenefitsRefused": DeathBenefitsRefused,
}
