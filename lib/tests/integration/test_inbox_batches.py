"""Batched consumer transactions on the real PostgreSQL: one commit, no half batch, no
deadlock."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
from confluent_kafka import Message

from lienthong.db import create_pool
from lienthong.envelope import Envelope
from lienthong.inbox import InboxConsumer, IncomingEvent
from lienthong.kafka import EventProducer, producer_config
from lienthong.outbox import Outbox
from lienthong.service import load_codec
from lienthong_tools.devstack import kafka_bootstrap

SMOKE = "vn.lienthong.platform.SmokeTestRecorded"


def record(sequence: int) -> dict[str, Any]:
    return {"probe_id": str(uuid.uuid4()), "sequence": sequence, "sent_at": datetime.now(UTC),
            "payload": "x"}  # fmt: skip


def event(sequence: int, event_id: str | None = None) -> IncomingEvent:
    return IncomingEvent(
        envelope=Envelope(
            type=SMOKE,
            source="/test",
            time=datetime.now(UTC),
            dataschema="test",
            id=event_id or str(uuid.uuid4()),
        ),
        event_type=SMOKE,
        writer_version=1,
        record={"sequence": sequence},
        topic="it.batches",
        partition=0,
        offset=sequence,
        key=None,
    )


def consumer(pool: asyncpg.Pool, apply: Any) -> InboxConsumer:
    return InboxConsumer(
        name="it-batches",
        topics=["it.batches"],
        config={},
        pool=pool,
        codec=load_codec(),
        dispatch=apply,
        dead_letters=EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()})),
        base_backoff=0.01,
        batch_transactions=True,
    )


def batch(*events: IncomingEvent) -> list[tuple[Message, IncomingEvent]]:
    return [(None, e) for e in events]  # type: ignore[misc]  # messages are only dead-lettered


async def test_a_batch_that_meets_a_held_lock_gives_its_own_back_instead_of_deadlocking(
    database: str,
) -> None:
    """Event 0 takes lock 1, event 1 wants lock 2, which another transaction holds while it
    waits for lock 1: a wait-for cycle. The batch gives up lock 1 within its lock timeout
    (well before PostgreSQL's deadlock detector), the other transaction finishes, and both
    events are applied in order."""
    pool = await create_pool(database)
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE effects (id serial, sequence bigint NOT NULL)")

    async def apply(conn: asyncpg.Connection, incoming: IncomingEvent) -> None:
        n = incoming.record["sequence"]
        await conn.execute("SELECT pg_advisory_xact_lock($1)", n + 1)
        await conn.execute("INSERT INTO effects (sequence) VALUES ($1)", n)

    holder = await asyncpg.connect(database)
    await holder.execute("BEGIN")
    await holder.execute("SELECT pg_advisory_xact_lock(2)")
    applying = asyncio.create_task(
        consumer(pool, apply)._apply_batch(batch(event(0), event(1)), None)
    )
    while not await holder.fetchval(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 2 "
        "AND NOT granted AND database = (SELECT oid FROM pg_database "
        "WHERE datname = current_database()))"
    ):
        await asyncio.sleep(0.005)
    # Before PostgreSQL's deadlock detector would act (deadlock_timeout, 1 s by default).
    assert await holder.fetchval("SHOW deadlock_timeout") == "1s"
    await asyncio.wait_for(holder.execute("SELECT pg_advisory_xact_lock(1)"), 0.9)
    await holder.execute("COMMIT")
    await asyncio.wait_for(applying, 10)
    await holder.close()
    async with pool.acquire() as conn:
        assert [
            r["sequence"] for r in await conn.fetch("SELECT sequence FROM effects ORDER BY id")
        ] == [0, 1]
        assert await conn.fetchval("SELECT count(*) FROM inbox") == 2
    await pool.close()


async def test_a_batch_applies_an_event_delivered_twice_once_and_moves_the_position_once(
    database: str,
) -> None:
    pool = await create_pool(database)
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE effects (sequence bigint NOT NULL)")

    async def apply(conn: asyncpg.Connection, incoming: IncomingEvent) -> None:
        await conn.execute("INSERT INTO effects VALUES ($1)", incoming.record["sequence"])

    repeated = str(uuid.uuid4())
    inbox = consumer(pool, apply)
    await inbox._apply_batch(batch(event(0), event(1, repeated), event(2, repeated)), None)
    await inbox._apply_batch(batch(event(1, repeated), event(3)), None)
    async with pool.acquire() as conn:
        assert [r["sequence"] for r in await conn.fetch("SELECT sequence FROM effects")] == [
            0,
            1,
            3,
        ]
        assert await conn.fetchval("SELECT next_offset FROM consumer_positions") == 4
    await pool.close()


async def test_a_batch_writes_its_outbox_rows_at_its_end_in_order_and_none_of_a_failed_try(
    database: str,
) -> None:
    pool = await create_pool(database)
    outbox = Outbox(load_codec(), "/test", {})
    failures = {1: 1}

    async def apply(conn: asyncpg.Connection, incoming: IncomingEvent) -> None:
        n = incoming.record["sequence"]
        await outbox.add_record(
            conn,
            topic="it.out",
            key=None,
            event_type=SMOKE,
            record=record(n),
            time=datetime.now(UTC),
        )
        if failures.get(n, 0) > 0:
            failures[n] -= 1
            raise RuntimeError("transient failure after emitting")

    inbox = consumer(pool, apply)
    inbox._batch_scope = outbox.deferred
    await inbox._apply_batch(batch(event(0), event(1), event(2)), None)
    codec = load_codec()
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT payload FROM outbox ORDER BY id")
    assert [codec.decode(r["payload"]).record["sequence"] for r in rows] == [0, 1, 2]
    await pool.close()
