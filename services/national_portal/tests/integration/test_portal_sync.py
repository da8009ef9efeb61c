"""The portal's copy of a dossier, fed by intake's events on the real broker and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from confluent_kafka import Consumer

from lienthong.bus import MessageBus
from lienthong.db import create_pool
from lienthong.inbox import InboxConsumer
from lienthong.kafka import EventProducer, OutgoingMessage, consumer_config, producer_config
from lienthong.outbox import Outbox
from lienthong.service import load_codec
from lienthong_tools.bench.reporting import NS, Published, dossier_submitted, encode, publish
from lienthong_tools.devstack import kafka_bootstrap
from national_portal.adapters import repository
from national_portal.bootstrap import MIGRATIONS
from national_portal.domain.events import CONSUMED, EMITTED
from national_portal.service_layer.handlers import HANDLERS, Dependencies

pytestmark = pytest.mark.integration
AT = datetime(2026, 11, 30, 2, tzinfo=UTC)


@dataclasses.dataclass
class Portal:
    pool: asyncpg.Pool
    topic: str

    async def acknowledgements(self, want: int, timeout: float = 60) -> list[dict[str, Any]]:
        """The ``PortalSyncAcknowledged`` bodies in the outbox, once there are ``want``."""
        async with asyncio.timeout(timeout):
            while True:
                if await self.pool.fetchval("SELECT count(*) FROM outbox") >= want:
                    break
                await asyncio.sleep(0.1)
        codec = load_codec()
        payloads = await self.pool.fetch("SELECT payload FROM outbox ORDER BY id")
        return [codec.decode(bytes(p["payload"])).record for p in payloads]


@pytest_asyncio.fixture
async def portal(database: str, topic: str) -> AsyncIterator[Portal]:
    pool = await create_pool(database, MIGRATIONS, max_size=3)
    codec = load_codec()
    dead_letters = EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))
    bus = MessageBus(HANDLERS, Dependencies(), Outbox(codec, "/lienthong/national_portal", EMITTED))
    consumer = InboxConsumer(
        name="national_portal",
        topics=[topic],
        config=consumer_config({"bootstrap.servers": kafka_bootstrap()}, f"it-{uuid.uuid4()}"),
        pool=pool,
        codec=codec,
        dispatch=bus.consumer_dispatch(CONSUMED),
        dead_letters=dead_letters,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        yield Portal(pool, topic)
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 15)
        dead_letters.close()
        await pool.close()


def _status_changed(
    submitted: Published, sequence: int, action: str, before: str, after: str
) -> Published:
    s = submitted.record
    at = AT + timedelta(hours=sequence)
    record = {
        **{k: s[k] for k in ("dossier_id", "dossier_code", "procedure_code", "unit_code")},
        "sequence": sequence,
        "change_id": str(uuid.uuid4()),
        "action": action,
        "from_status": before,
        "to_status": after,
        "occurred_at": at,
        "recorded_at": at,
        "officer_id": "officer-1",
        "officer_unit_code": s["unit_code"],
        "reason": None,
        "new_appointment_at": None,
        "correction_of": None,
    }
    return Published(submitted.topic, NS + "intake.DossierStatusChanged", record, at)


def _read_all(topic: str, want: int, timeout: float = 20.0) -> list[Any]:
    reader = Consumer(
        {
            "bootstrap.servers": kafka_bootstrap(),
            "group.id": f"reader-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
        }
    )
    reader.subscribe([topic])
    out: list[Any] = []
    deadline = time.monotonic() + timeout
    while len(out) < want and time.monotonic() < deadline:
        msg = reader.poll(0.5)
        if msg is not None and not msg.error():
            out.append(msg)
    reader.close()
    return out


async def test_history_arriving_out_of_order_is_acknowledged_complete_only_without_gaps(
    portal: Portal,
) -> None:
    submitted = dataclasses.replace(dossier_submitted(AT, "21211"), topic=portal.topic)
    acknowledged = _status_changed(submitted, 2, "ACKNOWLEDGE", "RECEIVED", "ACKNOWLEDGED")
    processing = _status_changed(submitted, 3, "START_PROCESSING", "ACKNOWLEDGED", "IN_PROCESSING")
    codec = load_codec()
    # Step 3 reaches the portal before step 2; step 3 is then delivered a second time.
    for batch in ([submitted], [processing], [acknowledged], [processing]):
        await asyncio.to_thread(publish, encode(codec, "", batch))

    acks = await portal.acknowledgements(3)
    await asyncio.sleep(1)  # the redelivered step would add a fourth acknowledgement
    acks = await portal.acknowledgements(3)
    assert [(a["sequence"], a["complete"]) for a in acks] == [(1, True), (3, False), (2, True)]
    assert acks[-1]["status"] == "IN_PROCESSING"
    async with portal.pool.acquire() as conn:
        found = await repository.get_by_code(conn, submitted.record["dossier_code"])
    assert found is not None
    row, history = found
    assert (row["status"], row["unit_code"], row["last_sequence"]) == ("in_processing", "21211", 3)
    assert [h.sequence for h in history] == [1, 2, 3]
    assert list(row["party_subject_ids"]) == [submitted.record["persons"][0]["subject_id"]]


async def test_a_malformed_dossier_event_goes_to_the_dead_letter_topic_and_the_rest_flows(
    portal: Portal,
) -> None:
    submitted = dataclasses.replace(dossier_submitted(AT, "21211"), topic=portal.topic)
    [good] = encode(load_codec(), "", [submitted])
    garbage = OutgoingMessage(good.topic, good.key, b"not avro", good.headers)
    await asyncio.to_thread(publish, [garbage, good])

    [ack] = await portal.acknowledgements(1)
    assert (ack["sequence"], ack["complete"], ack["status"]) == (1, True, "RECEIVED")
    [letter] = await asyncio.to_thread(_read_all, portal.topic + ".dlq", 1)
    assert letter.value() == b"not avro"
    assert dict(letter.headers())["dlq_reason"]
    assert await portal.pool.fetchval("SELECT count(*) FROM portal_dossiers") == 1
