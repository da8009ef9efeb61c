"""Reporting's view of the events it projects (only the fields it counts).

Enum-typed fields of the newer views are plain ``str`` (the Avro symbol): a figure keyed by
a category keeps counting when a producer adds a symbol, instead of failing to decode.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime


class Channel(enum.Enum):
    PORTAL = "portal"
    COUNTER = "counter"
    POSTAL = "postal"
    OTHER = "other"


class BundleType(enum.Enum):
    BIRTH = "birth"
    DEATH = "death"
    CIVIL_STATUS_CHANGE = "civil_status_change"
    OTHER = "other"


class MismatchCategory(enum.Enum):
    INVALID_ID_NUMBER = "invalid_id_number"
    NAME_MISMATCH = "name_mismatch"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    GENDER_MISMATCH = "gender_mismatch"
    NOT_FOUND = "not_found"
    DECEASED = "deceased"
    SUSPECTED_DUPLICATE = "suspected_duplicate"
    NEEDS_VERIFICATION = "needs_verification"


class ReviewDecision(enum.Enum):
    SAME_PERSON = "same_person"
    DIFFERENT_PERSONS = "different_persons"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class DuplicateReviewDecided:
    case_id: uuid.UUID
    decision: ReviewDecision
    decided_by_unit: str | None
    decided_at: datetime


@dataclass(frozen=True)
class DossierSubmitted:
    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    channel: Channel
    unit_code: str
    submitted_at: datetime
    appointment_at: datetime | None = None


@dataclass(frozen=True)
class IdentityVerified:
    verification_id: str
    dossier_id: uuid.UUID | None
    checked_at: datetime


@dataclass(frozen=True)
class IdentityMismatch:
    verification_id: str
    dossier_id: uuid.UUID | None
    checked_at: datetime
    category: MismatchCategory


@dataclass(frozen=True)
class LinkedBundleStarted:
    bundle_id: uuid.UUID
    bundle_type: BundleType
    dossier_id: uuid.UUID
    unit_code: str
    procedure_code: str
    started_at: datetime
    deadline_at: datetime


@dataclass(frozen=True)
class LinkedBundleCompleted:
    bundle_id: uuid.UUID
    bundle_type: BundleType
    dossier_id: uuid.UUID
    unit_code: str
    started_at: datetime
    completed_at: datetime
    on_time: bool


@dataclass(frozen=True)
class DossierStatusChanged:
    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    to_status: str
    occurred_at: datetime
    recorded_at: datetime
    correction_of: str | None = None


@dataclass(frozen=True)
class DossierOverdue:
    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    unit_code: str
    detected_at: datetime


@dataclass(frozen=True)
class DossierCompleted:
    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    unit_code: str
    sequence: int
    outcome: str
    completed_at: datetime
    on_time: bool
    appointment_at: datetime | None = None


@dataclass(frozen=True)
class LinkedBundleStepFailed:
    bundle_id: uuid.UUID
    bundle_type: str
    step: str
    failed_at: datetime


@dataclass(frozen=True)
class LinkedBundleDeadlineBreached:
    bundle_id: uuid.UUID
    bundle_type: str
    detected_at: datetime
    step: str | None = None


@dataclass(frozen=True)
class LinkedBundleCompensated:
    bundle_id: uuid.UUID
    bundle_type: str
    failed_step: str
    compensated_at: datetime


@dataclass(frozen=True)
class BirthRegistered:
    registration_id: str
    unit_code: str
    registered_at: datetime
    dossier_id: uuid.UUID | None = None
    registration_type: str = "ON_TIME"
    agency_record_id: str | None = None


@dataclass(frozen=True)
class PersonalIdNumberRefused:
    command_id: str
    bundle_id: uuid.UUID
    reason: str
    refused_at: datetime


@dataclass(frozen=True)
class HealthInsuranceCardSynced:
    sync_id: str
    subject_id: str
    unit_code: str
    valid_from: date
    valid_until: date
    synced_at: datetime


@dataclass(frozen=True)
class HealthInsuranceLookedUp:
    lookup_id: str
    outcome: str
    looked_up_at: datetime
    facility_code: str | None = None
    unit_code: str | None = None


@dataclass(frozen=True)
class DeathRegistered:
    registration_id: str
    unit_code: str
    registered_at: datetime
    dossier_id: uuid.UUID | None = None


@dataclass(frozen=True)
class CivilStatusChanged:
    registration_id: str
    unit_code: str
    registered_at: datetime
    change_type: str
    dossier_id: uuid.UUID | None = None


@dataclass(frozen=True)
class DocumentDigitized:
    document_id: str
    document_type: str
    digitized_at: datetime
    dossier_id: uuid.UUID | None = None
    unit_code: str | None = None


@dataclass(frozen=True)
class ResultIssued:
    document_id: str
    document_type: str
    dossier_id: uuid.UUID
    unit_code: str
    issued_at: datetime


@dataclass(frozen=True)
class DocumentReused:
    document_id: str
    document_type: str
    dossier_id: uuid.UUID
    kind: str
    reused_at: datetime


@dataclass(frozen=True)
class HealthInsuranceCardIssued:
    command_id: str
    bundle_id: uuid.UUID
    issued_at: datetime


@dataclass(frozen=True)
class HealthInsuranceRequestRejected:
    command_id: str
    bundle_id: uuid.UUID
    rejected_at: datetime


@dataclass(frozen=True)
class PermanentResidenceRegistered:
    command_id: str
    bundle_id: uuid.UUID
    unit_code: str
    registered_at: datetime


@dataclass(frozen=True)
class PermanentResidenceRemoved:
    command_id: str
    bundle_id: uuid.UUID
    removed_at: datetime


@dataclass(frozen=True)
class RecurringPaymentsStopped:
    command_id: str
    bundle_id: uuid.UUID
    payments_stopped: int
    stopped_at: datetime


CONSUMED: dict[str, type] = {
    "vn.lienthong.intake.DossierSubmitted": DossierSubmitted,
    "vn.lienthong.identity.IdentityVerified": IdentityVerified,
    "vn.lienthong.identity.IdentityMismatch": IdentityMismatch,
    "vn.lienthong.identity.DuplicateReviewDecided": DuplicateReviewDecided,
    "vn.lienthong.orchestrator.LinkedBundleStarted": LinkedBundleStarted,
    "vn.lienthong.orchestrator.LinkedBundleCompleted": LinkedBundleCompleted,
    "vn.lienthong.intake.DossierStatusChanged": DossierStatusChanged,
    "vn.lienthong.intake.DossierOverdue": DossierOverdue,
    "vn.lienthong.intake.DossierCompleted": DossierCompleted,
    "vn.lienthong.orchestrator.LinkedBundleStepFailed": LinkedBundleStepFailed,
    "vn.lienthong.orchestrator.LinkedBundleDeadlineBreached": LinkedBundleDeadlineBreached,
    "vn.lienthong.orchestrator.LinkedBundleCompensated": LinkedBundleCompensated,
    "vn.lienthong.civil_registry.BirthRegistered": BirthRegistered,
    "vn.lienthong.civil_registry.DeathRegistered": DeathRegistered,
    "vn.lienthong.civil_registry.CivilStatusChanged": CivilStatusChanged,
    "vn.lienthong.digitization.DocumentDigitized": DocumentDigitized,
    "vn.lienthong.digitization.ResultIssued": ResultIssued,
    "vn.lienthong.digitization.DocumentReused": DocumentReused,
    "vn.lienthong.insurance.HealthInsuranceCardIssued": HealthInsuranceCardIssued,
    "vn.lienthong.insurance.HealthInsuranceRequestRejected": HealthInsuranceRequestRejected,
    "vn.lienthong.residence.PermanentResidenceRegistered": PermanentResidenceRegistered,
    "vn.lienthong.residence.PermanentResidenceRemoved": PermanentResidenceRemoved,
    "vn.lienthong.welfare.RecurringPaymentsStopped": RecurringPaymentsStopped,
    "vn.lienthong.population.PersonalIdNumberRefused": PersonalIdNumberRefused,
    "vn.lienthong.insurance.HealthInsuranceCardSynced": HealthInsuranceCardSynced,
    "vn.lienthong.insurance.HealthInsuranceLookedUp": HealthInsuranceLookedUp,
}
