"""Where each intake event lands in the portal's copy of a dossier's history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from lienthong.envelope import Envelope
from national_portal.domain.events import (
    CONSUMED,
    DossierAcknowledgementOverdue,
    DossierCompleted,
    DossierOverdue,
    DossierParty,
    DossierStatus,
    DossierStatusChanged,
    DossierSubmitted,
)
from national_portal.service_layer.handlers import HANDLERS, history_entry

AT = datetime(2026, 11, 30, 2, tzinfo=UTC)
DOSSIER = str(uuid.uuid4())
CODE = "21211-20261130-000042"  # Tịnh Khê, Quảng Ngãi
COMMON = {
    "dossier_id": DOSSIER,
    "dossier_code": CODE,
    "procedure_code": "BIRTH_REGISTRATION",
    "unit_code": "21211",
}


def _cause(name: str) -> Envelope:
    return Envelope(
        type=f"vn.lienthong.intake.{name}",
        source="/lienthong/intake",
        time=AT,
        dataschema=f"lienthong:intake.{name}/v1",
    )


def test_a_submitted_dossier_is_always_the_first_entry_and_received_with_its_parties() -> None:
    event = DossierSubmitted(
        **COMMON,
        submitted_at=AT,
        appointment_at=AT + timedelta(days=5),
        persons=(DossierParty("sub_a"), DossierParty("sub_b")),
    )
    cause = _cause("DossierSubmitted")
    entry = history_entry(event, cause)
    assert (entry.sequence, entry.status, entry.detail) == (1, "received", None)
    assert entry.dossier_id == uuid.UUID(DOSSIER)
    assert (entry.event_id, entry.event_type) == (cause.id, cause.type)
    assert entry.appointment_at == AT + timedelta(days=5)
    assert entry.parties == ("sub_a", "sub_b")


def test_a_status_change_sets_the_status_and_a_new_appointment_at_its_sequence() -> None:
    event = DossierStatusChanged(
        **COMMON,
        sequence=3,
        action="APOLOGIZE",
        to_status=DossierStatus.IN_PROCESSING,
        occurred_at=AT,
        new_appointment_at=AT + timedelta(days=2),
    )
    entry = history_entry(event, _cause("DossierStatusChanged"))
    assert (entry.sequence, entry.status, entry.detail) == (3, "in_processing", "APOLOGIZE")
    assert entry.appointment_at == AT + timedelta(days=2)
    assert entry.parties == ()  # only a submission names the parties


def test_a_correction_names_the_change_it_corrects() -> None:
    corrected = str(uuid.uuid4())
    event = DossierStatusChanged(
        **COMMON,
        sequence=4,
        action="CORRECT",
        to_status=DossierStatus.APPROVED,
        occurred_at=AT,
        correction_of=corrected,
    )
    assert history_entry(event, _cause("DossierStatusChanged")).detail == f"CORRECT of {corrected}"


def test_an_overdue_dossier_is_flagged_without_changing_its_status() -> None:
    event = DossierOverdue(**COMMON, sequence=5, appointment_at=AT)
    entry = history_entry(event, _cause("DossierOverdue"))
    assert (entry.status, entry.detail, entry.overdue) == (None, "OVERDUE", True)
    assert entry.occurred_at == AT


def test_a_late_acknowledgement_is_recorded_at_its_due_time() -> None:
    event = DossierAcknowledgementOverdue(**COMMON, sequence=2, acknowledgement_due_at=AT)
    entry = history_entry(event, _cause("DossierAcknowledgementOverdue"))
    assert (entry.sequence, entry.status, entry.detail) == (2, None, "ACKNOWLEDGEMENT_OVERDUE")
    assert entry.occurred_at == AT
    assert entry.overdue is None  # not the appointment: the dossier is not overdue


def test_a_completion_records_whether_it_was_on_time() -> None:
    on_time = DossierCompleted(**COMMON, sequence=6, completed_at=AT, on_time=True)
    late = DossierCompleted(**COMMON, sequence=6, completed_at=AT, on_time=False)
    first = history_entry(on_time, _cause("DossierCompleted"))
    second = history_entry(late, _cause("DossierCompleted"))
    assert (first.detail, first.completed_on_time, first.status) == (
        "COMPLETED_ON_TIME",
        True,
        None,
    )
    assert (second.detail, second.completed_on_time) == ("COMPLETED_LATE", False)


def test_every_consumed_event_type_has_a_handler_and_every_handler_is_consumed() -> None:
    assert set(CONSUMED.values()) == set(HANDLERS)
