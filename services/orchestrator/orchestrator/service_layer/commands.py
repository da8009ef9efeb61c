"""The command each agency step sends, built from the bundle's recorded data.

Why this exists: a retry must resend exactly the command first sent (same ``command_id``,
same content), so commands are rebuilt from saga state rather than kept as bytes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from lienthong.vn.provinces import registration_code
from lienthong.vn.units import day_in_vietnam
from orchestrator.adapters.repository import BundleRow
from orchestrator.domain.events import (
    DecideDeathBenefits,
    EndHealthInsurance,
    Gender,
    IssueChildHealthInsuranceCard,
    IssuePersonalIdNumber,
    RegisterBirth,
    RegisteredPerson,
    RegisterPermanentResidence,
    RemovePermanentResidence,
    UpdateInsuredParticulars,
    UpdateResidentParticulars,
)
from orchestrator.domain.saga import Step


def registration_province(unit_code: str, registered_at: datetime) -> str:
    """The ID-number registration code of the province that registers a birth at
    ``unit_code`` at ``registered_at`` (units API, layout of that day; ADR 0111).

    An empty string when the unit has none on that day: the population registry then
    refuses the command with ``UNKNOWN_REGISTRATION_PROVINCE`` and the bundle is
    compensated with that reason.
    """
    return registration_code(unit_code, day_in_vietnam(registered_at)) or ""


def _person(p: dict[str, Any] | None) -> RegisteredPerson | None:
    if p is None:
        return None
    return RegisteredPerson(
        subject_id=p["subject_id"],
        id_number=p.get("id_number"),
        full_name=p["full_name"],
        birth_date=date.fromisoformat(p["birth_date"]) if p.get("birth_date") else None,
        gender=Gender[p["gender"]] if p.get("gender") else None,
    )


def build(step: Step, b: BundleRow, command_id: str, now: datetime) -> object:
    """The command of a commanded step (its topic comes from the catalog)."""
    bid = str(b.bundle_id)
    d = b.data
    child = b.child or {}
    if step is Step.BIRTH_REGISTRATION:
        child_person = _person(child)
        assert child_person is not None
        return RegisterBirth(
            command_id=command_id,
            bundle_id=bid,
            dossier_id=str(b.dossier_id),
            unit_code=b.unit_code,
            child=child_person,
            father=_person(d.get("father")),
            mother=_person(d.get("mother")),
            place_of_birth=d.get("place_of_birth") or f"unit {b.unit_code}",
            requested_at=now,
        )
    if step is Step.ID_NUMBER_ISSUED:
        return IssuePersonalIdNumber(
            command_id=command_id,
            bundle_id=bid,
            subject_id=child["subject_id"],
            full_name=child["full_name"],
            birth_date=date.fromisoformat(child["birth_date"]),
            gender=Gender[child["gender"]],
            registration_province_code=registration_province(b.unit_code, b.started_at),
            requested_at=now,
        )
    if step is Step.PERMANENT_RESIDENCE:
        parents = tuple(d[r]["subject_id"] for r in ("mother", "father") if d.get(r))
        return RegisterPermanentResidence(
            command_id, bid, d["child_subject_id"], parents, b.unit_code, now
        )
    if step is Step.HEALTH_INSURANCE_CARD:
        return IssueChildHealthInsuranceCard(
            command_id=command_id,
            bundle_id=bid,
            subject_id=d["child_subject_id"],
            id_number=d["child_id_number"],
            full_name=child["full_name"],
            birth_date=date.fromisoformat(child["birth_date"]),
            unit_code=b.unit_code,
            requested_at=now,
        )
    if step is Step.RESIDENCE_REMOVED:
        return RemovePermanentResidence(
            command_id, bid, b.subject_id, date.fromisoformat(d["date_of_death"]), "DECEASED", now
        )
    if step is Step.INSURANCE_ENDED:
        return EndHealthInsurance(
            command_id, bid, b.subject_id, date.fromisoformat(d["date_of_death"]), "DECEASED", now
        )
    if step is Step.DEATH_BENEFITS_DECIDED:
        return DecideDeathBenefits(
            command_id, bid, b.subject_id, date.fromisoformat(d["date_of_death"]), b.unit_code, now
        )
    if step in (Step.RESIDENCE_PARTICULARS, Step.INSURANCE_PARTICULARS):
        args = (
            command_id,
            bid,
            b.subject_id,
            d["field"],
            d["new_value"],
            date.fromisoformat(d["effective_date"]),
            now,
        )
        if step is Step.RESIDENCE_PARTICULARS:
            return UpdateResidentParticulars(*args)
        return UpdateInsuredParticulars(*args)
    raise ValueError(f"{step.value} is not a commanded step")
