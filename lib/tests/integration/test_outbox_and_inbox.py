"""Outbox relay and inbox consumer on the real broker and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from confluent_kafka import Consumer, Producer

from lienthong.codec import AvroCodec
from lienthong.db import create_pool
from lienthong.inbox import InboxConsumer, IncomingEvent, PermanentError
from lienthong.kafka import (
    DeliveryError,
    EventProducer,
    OutgoingMessage,
    consumer_config,
    producer_config,
)
from lienthong.metrics import OUTBOX_BACKLOG
from lienthong.outbox import Outbox, OutboxRelay
from lienthong.service import load_codec
from lienthong_tools.devstack import kafka_bootstrap

SMOKE = "vn.lienthong.platform.SmokeTestRecorded"


def record(sequence: int, probe: uuid.UUID | None = None) -> dict[str, Any]:
    return {
        "probe_id": str(probe or uuid.uuid4()),
        "sequence": sequence,
        "sent_at": datetime.now(UTC),
        "payload": "x",
    }


@pytest.fixture(scope="module")
def codec() -> AvroCodec:
    return load_codec()


def producer() -> EventProducer:
    return EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))


def read_all(topic: str, want: int, timeout: float = 20.0) -> list[Any]:
    consumer = Consumer(
        {
            "bootstrap.servers": kafka_bootstrap(),
            "group.id": f"reader-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    out: list[Any] = []
    deadline = time.monotonic() + timeout
    while len(out) < want and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is not None and not msg.error():
            out.append(msg)
    # Linger briefly to catch anything beyond what was expected.
    extra_deadline = time.monotonic() + 1.0
    while time.monotonic() < extra_deadline:
        msg = consumer.poll(0.2)
        if msg is not None and not msg.error():
            out.append(msg)
    consumer.close()
    return out


async def add_events(
    pool: asyncpg.Pool, outbox: Outbox, topic: str, n: int, probe: uuid.UUID
) -> None:
    async with pool.acquire() as conn, conn.transaction():
        for i in range(n):
            await outbox.add_record(
                conn,
                topic=topic,
                key=f"k{i}",
                event_type=SMOKE,
                record=record(i, probe),
                time=datetime.now(UTC),
            )


async def test_relay_publishes_only_committed_events_in_order_and_marks_them(
    database: str, topic: str, codec: AvroCodec
) -> None:
    pool = await create_pool(database)
    outbox = Outbox(codec, "/test", {})
    probe = uuid.uuid4()
    await add_events(pool, outbox, topic, 3, probe)
    with pytest.raises(RuntimeError):
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add_record(
                conn,
                topic=topic,
                key="k0",
                event_type=SMOKE,
                record=record(99, probe),
                time=datetime.now(UTC),
            )
            raise RuntimeError("rolled back")
    relay = OutboxRelay(pool, producer())
    assert await relay.publish_pending() == 3
    assert await relay.publish_pending() == 0
    assert await relay.backlog() == 0
    messages = await asyncio.to_thread(read_all, topic, 3)
    assert sorted(codec.decode(m.value()).record["sequence"] for m in messages) == [0, 1, 2]
    await pool.close()


class BrokerUnreachable(EventProducer):
    async def send_batch(self, messages: Sequence[OutgoingMessage], timeout: float = 30.0) -> None:
        raise DeliveryError("broker unreachable")


async def wait_for_gauge(value: float, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while OUTBOX_BACKLOG._value.get() != value:
        assert time.monotonic() < deadline, f"backlog gauge {OUTBOX_BACKLOG._value.get()}"
        await asyncio.sleep(0.05)


async def test_the_backlog_gauge_counts_rows_the_relay_cannot_publish_then_falls_to_zero(
    database: str, topic: str, codec: AvroCodec
) -> None:
    pool = await create_pool(database)
    await add_events(pool, Outbox(codec, "/test", {}), topic, 4, uuid.uuid4())
    stop = asyncio.Event()
    failing = OutboxRelay(pool, BrokerUnreachable(producer_config({"bootstrap.servers": "x"})))
    task = asyncio.create_task(failing.run(stop))
    await wait_for_gauge(4)
    stop.set()
    await task
    stop = asyncio.Event()
    task = asyncio.create_task(OutboxRelay(pool, producer(), idle_wait=0.05).run(stop))
    await wait_for_gauge(0)
    stop.set()
    await task
    assert await OutboxRelay(pool, producer()).backlog() == 0
    await pool.close()


class CrashAfterSend(EventProducer):
    """Publishes, then dies before the relay can mark the rows: the crash window."""

    async def send_batch(self, messages: Sequence[OutgoingMessage], timeout: float = 30.0) -> None:
        await super().send_batch(messages, timeout)
        raise ConnectionError("relay process died after the broker acknowledged")


async def test_relay_crash_republishes_and_the_inbox_applies_each_event_once(
    database: str, topic: str, codec: AvroCodec
) -> None:
    pool = await create_pool(database)
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE effects (sequence bigint NOT NULL)")
    outbox = Outbox(codec, "/test", {})
    await add_events(pool, outbox, topic, 5, uuid.uuid4())
    crashing = CrashAfterSend(producer_config({"bootstrap.servers": kafka_bootstrap()}))
    with pytest.raises(ConnectionError):
        await OutboxRelay(pool, crashing).publish_pending()
    assert await OutboxRelay(pool, producer()).publish_pending() == 5  # published twice in all

    async def apply(conn: asyncpg.Connection, event: IncomingEvent) -> None:
        await conn.execute("INSERT INTO effects VALUES ($1)", event.record["sequence"])

    await consume_until(pool, topic, codec, apply, lambda n: n >= 5)
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT sequence FROM effects ORDER BY 1")
        duplicates = await conn.fetchval("SELECT count(*) FROM inbox")
    assert [r["sequence"] for r in rows] == [0, 1, 2, 3, 4]
    assert duplicates == 5
    await pool.close()


async def consume_until(
    pool: asyncpg.Pool,
    topic: str,
    codec: AvroCodec,
    dispatch: Any,
    done: Any,
    max_attempts: int = 3,
    timeout: float = 30.0,
    batch: bool = False,
) -> InboxConsumer:
    consumer = InboxConsumer(
        name="it-consumer",
        topics=[topic],
        config=consumer_config({"bootstrap.servers": kafka_bootstrap()}, f"it-{uuid.uuid4()}"),
        pool=pool,
        codec=codec,
        dispatch=dispatch,
        dead_letters=producer(),
        max_attempts=max_attempts,
        base_backoff=0.01,
        batch_transactions=batch,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        async with pool.acquire() as conn:
            applied = await conn.fetchval("SELECT count(*) FROM inbox")
        if done(applied):
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # let redeliveries arrive, if any
    stop.set()
    await task
    return consumer


async def test_poison_messages_go_to_the_dead_letter_topic_and_the_partition_keeps_flowing(
    database: str, topic: str, codec: AvroCodec
) -> None:
    pool = await create_pool(database)
    raw = Producer({"bootstrap.servers": kafka_bootstrap()})
    raw.produce(topic, b"garbage", key=b"same", partition=0)
    unknown = b"\xc3\x01" + b"\x00" * 8 + b"\x02"
    await add_events(pool, Outbox(codec, "/t", {}), topic, 0, uuid.uuid4())
    good = Outbox(codec, "/test", {})
    async with pool.acquire() as conn, conn.transaction():
        env = await good.add_record(
            conn,
            topic=topic,
            key="same",
            event_type=SMOKE,
            record=record(7),
            time=datetime.now(UTC),
        )
    headers = [
        (k, v.encode())
        for k, v in json.loads(await pool.fetchval("SELECT headers::text FROM outbox"))
    ]
    raw.produce(topic, unknown, key=b"same", partition=0, headers=headers)
    assert raw.flush(10) == 0
    await OutboxRelay(pool, producer()).publish_pending()
    seen: list[int] = []

    async def apply(conn: asyncpg.Connection, event: IncomingEvent) -> None:
        seen.append(event.record["sequence"])

    await consume_until(pool, topic, codec, apply, lambda n: n >= 1)
    assert seen == [7]
    letters = await asyncio.to_thread(read_all, topic + ".dlq", 2)
    reasons = sorted(dict(m.headers())["dlq_reason"].decode() for m in letters)
    assert len(letters) == 2
    assert any("EnvelopeError" in r for r in reasons)
    assert any("unknown writer schema fingerprint" in r for r in reasons)
    assert sorted(m.value() for m in letters) == sorted([b"garbage", unknown])
    assert env.id
    await pool.close()


@pytest.mark.parametrize("batch", [False, True], ids=["per-event", "batched"])
async def test_a_failing_handler_is_retried_then_dead_lettered_and_a_rejection_at_once(
    database: str, topic: str, codec: AvroCodec, batch: bool
) -> None:
    pool = await create_pool(database)
    await add_events(pool, Outbox(codec, "/test", {}), topic, 3, uuid.uuid4())
    await OutboxRelay(pool, producer()).publish_pending()
    attempts: dict[int, int] = {}

    async def apply(conn: asyncpg.Connection, event: IncomingEvent) -> None:
        n = event.record["sequence"]
        attempts[n] = attempts.get(n, 0) + 1
        if n == 0 and attempts[n] < 2:
            raise RuntimeError("transient")
        if n == 1:
            raise RuntimeError("always fails")
        if n == 2:
            raise PermanentError("refused by a business rule")

    await consume_until(pool, topic, codec, apply, lambda n: n >= 1, max_attempts=3, batch=batch)
    assert attempts == {0: 2, 1: 3, 2: 1}
    letters = await asyncio.to_thread(read_all, topic + ".dlq", 2)
    reasons = sorted(dict(m.headers())["dlq_reason"].decode() for m in letters)
    assert reasons[0].startswith("handler failed after 3 attempts")
    assert reasons[1].startswith("rejected: refused by a business rule")
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM inbox") == 1  # failures left no effect
    await pool.close()


def test_a_message_the_broker_refuses_raises_instead_of_vanishing() -> None:
    producer = EventProducer(
        producer_config({"bootstrap.servers": kafka_bootstrap()}, **{"message.timeout.ms": 3000})
    )
    missing = "it.missing." + uuid.uuid4().hex
    with pytest.raises(DeliveryError):
        producer.send_batch_sync([OutgoingMessage(missing, None, b"x", [])], timeout=10)


@pytest.mark.parametrize("batch", [False, True], ids=["per-event", "batched"])
async def test_a_burst_is_applied_in_partition_order_even_when_one_event_fails_midway(
    database: str, topic: str, codec: AvroCodec, batch: bool
) -> None:
    pool = await create_pool(database)
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE effects (id serial, sequence bigint NOT NULL)")
    outbox = Outbox(codec, "/test", {})
    async with pool.acquire() as conn, conn.transaction():
        for i in range(50):
            await outbox.add_record(
                conn,
                topic=topic,
                key="one-partition",
                event_type=SMOKE,
                record=record(i),
                time=datetime.now(UTC),
            )
    await OutboxRelay(pool, producer()).publish_pending()
    failures = {25: 1}

    async def apply(conn: asyncpg.Connection, event: IncomingEvent) -> None:
        n = event.record["sequence"]
        await conn.execute("INSERT INTO effects (sequence) VALUES ($1)", n)
        if failures.get(n, 0) > 0:
            failures[n] -= 1
            raise RuntimeError("transient failure in the middle of a batch")

    await consume_until(pool, topic, codec, apply, lambda n: n >= 50, batch=batch)
    async with pool.acquire() as conn:
        applied = [
            r["sequence"] for r in await conn.fetch("SELECT sequence FROM effects ORDER BY id")
        ]
    assert applied == list(range(50))
    await pool.close()
