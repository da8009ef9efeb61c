"""The birth bundle's identity gate: may the child's ID number be requested yet?

Why this exists: identity results may arrive before the dossier itself and in any order;
the decision is a pure function of what has been heard so far.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from orchestrator.domain.saga import BundleState, Step

__all__ = ["BUNDLE_PROCEDURES", "BundleState", "Decision", "IdentityResult", "Step"]

BUNDLE_PROCEDURES = {"BIRTH_LINKED": "BIRTH"}


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
    """All persons verified → identity step done; any mismatch → hold for review."""
    heard = {r.subject_id: r for r in results if r.subject_id in expected_subjects}
    if any(not r.verified for r in heard.values()):
        return Decision.HOLD_FOR_REVIEW
    if set(heard) == expected_subjects:
        return Decision.REQUEST_ID_NUMBER
    return Decision.WAIT
