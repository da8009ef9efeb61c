"""Facts: one row per projected event, the only thing a projection version stores.

Why this exists: every Project 06 figure is a count, a share or a duration of events in an
event-time range, as known at some recorded time. Storing one narrow, append-only fact per
event (its event time beside the time the log recorded it) answers all of them — by unit,
procedure, channel, "as of" any date — with SQL aggregates, and makes a replay a bulk copy
of facts instead of a re-run of thousands of small upserts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, timezone
from operator import attrgetter
from typing import Any

from reporting.domain import events as ev

VIETNAM = timezone(timedelta(hours=7), "ICT")


@dataclass(frozen=True)
class Fact:
    event_id: str
    kind: str
    event_time: datetime
    recorded_at: datetime
    dossier_id: uuid.UUID | None = None
    bundle_id: uuid.UUID | None = None
    unit_code: str | None = None
    procedure_code: str | None = None
    channel: str | None = None
    category: str | None = None
    flag: bool | None = None
    duration_s: float | None = None
    seq: int | None = None
    reference: str | None = None
    #: A deadline: a dossier's appointment, the day after a card's last day of cover.
    due_at: datetime | None = None
    #: A start: a card's first day of cover.
    starts_at: datetime | None = None

    def row(self) -> tuple[Any, ...]:
        row: tuple[Any, ...] = _ROW(self)
        return row


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Fact))
_ROW = attrgetter(*COLUMNS)


def _uuid(value: str | uuid.UUID | None) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID) or value is None:
        return value
    return uuid.UUID(value) if value else None


@dataclass(frozen=True)
class Stamp:
    """What every fact takes from the envelope and the log, not from the body."""

    event_id: str
    recorded_at: datetime


def _dossier_submitted(e: ev.DossierSubmitted, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "dossier_submitted",
        e.submitted_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        unit_code=e.unit_code,
        procedure_code=e.procedure_code,
        channel=e.channel.name,
        reference=e.dossier_code,
        due_at=e.appointment_at,
    )


def _status_changed(e: ev.DossierStatusChanged, s: Stamp) -> Fact:
    # The officer may record a step later than it happened: the body's recorded_at is the
    # honest "known since"; occurred_at is the event time the report counts by.
    return Fact(
        s.event_id,
        "dossier_status",
        e.occurred_at,
        e.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        unit_code=e.unit_code,
        procedure_code=e.procedure_code,
        category=e.to_status,
        seq=e.sequence,
        reference=e.dossier_code,
    )


def _overdue(e: ev.DossierOverdue, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "dossier_overdue",
        e.detected_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        unit_code=e.unit_code,
        procedure_code=e.procedure_code,
        reference=e.dossier_code,
    )


def _completed(e: ev.DossierCompleted, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "dossier_completed",
        e.completed_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        unit_code=e.unit_code,
        procedure_code=e.procedure_code,
        category=e.outcome,
        flag=e.on_time,
        seq=e.sequence,
        reference=e.dossier_code,
        due_at=e.appointment_at,
    )


def _identity_verified(e: ev.IdentityVerified, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "identity_checked",
        e.checked_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        category="VERIFIED",
        # no dossier: a row of an agency dataset being cleaned (a bulk check)
        flag=True if e.dossier_id is None else None,
    )


def _identity_mismatch(e: ev.IdentityMismatch, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "identity_checked",
        e.checked_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        category=e.category.name,
        flag=True if e.dossier_id is None else None,
    )


def _review_decided(e: ev.DuplicateReviewDecided, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "identity_review",
        e.decided_at,
        s.recorded_at,
        unit_code=e.decided_by_unit,
        category=e.decision.name,
    )


def _bundle_started(e: ev.LinkedBundleStarted, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "bundle_started",
        e.started_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        bundle_id=_uuid(e.bundle_id),
        unit_code=e.unit_code,
        procedure_code=e.procedure_code,
        category=e.bundle_type.name,
        # A start's duration is the time the bundle is allowed: its deadline is derivable.
        duration_s=(e.deadline_at - e.started_at).total_seconds(),
    )


def _bundle_completed(e: ev.LinkedBundleCompleted, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "bundle_completed",
        e.completed_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        bundle_id=_uuid(e.bundle_id),
        unit_code=e.unit_code,
        category=e.bundle_type.name,
        flag=e.on_time,
        duration_s=(e.completed_at - e.started_at).total_seconds(),
    )


def _bundle_step_failed(e: ev.LinkedBundleStepFailed, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "bundle_step_failed",
        e.failed_at,
        s.recorded_at,
        bundle_id=_uuid(e.bundle_id),
        category=e.bundle_type,
        reference=e.step,
    )


def _bundle_breached(e: ev.LinkedBundleDeadlineBreached, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "bundle_breached",
        e.detected_at,
        s.recorded_at,
        bundle_id=_uuid(e.bundle_id),
        category=e.bundle_type,
        reference=e.step,
    )


def _bundle_compensated(e: ev.LinkedBundleCompensated, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "bundle_compensated",
        e.compensated_at,
        s.recorded_at,
        bundle_id=_uuid(e.bundle_id),
        category=e.bundle_type,
        reference=e.failed_step,
    )


def _birth(e: ev.BirthRegistered, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "civil_registration",
        e.registered_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        unit_code=e.unit_code,
        category="BIRTH",
        reference=e.registration_type,
    )


def _death(e: ev.DeathRegistered, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "civil_registration",
        e.registered_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        unit_code=e.unit_code,
        category="DEATH",
    )


def _civil_status(e: ev.CivilStatusChanged, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "civil_registration",
        e.registered_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        unit_code=e.unit_code,
        category="CIVIL_STATUS_CHANGE",
        reference=e.change_type,
    )


def _digitized(e: ev.DocumentDigitized, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "document_digitized",
        e.digitized_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        unit_code=e.unit_code,
        category=e.document_type,
    )


def _result_issued(e: ev.ResultIssued, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "result_issued",
        e.issued_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        unit_code=e.unit_code,
        category=e.document_type,
    )


def _reused(e: ev.DocumentReused, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "document_reused",
        e.reused_at,
        s.recorded_at,
        dossier_id=_uuid(e.dossier_id),
        category=e.kind,
        reference=e.document_type,
    )


def _card_issued(e: ev.HealthInsuranceCardIssued, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "insurance_lookup",
        e.issued_at,
        s.recorded_at,
        bundle_id=_uuid(e.bundle_id),
        flag=True,
    )


def _card_rejected(e: ev.HealthInsuranceRequestRejected, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "insurance_lookup",
        e.rejected_at,
        s.recorded_at,
        bundle_id=_uuid(e.bundle_id),
        flag=False,
    )


def _residence_registered(e: ev.PermanentResidenceRegistered, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "residence",
        e.registered_at,
        s.recorded_at,
        bundle_id=_uuid(e.bundle_id),
        unit_code=e.unit_code,
        category="REGISTERED",
    )


def _residence_removed(e: ev.PermanentResidenceRemoved, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "residence",
        e.removed_at,
        s.recorded_at,
        bundle_id=_uuid(e.bundle_id),
        category="REMOVED",
    )


def _payments_stopped(e: ev.RecurringPaymentsStopped, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "welfare_payments_stopped",
        e.stopped_at,
        s.recorded_at,
        bundle_id=_uuid(e.bundle_id),
        duration_s=float(e.payments_stopped),
    )


def _id_number_refused(e: ev.PersonalIdNumberRefused, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "id_number_refused",
        e.refused_at,
        s.recorded_at,
        bundle_id=_uuid(e.bundle_id),
        category=e.reason,
    )


def _vn_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), VIETNAM)


def _card_synced(e: ev.HealthInsuranceCardSynced, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "card_synced",
        e.synced_at,
        s.recorded_at,
        unit_code=e.unit_code,
        reference=e.subject_id,
        starts_at=_vn_midnight(e.valid_from),
        due_at=_vn_midnight(e.valid_until + timedelta(days=1)),
    )


def _card_looked_up(e: ev.HealthInsuranceLookedUp, s: Stamp) -> Fact:
    return Fact(
        s.event_id,
        "card_lookup",
        e.looked_up_at,
        s.recorded_at,
        unit_code=e.unit_code,
        category=e.outcome,
        flag=e.outcome == "FOUND_VALID",
        reference=e.facility_code,
    )


_RULES: dict[type, Callable[[Any, Stamp], Fact]] = {
    ev.DossierSubmitted: _dossier_submitted,
    ev.DossierStatusChanged: _status_changed,
    ev.DossierOverdue: _overdue,
    ev.DossierCompleted: _completed,
    ev.IdentityVerified: _identity_verified,
    ev.IdentityMismatch: _identity_mismatch,
    ev.DuplicateReviewDecided: _review_decided,
    ev.LinkedBundleStarted: _bundle_started,
    ev.LinkedBundleCompleted: _bundle_completed,
    ev.LinkedBundleStepFailed: _bundle_step_failed,
    ev.LinkedBundleDeadlineBreached: _bundle_breached,
    ev.LinkedBundleCompensated: _bundle_compensated,
    ev.BirthRegistered: _birth,
    ev.DeathRegistered: _death,
    ev.CivilStatusChanged: _civil_status,
    ev.DocumentDigitized: _digitized,
    ev.ResultIssued: _result_issued,
    ev.DocumentReused: _reused,
    ev.HealthInsuranceCardIssued: _card_issued,
    ev.HealthInsuranceRequestRejected: _card_rejected,
    ev.PermanentResidenceRegistered: _residence_registered,
    ev.PermanentResidenceRemoved: _residence_removed,
    ev.RecurringPaymentsStopped: _payments_stopped,
    ev.PersonalIdNumberRefused: _id_number_refused,
    ev.HealthInsuranceCardSynced: _card_synced,
    ev.HealthInsuranceLookedUp: _card_looked_up,
}


def fact_of(event: object, stamp: Stamp) -> Fact | None:
    """The fact an event contributes to the figures, or None if it counts for nothing."""
    rule = _RULES.get(type(event))
    return rule(event, stamp) if rule is not None else None
