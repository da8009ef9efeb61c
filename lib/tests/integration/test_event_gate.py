"""Who may publish what, and what a broken event gets, on the real broker and PostgreSQL:
a forged source or a broken invariant goes to the dead-letter topic at once with the
reason, no handler runs for it, and the partition keeps flowing."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from confluent_kafka import Consumer

from lienthong.codec import AvroCodec
from lienthong.db import create_pool
from lienthong.inbox import InboxConsumer, IncomingEvent
from lienthong.kafka import EventProducer, consumer_config, producer_config
from lienthong.outbox import Outbox, OutboxRelay
from lienthong.service import load_codec, load_event_gate
from lienthong_tools.devstack import kafka_bootstrap

SUBMITTED = "vn.lienthong.intake.DossierSubmitted"


@pytest.fixture(scope="module")
def codec() -> AvroCodec:
    return load_codec()


def producer() -> EventProducer:
    return EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))


def read_all(topic: str, want: int, timeout: float = 20.0) -> list[Any]:
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


async def consume_until(
    pool: asyncpg.Pool, topic: str, codec: AvroCodec, dispatch: Any, applied: int, **extra: Any
) -> None:
    consumer = InboxConsumer(
        name="it-gate",
        topics=[topic],
        config=consumer_config({"bootstrap.servers": kafka_bootstrap()}, f"it-{uuid.uuid4()}"),
        pool=pool,
        codec=codec,
        dispatch=dispatch,
        dead_letters=producer(),
        base_backoff=0.01,
        **extra,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        async with pool.acquire() as conn:
            if await conn.fetchval("SELECT count(*) FROM inbox") >= applied:
                break
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # let redeliveries arrive, if any
    stop.set()
    await task


def dossier(
    unit_code: str = "21211", persons: int = 1, born: datetime | None = None
) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "dossier_id": str(uuid.uuid4()),
        "dossier_code": f"{unit_code[:5]}-20261205-000001",
        "procedure_code": "BIRTH_REGISTRATION",
        "channel": "PORTAL",
        "unit_code": unit_code,
        "submitted_at": now,
        "appointment_at": now + timedelta(days=1),
        "persons": [
            {
                "role": "APPLICANT",
                "subject_id": f"sub_{i}",
                "id_number": None,
                "full_name": "Nguyễn Thị Lan",
                "birth_date": (born or datetime(1990, 3, 2)).date(),
                "gender": "FEMALE",
            }
            for i in range(persons)
        ],
        "document_refs": [],
        "officer_id": None,
    }


async def publish(pool: asyncpg.Pool, codec: AvroCodec, topic: str, source: str, rec: Any) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await Outbox(codec, source, {}).add_record(
            conn, topic=topic, key="same", event_type=SUBMITTED, record=rec, time=datetime.now(UTC)
        )


async def test_forged_and_broken_events_are_dead_lettered_at_once_and_the_good_one_applied(
    database: str, topic: str, codec: AvroCodec
) -> None:
    pool = await create_pool(database)
    await publish(pool, codec, topic, "/lienthong/evil", dossier())
    await publish(pool, codec, topic, "/lienthong/intake", dossier("'; DROP TABLE bundles;--"))
    await publish(pool, codec, topic, "/lienthong/intake", dossier(persons=0))
    await publish(pool, codec, topic, "/lienthong/intake", dossier(born=datetime(136, 5, 1)))
    good = dossier()
    await publish(pool, codec, topic, "/lienthong/intake", good)
    await OutboxRelay(pool, producer()).publish_pending()

    seen: list[str] = []

    async def apply(conn: asyncpg.Connection, event: IncomingEvent) -> None:
        seen.append(str(event.record["dossier_id"]))

    await consume_until(pool, topic, codec, apply, 1, max_attempts=5, gate=load_event_gate())
    assert seen == [good["dossier_id"]]
    dead = await asyncio.to_thread(read_all, topic + ".dlq", 4)
    reasons = sorted(dict(m.headers())["dlq_reason"].decode() for m in dead)
    assert len(reasons) == 4
    assert any(r.startswith("forged source") and "/lienthong/intake" in r for r in reasons)
    assert any("/unit_code is not an administrative unit code" in r for r in reasons)
    assert any("/persons is empty" in r for r in reasons)
    assert any("/persons/0/birth_date is before 1900-01-01" in r for r in reasons)
    await pool.close()


async def test_a_handler_tripping_over_a_record_is_dead_lettered_without_retries(
    database: str, topic: str, codec: AvroCodec
) -> None:
    pool = await create_pool(database)
    await publish(pool, codec, topic, "/lienthong/intake", dossier())
    await publish(pool, codec, topic, "/lienthong/intake", dossier())
    await OutboxRelay(pool, producer()).publish_pending()
    calls: list[str] = []

    async def apply(conn: asyncpg.Connection, event: IncomingEvent) -> None:
        calls.append(str(event.record["dossier_id"]))
        if len(calls) == 1:
            raise IndexError("list index out of range")

    await consume_until(pool, topic, codec, apply, 1, max_attempts=5)
    assert len(calls) == 2  # one attempt each: the IndexError is permanent, not retried
    [dead] = await asyncio.to_thread(read_all, topic + ".dlq", 1)
    assert dict(dead.headers())["dlq_reason"] == b"rejected: IndexError: list index out of range"
    await pool.close()
