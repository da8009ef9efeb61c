"""A lawful erasure request: destroy a citizen's data key and announce it, in one transaction.

Why this exists: erasure is an event with who and why (``PersonalDataErased`` on
``platform.erasure.events``), and the key's destruction and the event must never happen one
without the other. Both go into the key database in one transaction — the event through
the key service's own transactional outbox — and the outbox is then published.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg

from lienthong.codec import AvroCodec
from lienthong.kafka import EventProducer
from lienthong.outbox import Outbox, OutboxRelay
from lienthong.personal.keys import Erasure, KeyService
from lienthong.personal.master import MasterKey

TOPIC = "platform.erasure.events"
EVENT_TYPE = "vn.lienthong.keys.PersonalDataErased"
SOURCE = "/lienthong/keys"
LEGAL_BASES = (
    "SUBJECT_REQUEST",
    "CONSENT_WITHDRAWN",
    "PURPOSE_FULFILLED",
    "COURT_ORDER",
    "OTHER",
)


@dataclass(frozen=True)
class ErasureRequest:
    subject_id: str
    requested_by: str
    legal_basis: str
    reason: str
    requested_by_unit: str | None = None

    def problems(self) -> list[str]:
        found = []
        if not self.subject_id.startswith("sub_"):
            found.append("subject_id must be a pseudonymous subject id (sub_...)")
        if not self.requested_by.strip():
            found.append("requested_by (who asks) is required")
        if self.legal_basis not in LEGAL_BASES:
            found.append(f"legal_basis must be one of {', '.join(LEGAL_BASES)}")
        if not self.reason.strip():
            found.append("reason (the request's reference) is required")
        return found


async def erase(
    pool: asyncpg.Pool,
    master: MasterKey,
    codec: AvroCodec,
    producer: EventProducer,
    request: ErasureRequest,
    *,
    topic_prefix: str = "",
) -> Erasure:
    """Destroy the key, record who and why, announce it; returns what was done."""
    problems = request.problems()
    if problems:
        raise ValueError("; ".join(problems))
    outbox = Outbox(codec, SOURCE, {})
    async with pool.acquire() as conn, conn.transaction():
        done = await KeyService(pool, master).erase(
            conn,
            request.subject_id,
            requested_by=request.requested_by,
            requested_by_unit=request.requested_by_unit,
            legal_basis=request.legal_basis,
            reason=request.reason,
            erasure_id=uuid.uuid4(),
        )
        await outbox.add_record(
            conn,
            topic=TOPIC,
            key=done.subject_id,
            event_type=EVENT_TYPE,
            record={
                "erasure_id": str(done.erasure_id),
                "subject_id": done.subject_id,
                "requested_by": done.requested_by,
                "requested_by_unit": done.requested_by_unit,
                "legal_basis": done.legal_basis,
                "reason": done.reason,
                "keys_destroyed": done.keys_destroyed,
                "erased_at": done.erased_at,
            },
            time=done.erased_at,
            subject=done.subject_id,
        )
    relay = OutboxRelay(pool, producer, topic_prefix=topic_prefix)
    while await relay.publish_pending():
        pass
    return done
