"""Kafka entry point: every consumed event joins the audit chain, known types are projected.

Bodies are stored as the inbox hands them to reporting, which is entitled to no personal
field: masked, with each person's sealed box kept, so the audit log never holds personal
data in clear, the chain's hashes never change when a key is erased, and the audit API can
still reveal a body to an auditor while the citizen's key exists.

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
from lienthong.personal import KeyRing
from reporting.adapters import repository
from reporting.domain.audit import AuditEntry, json_safe, subjects_in
from reporting.service_layer.projections import ProjectionUnitOfWork

ERASURE = "vn.lienthong.keys.PersonalDataErased"


def audit_entry(incoming: IncomingEvent) -> AuditEntry:
    envelope = incoming.envelope
    record = incoming.record
    dossier = record.get("dossier_id")
    actor = record.get("officer_id") or record.get("requested_by")
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


def projector_dispatch(
    bus: MessageBus[Any], classes: Mapping[str, type], keys: KeyRing | None = None
) -> Dispatch:
    """``keys``: the key ring the audit API reveals bodies with; an erasure makes it forget
    the citizen's key at once instead of when its cache entry expires."""

    async def dispatch(conn: asyncpg.Connection, incoming: IncomingEvent) -> None:
        await repository.append_audit(conn, audit_entry(incoming))
        if incoming.event_type == ERASURE and keys is not None:
            keys.forget(str(incoming.record["subject_id"]))
        cls = classes.get(incoming.event_type)
        if cls is None:
            return
        uow = ProjectionUnitOfWork(
            conn, bus.outbox, incoming.envelope, recorded_at=incoming.recorded_at
        )
        await bus.handle(from_record(cls, incoming.record), uow)

    return dispatch
