"""The birth bundle saga: which step comes next, given what has been heard so far.

Why this exists: replies arrive in any order and sometimes twice (identity results may come
before the dossier itself). The decision of what to do next is a pure function of the
saga's recorded state, so redeliveries and reordering cannot make it act twice.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class BundleState(enum.Enum):
    AWAITING_IDENTITY = "awaiting_identity"
    ISSUING_ID_NUMBER = "issuing_id_number"
    NEEDS_REVIEW = "needs_review"
    FAILED = "failed"
    COMPLETED = "completed"


class Step(enum.Enum):
    IDENTITY_CHECKED = "identity_checked"
    ID_NUMBER_ISSUED = "id_number_issued"


STEP_AGENCY = {Step.IDENTITY_CHECKED: "identity", Step.ID_NUMBER_ISSUED: "population_registry"}
BUNDLE_PROCEDURES = {"BIRTH_LINKED": "BIRTH"}
BIRTH_BUNDLE_WORKING_DAYS = 3


@dataclass(frozen=True)
class IdentityResult:
    subject_id: str
    role: str
    verified: bool


class Decision(enum.Enum):
    WAIT = "wait"
    REQUEST_ID_NUMBER = "request_id_number"
    HOLD_FOR_REVIEW = "hold_for_review"


def after_identity(expected_subjects: frozenset[str], results: list[IdentityResult]) -> Decision:
    """All persons verified → request the child's number; any mismatch → hold for review."""
    heard = {r.subject_id: r for r in results if r.subject_id in expected_subjects}
    if any(not r.verified for r in heard.values()):
        return Decision.HOLD_FOR_REVIEW
    if set(heard) == expected_subjects:
        return Decision.REQUEST_ID_NUMBER
    return Decision.WAIT
