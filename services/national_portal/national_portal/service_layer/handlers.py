"""National portal handlers: store each intake event in order, acknowledge it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from lienthong.bus import UnitOfWork
from lienthong.envelope import Envelope
from national_portal.adapters import repository
from national_portal.adapters.repository import StoredEvent
from national_portal.domain.events import (
    DossierAcknowledgementOverdue,
    DossierCompleted,
    DossierOverdue,
    DossierStatusChanged,
    DossierSubmitted,
    PortalSyncAcknowledged,
)


@dataclass(frozen=True)
class Dependencies:
    """The portal needs nothing beyond its database and outbox."""


async def _store_and_acknowledge(uow: UnitOfWork, event: StoredEvent) -> None:
    stored_at = datetime.now(UTC)
    if not await repository.store(uow.conn, event, stored_at):
        return  # that position of the history is already held: acknowledged before
    status, complete = await repository.sync_state(uow.conn, event.dossier_id)
    await uow.emit(
        PortalSyncAcknowledged(
            dossier_id=str(event.dossier_id),
            dossier_code=event.dossier_code,
            sequence=event.sequence,
            source_event_id=event.event_id,
            source_event_type=event.event_type,
            status=status.upper(),
            complete=complete,
            acknowledged_at=stored_at,
        ),
        time=stored_at,
    )


class _DossierEvent(Protocol):
    @property
    def dossier_id(self) -> str: ...
    @property
    def dossier_code(self) -> str: ...
    @property
    def procedure_code(self) -> str: ...
    @property
    def unit_code(self) -> str: ...


PortalEvent = (
    DossierSubmitted
    | DossierStatusChanged
    | DossierOverdue
    | DossierAcknowledgementOverdue
    | DossierCompleted
)


def _entry(event: _DossierEvent, cause: Envelope, sequence: int, **what: Any) -> StoredEvent:
    return StoredEvent(
        dossier_id=uuid.UUID(event.dossier_id),
        dossier_code=event.dossier_code,
        procedure_code=event.procedure_code,
        unit_code=event.unit_code,
        sequence=sequence,
        event_id=cause.id,
        event_type=cause.type,
        **what,
    )


def history_entry(event: PortalEvent, cause: Envelope) -> StoredEvent:
    """The place of ``event`` (delivered in ``cause``) in its dossier's history, and what it
    changes in the portal's copy: a status only for a status change, flags for the rest."""
    match event:
        case DossierSubmitted():
            # DossierSubmitted v1 predates sequences; it is always the first.
            return _entry(
                event,
                cause,
                1,
                status="received",
                detail=None,
                occurred_at=event.submitted_at,
                appointment_at=event.appointment_at,
                parties=tuple(p.subject_id for p in event.persons),
            )
        case DossierStatusChanged():
            detail = event.action
            if event.correction_of:
                detail += f" of {event.correction_of}"
            return _entry(
                event,
                cause,
                event.sequence,
                status=event.to_status.value,
                detail=detail,
                occurred_at=event.occurred_at,
                appointment_at=event.new_appointment_at,
            )
        case DossierOverdue():
            return _entry(
                event,
                cause,
                event.sequence,
                status=None,
                detail="OVERDUE",
                occurred_at=event.appointment_at,
                overdue=True,
            )
        case DossierAcknowledgementOverdue():
            return _entry(
                event,
                cause,
                event.sequence,
                status=None,
                detail="ACKNOWLEDGEMENT_OVERDUE",
                occurred_at=event.acknowledgement_due_at,
            )
        case DossierCompleted():
            return _entry(
                event,
                cause,
                event.sequence,
                status=None,
                detail="COMPLETED_ON_TIME" if event.on_time else "COMPLETED_LATE",
                occurred_at=event.completed_at,
                completed_on_time=event.on_time,
            )


async def on_dossier_event(event: PortalEvent, uow: UnitOfWork, deps: Dependencies) -> None:
    """Store ``event`` at its place of the dossier's history, then acknowledge it."""
    assert uow.cause is not None, "portal handlers run only for consumed events"
    await _store_and_acknowledge(uow, history_entry(event, uow.cause))


HANDLERS: dict[type, Any] = {
    DossierSubmitted: on_dossier_event,
    DossierStatusChanged: on_dossier_event,
    DossierOverdue: on_dossier_event,
    DossierCompleted: on_dossier_event,
    DossierAcknowledgementOverdue: on_dossier_event,
}
