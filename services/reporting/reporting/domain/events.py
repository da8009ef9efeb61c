"""Reporting's view of the events it projects (only the fields it counts)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Channel(enum.Enum):
    PORTAL = "portal"
    COUNTER = "counter"
    POSTAL = "postal"


class BundleType(enum.Enum):
    BIRTH = "birth"
    DEATH = "death"
    CIVIL_STATUS_CHANGE = "civil_status_change"


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
class DossierSubmitted:
    dossier_id: str
    dossier_code: str
    procedure_code: str
    channel: Channel
    unit_code: str
    submitted_at: datetime


@dataclass(frozen=True)
class IdentityVerified:
    verification_id: str
    dossier_id: str | None
    checked_at: datetime


@dataclass(frozen=True)
class IdentityMismatch:
    verification_id: str
    dossier_id: str | None
    checked_at: datetime
    category: MismatchCategory


@dataclass(frozen=True)
class LinkedBundleStarted:
    bundle_id: str
    bundle_type: BundleType
    dossier_id: str
    unit_code: str
    procedure_code: str
    started_at: datetime
    deadline_at: datetime


@dataclass(frozen=True)
class LinkedBundleCompleted:
    bundle_id: str
    bundle_type: BundleType
    dossier_id: str
    unit_code: str
    started_at: datetime
    completed_at: datetime
    on_time: bool


CONSUMED: dict[str, type] = {
    "vn.lienthong.intake.DossierSubmitted": DossierSubmitted,
    "vn.lienthong.identity.IdentityVerified": IdentityVerified,
    "vn.lienthong.identity.IdentityMismatch": IdentityMismatch,
    "vn.lienthong.orchestrator.LinkedBundleStarted": LinkedBundleStarted,
    "vn.lienthong.orchestrator.LinkedBundleCompleted": LinkedBundleCompleted,
}
