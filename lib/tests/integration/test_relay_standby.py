"""Several replicas of a service, one outbox: one relay publishes, the others stand by."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import asyncpg
from confluent_kafka import Consumer

from lienthong.db import create_pool
from lienthong.kafka import EventProducer, producer_config
from lienthong.outbox import RELAY_LOCK, Outbox, OutboxRelay
from lienthong.service import load_codec
from lienthong_tools.devstack import kafka_bootstrap

SMOKE = "vn.lienthong.platform.SmokeTestRecorded"


async def add(pool: asyncpg.Pool, topic: str, n: int) -> None:
    outbox = Outbox(load_codec(), "/test", {})
    async with pool.acquire() as conn, conn.transaction():
        for i in range(n):
            record = {"probe_id": str(uuid.uuid4()), "sequence": i, "sent_at": datetime.now(UTC),
                      "payload": "x"}  # fmt: skip
            await outbox.add_record(
                conn, topic=topic, key="k", event_type=SMOKE, record=record, time=datetime.now(UTC)
            )


async def holders(pool: asyncpg.Pool) -> int:
    async with pool.acquire() as conn:
        return int(
            await conn.fetchval(
                """SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
                   AND ((classid::bigint << 32) | objid::bigint) = $1
                   AND database = (SELECT oid FROM pg_database
                                   WHERE datname = current_database())""",
                RELAY_LOCK,
            )
        )


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


def published(topic: str) -> int:
    consumer = Consumer({"bootstrap.servers": kafka_bootstrap(), "group.id": f"r-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest"})  # fmt: skip
    consumer.subscribe([topic])
    seen, idle = 0, 0
    while idle < 6:
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            idle += 1
        else:
            seen, idle = seen + 1, 0
    consumer.close()
    return seen


async def test_one_relay_per_database_publishes_and_a_standby_takes_over(
    database: str, topic: str
) -> None:
    pool = await create_pool(database)
    producer = EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))

    async def one_active() -> bool:
        return await holders(pool) == 1

    async def none_pending() -> bool:
        async with pool.acquire() as conn:
            return not await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")

    stop_first, stop_second = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(OutboxRelay(pool, producer, standby_wait=0.1).run(stop_first))
    await until(one_active)
    second = asyncio.create_task(OutboxRelay(pool, producer, standby_wait=0.1).run(stop_second))
    await asyncio.sleep(0.5)  # the second has tried to become active, and stands by
    assert await holders(pool) == 1
    await add(pool, topic, 5)
    await until(none_pending)

    stop_first.set()
    await first
    await until(one_active)  # the standby took over
    await add(pool, topic, 5)
    await until(none_pending)
    stop_second.set()
    await second
    assert await asyncio.to_thread(published, topic) == 10
    await pool.close()
