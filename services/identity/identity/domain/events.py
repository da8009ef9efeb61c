"""Events identity consumes (its own view of them) and emits; fields follow ``schemas/``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

VERIFICATION_TOPIC = "identity.verification.events"
REVIEW_TOPIC = "identity.review.events"
VERIFICATION_REQUESTS = "agency.population.verification.requests"


class PersonRole(enum.Enum):
    APPLICANT = "applicant"
    CHILD = "child"
    FATHER = "father"
    MOTHER = "mother"
    DECEASED = "deceased"
    SUBJECT = "subject"
    OTHER = "other"


class Gender(enum.Enum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class MatchLevel(enum.Enum):
    EXACT = "exact"
    NORMALIZED = "normalized"
    WITHOUT_TONES = "without_tones"
    SIMILAR = "similar"
    DIFFERENT = "different"
    NOT_CHECKED = "not_checked"
    DEMOGRAPHIC = "demographic"  # id_number: no usable number; found by name and birth date


class MismatchCategory(enum.Enum):
    INVALID_ID_NUMBER = "invalid_id_number"
    NAME_MISMATCH = "name_mismatch"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    GENDER_MISMATCH = "gender_mismatch"
    NOT_FOUND = "not_found"
    DECEASED = "deceased"
    SUSPECTED_DUPLICATE = "suspected_duplicate"
    NEEDS_VERIFICATION = "needs_verification"


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
class FieldMatch:
    field: str
    level: MatchLevel


@dataclass(frozen=True)
class IdentityVerified:
    verification_id: str
    dossier_id: str | None
    subject_id: str
    role: str
    checked_at: datetime
    field_matches: tuple[FieldMatch, ...]
    matched_subject_id: str | None = None


@dataclass(frozen=True)
class IdentityMismatch:
    verification_id: str
    dossier_id: str | None
    subject_id: str
    role: str
    checked_at: datetime
    field_matches: tuple[FieldMatch, ...]
    category: MismatchCategory
    detail: str
    matched_subject_id: str | None = None


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
    mother_id_number: str | None = None
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
    """The persons of one dossier, registration or bulk chunk, asked about in one message."""

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

    def each(self) -> tuple[CitizenVerificationAnswered, ...]:
        """The answers as single answers (what ``assess`` compares with)."""
        return tuple(
            CitizenVerificationAnswered(
                a.request_id, a.subject_id, a.matched_by, a.record, a.candidates, self.answered_at
            )
            for a in self.answers
        )


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


@dataclass(frozen=True)
class CivilStatusChanged:
    registration_id: str
    registered_at: datetime
    person: RegisteredPerson
    field: str


class ReviewDecision(enum.Enum):
    SAME_PERSON = "same_person"
    DIFFERENT_PERSONS = "different_persons"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class FieldScore:
    """The score of one compared field: 0 contradicts, 1 the same, 0.5 unknown."""

    field: str
    score: float


@dataclass(frozen=True)
class RankedCandidate:
    subject_id: str
    score: float
    field_scores: tuple[FieldScore, ...]


@dataclass(frozen=True)
class DuplicateSuspected:
    case_id: str
    subject_id: str
    candidate_subject_id: str
    verification_id: str
    name_score: float
    reason: str
    suspected_at: datetime
    candidates: tuple[RankedCandidate, ...] = ()


@dataclass(frozen=True)
class FieldCorrection:
    """One field to correct: what was stated, what the register holds, and the kind of
    slip it looks like (TYPO, TONE, SWAPPED_DAY_MONTH, ONE_DIGIT, GENDER)."""

    field: str
    stated: str
    suggested: str
    kind: str
    subject_id: str = ""  # the stated person, whose data the values are (set when announced)


@dataclass(frozen=True)
class CorrectionSuggested:
    case_id: str
    subject_id: str
    record_subject_id: str
    verification_id: str
    dossier_id: str | None
    corrections: tuple[FieldCorrection, ...]
    score: float
    suggested_at: datetime


class CorrectionDecision(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class CorrectionDecided:
    case_id: str
    subject_id: str
    record_subject_id: str
    decision: CorrectionDecision
    decided_by: str
    decided_by_unit: str | None
    decided_at: datetime


@dataclass(frozen=True)
class DuplicateReviewDecided:
    case_id: str
    subject_id: str
    candidate_subject_id: str
    decision: ReviewDecision
    decided_by: str
    decided_by_unit: str | None
    decided_at: datetime


EMITTED: dict[type, str] = {
    IdentityVerified: "vn.lienthong.identity.IdentityVerified",
    IdentityMismatch: "vn.lienthong.identity.IdentityMismatch",
    DuplicateSuspected: "vn.lienthong.identity.DuplicateSuspected",
    DuplicateReviewDecided: "vn.lienthong.identity.DuplicateReviewDecided",
    CorrectionSuggested: "vn.lienthong.identity.CorrectionSuggested",
    CorrectionDecided: "vn.lienthong.identity.CorrectionDecided",
    CitizenVerificationRequested: "vn.lienthong.population.CitizenVerificationRequested",
    CitizenVerificationBatchRequested: "vn.lienthong.population.CitizenVerificationBatchRequested",
}
CONSUMED: dict[str, type] = {
    "vn.lienthong.intake.DossierSubmitted": DossierSubmitted,
    "vn.lienthong.population.CitizenVerificationAnswered": CitizenVerificationAnswered,
    "vn.lienthong.population.CitizenVerificationBatchAnswered": CitizenVerificationBatchAnswered,
    "vn.lienthong.civil_registry.BirthRegistered": BirthRegistered,
    "vn.lienthong.civil_registry.DeathRegistered": DeathRegistered,
    "vn.lienthong.civil_registry.CivilStatusChanged": CivilStatusChanged,
}
