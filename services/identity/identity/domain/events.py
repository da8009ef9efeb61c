"""Events identity consumes (its own view of them) and emits; fields follow ``schemas/``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

VERIFICATION_TOPIC = "identity.verification.events"


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


EMITTED: dict[type, str] = {
    IdentityVerified: "vn.lienthong.identity.IdentityVerified",
    IdentityMismatch: "vn.lienthong.identity.IdentityMismatch",
}
CONSUMED: dict[str, type] = {"vn.lienthong.intake.DossierSubmitted": DossierSubmitted}
