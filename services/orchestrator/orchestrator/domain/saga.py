"""The plans of the linked-procedure bundles: steps, who does them, in which order.

Why this exists: replies arrive in any order and sometimes twice. What to request next is a
pure function of the steps recorded so far (``next_steps``), so a redelivered or reordered
reply can never make a bundle act twice or skip ahead.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class BundleState(enum.Enum):
    AWAITING_IDENTITY = "awaiting_identity"  # kept: bundles started before 0002
    ISSUING_ID_NUMBER = "issuing_id_number"  # kept: bundles started before 0002
    IN_PROGRESS = "in_progress"
    NEEDS_REVIEW = "needs_review"
    FAILED = "failed"
    COMPENSATED = "compensated"
    CANCELLED = "cancelled"
    COMPLETED = "completed"

    @property
    def finished(self) -> bool:
        return self in FINISHED


FINISHED = frozenset(
    {BundleState.FAILED, BundleState.COMPENSATED, BundleState.CANCELLED, BundleState.COMPLETED}
)


class Step(enum.Enum):
    BIRTH_REGISTRATION = "birth_registration"
    IDENTITY_CHECKED = "identity_checked"
    ID_NUMBER_ISSUED = "id_number_issued"
    PERMANENT_RESIDENCE = "permanent_residence"
    HEALTH_INSURANCE_CARD = "health_insurance_card"
    DEATH_REGISTRATION = "death_registration"
    RESIDENCE_REMOVED = "residence_removed"
    INSURANCE_ENDED = "insurance_ended"
    DEATH_BENEFITS_DECIDED = "death_benefits_decided"
    CIVIL_STATUS_REGISTRATION = "civil_status_registration"
    POPULATION_NOTIFIED = "population_notified"
    RESIDENCE_PARTICULARS = "residence_particulars"
    INSURANCE_PARTICULARS = "insurance_particulars"


STEP_AGENCY = {
    Step.BIRTH_REGISTRATION: "civil_registry",
    Step.IDENTITY_CHECKED: "identity",
    Step.ID_NUMBER_ISSUED: "population_registry",
    Step.PERMANENT_RESIDENCE: "residence",
    Step.HEALTH_INSURANCE_CARD: "health_insurance",
    Step.DEATH_REGISTRATION: "civil_registry",
    Step.RESIDENCE_REMOVED: "residence",
    Step.INSURANCE_ENDED: "health_insurance",
    Step.DEATH_BENEFITS_DECIDED: "welfare",
    Step.CIVIL_STATUS_REGISTRATION: "civil_registry",
    Step.POPULATION_NOTIFIED: "population_registry",
    Step.RESIDENCE_PARTICULARS: "residence",
    Step.INSURANCE_PARTICULARS: "health_insurance",
}

# Each plan: step → the steps that must be completed before it is requested. Steps that are
# not commands (identity checks, the registration that started the bundle) are heard, not
# requested; ``COMMANDED`` lists the ones the orchestrator sends a command for.
PLANS: dict[str, dict[Step, tuple[Step, ...]]] = {
    "BIRTH": {
        Step.BIRTH_REGISTRATION: (),
        Step.IDENTITY_CHECKED: (),
        Step.ID_NUMBER_ISSUED: (Step.BIRTH_REGISTRATION, Step.IDENTITY_CHECKED),
        Step.PERMANENT_RESIDENCE: (Step.ID_NUMBER_ISSUED,),
        Step.HEALTH_INSURANCE_CARD: (Step.PERMANENT_RESIDENCE,),
    },
    "DEATH": {
        Step.DEATH_REGISTRATION: (),
        Step.RESIDENCE_REMOVED: (Step.DEATH_REGISTRATION,),
        Step.INSURANCE_ENDED: (Step.RESIDENCE_REMOVED,),
        Step.DEATH_BENEFITS_DECIDED: (Step.INSURANCE_ENDED,),
    },
    "CIVIL_STATUS_CHANGE": {
        Step.CIVIL_STATUS_REGISTRATION: (),
        Step.POPULATION_NOTIFIED: (Step.CIVIL_STATUS_REGISTRATION,),
        Step.RESIDENCE_PARTICULARS: (Step.CIVIL_STATUS_REGISTRATION,),
        Step.INSURANCE_PARTICULARS: (Step.CIVIL_STATUS_REGISTRATION,),
    },
}
COMMANDED = frozenset(
    {
        Step.BIRTH_REGISTRATION,
        Step.ID_NUMBER_ISSUED,
        Step.PERMANENT_RESIDENCE,
        Step.HEALTH_INSURANCE_CARD,
        Step.RESIDENCE_REMOVED,
        Step.INSURANCE_ENDED,
        Step.DEATH_BENEFITS_DECIDED,
        Step.RESIDENCE_PARTICULARS,
        Step.INSURANCE_PARTICULARS,
    }
)

# Electronic birth bundle: 3 working days in total (Joint Circular 05/2015 as made
# electronic); every agency step gets one working day from its request.
BUNDLE_WORKING_DAYS = {"BIRTH": 3, "DEATH": 3, "CIVIL_STATUS_CHANGE": 3}
STEP_WORKING_HOURS = 8.0


def next_steps(bundle_type: str, completed: set[Step], requested: set[Step]) -> list[Step]:
    """Commanded steps whose prerequisites are all completed and that were not yet requested."""
    plan = PLANS[bundle_type]
    return [
        step
        for step, before in plan.items()
        if step in COMMANDED
        and step not in requested
        and step not in completed
        and all(b in completed for b in before)
    ]


def is_complete(bundle_type: str, completed: set[Step]) -> bool:
    return set(PLANS[bundle_type]) <= completed


@dataclass(frozen=True)
class Compensation:
    """What happens when a step is rejected: nothing registered is revoked (see ADR 0031)."""

    kept: tuple[str, ...]
    undone: tuple[str, ...]
    skipped: tuple[str, ...]


def compensation(bundle_type: str, completed: set[Step], requested: set[Step]) -> Compensation:
    plan = PLANS[bundle_type]
    kept = tuple(s.value for s in plan if s in completed)
    skipped = tuple(s.value for s in plan if s not in completed and s not in requested)
    return Compensation(kept=kept, undone=(), skipped=skipped)


def retry_delay_s(base_s: float, attempts: int, cap_s: float = 3600.0) -> float:
    """Exponential backoff: base, 2×base, 4×base... capped."""
    return float(min(cap_s, base_s * (2 ** max(0, attempts - 1))))
