"""Commands identity accepts over HTTP, and their errors."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from identity.domain.events import CorrectionDecision, Gender, ReviewDecision


@dataclass(frozen=True)
class DecideReviewCase:
    case_id: uuid.UUID
    decision: ReviewDecision
    officer: str
    unit: str | None


@dataclass(frozen=True)
class DecideCorrection:
    case_id: uuid.UUID
    decision: CorrectionDecision
    officer: str
    unit: str | None


class ReviewError(Exception):
    status = 409
    type = "review-error"
    title = "The review case cannot be decided"


class CaseNotFound(ReviewError):
    status = 404
    type = "review-case-not-found"
    title = "No such review case"


class CaseAlreadyDecided(ReviewError):
    status = 409
    type = "review-case-already-decided"
    title = "The review case was already decided"


@dataclass(frozen=True)
class StartBulkCheck:
    job_id: uuid.UUID
    dataset: str
    officer: str


@dataclass(frozen=True)
class BulkRow:
    id_number: str | None
    full_name: str
    birth_date: date | None
    gender: Gender | None


@dataclass(frozen=True)
class AddBulkRows:
    """Rows ``first_row``, ``first_row + 1``, ... of a job; rows already received are
    skipped, so an interrupted upload is resumed by sending again."""

    job_id: uuid.UUID
    first_row: int
    rows: tuple[BulkRow, ...]


class BulkJobNotFound(ReviewError):
    status = 404
    type = "bulk-check-not-found"
    title = "No such bulk check"


class CorrectionNotFound(ReviewError):
    status = 404
    type = "correction-case-not-found"
    title = "No such correction case"


class CorrectionAlreadyDecided(ReviewError):
    status = 409
    type = "correction-case-already-decided"
    title = "The correction case was already decided"
