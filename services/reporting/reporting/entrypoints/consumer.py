"""Kafka entry point: every consumed event joins the audit chain, known types are projected.

Both happen in the InboxConsumer's transaction, with the inbox row and the partition
position, so a crash or a redelivery neither loses nor double-counts an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from lienthong.bus import MessageBus
from lienthong.inbox import Dispatch, IncomingEvent
from lienthong.mapping import from_record
from reporting.adapters import repository
from reporting.domain.audit import AuditEntry, json_safe, subjects_in
from reporting.service_layer.projections import ProjectionUnitOfWork


def audit_entry(incoming: IncomingEvent) -> AuditEntry:
    envelope = incoming.envelope
    record = incoming.record
    dossier = record.get("dossier_id")
    actor = record.get("officer_id")
    return AuditEntry(
        seq=0,
        event_id=envelope.id,
        event_type=incoming.event_type,
        topic=incoming.topic,
        event_time=envelope.time,
        recorded_at=incoming.recorded_at or envelope.time,
        source=envelope.source,
        actor=str(actor) if actor else None,
        subjects=subjects_in(record, envelope.subject),
        dossier_id=str(dossier) if dossier else None,
        body=json_safe(record),
    )


def projector_dispatch(bus: MessageBus[Any], classes: Mapping[str, type]) -> Dispatch:
    async def dispatch(conn: asyncpg.Connection, incoming: IncomingEvent) -> None:
        await repository.append_audit(conn, audit_entry(incoming))
        cls = classes.get(incoming.event_type)
        if cls is None:
            return
        uow = ProjectionUnitOfWork(
            conn, bus.outbox, incoming.envelope, recorded_at=incoming.recorded_at
        )
        await bus.handle(from_record(cls, incoming.record), uow)

    return dispatch
