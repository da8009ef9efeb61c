"""Kill intake's outbox relay (SIGKILL, a real process) in the middle of publishing: after a
new relay takes over, every submitted dossier's event is on Kafka — nothing lost — and
applying by event id (what the inbox does) gives each exactly once in effect."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from confluent_kafka import Consumer, Message
from confluent_kafka.admin import AdminClient, NewTopic

from intake.bootstrap import MIGRATIONS
from intake.domain.commands import PersonInput, SubmitDossier
from intake.domain.events import DOSSIER_TOPIC, EMITTED
from intake.domain.model import Channel, Gender, PersonRole
from intake.domain.procedures import load_procedures
from intake.service_layer.handlers import HANDLERS, Dependencies
from lienthong.bus import MessageBus
from lienthong.db import create_pool
from lienthong.envelope import from_headers
from lienthong.inbox import raw_headers
from lienthong.kafka import EventProducer, producer_config
from lienthong.outbox import Outbox, OutboxRelay
from lienthong.service import load_codec
from lienthong.subjects import SubjectIds
from lienthong.vn.units import units as load_units
from lienthong.vn.working_time import WorkingCalendar
from lienthong_tools.devstack import kafka_bootstrap

pytestmark = pytest.mark.integration
DOSSIERS = 400

#: The relay as its own process, publishing in small batches so a kill lands mid-stream.
RELAY = textwrap.dedent(
    """
    import asyncio, sys
    from lienthong.db import create_pool
    from lienthong.kafka import EventProducer, producer_config
    from lienthong.outbox import OutboxRelay

    async def main() -> None:
        pool = await create_pool(sys.argv[1])
        producer = EventProducer(producer_config({"bootstrap.servers": sys.argv[2]}))
        await OutboxRelay(pool, producer, batch_size=10, topic_prefix=sys.argv[3]).run(
            asyncio.Event()
        )

    asyncio.run(main())
    """
)


@pytest.fixture
def prefix() -> Iterator[str]:
    """A topic prefix of our own, with intake's dossier topic created under it."""
    name = f"it{uuid.uuid4().hex[:8]}."
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap()})
    for future in admin.create_topics(
        [NewTopic(name + DOSSIER_TOPIC, num_partitions=3, replication_factor=1)]
    ).values():
        future.result(30)
    yield name
    for future in admin.delete_topics([name + DOSSIER_TOPIC]).values():
        future.result(30)


def _submission(i: int) -> SubmitDossier:
    return SubmitDossier(
        procedure_code="RESIDENCE_TEMPORARY",
        channel=Channel.COUNTER,
        unit_code="21025",  # Phường Cẩm Thành, Quảng Ngãi (2025)
        persons=(
            PersonInput(
                PersonRole.APPLICANT, "Nguyễn Văn Hùng", f"0510901{i:05d}", None, Gender.MALE
            ),
        ),
        received_at=datetime.now(UTC) - timedelta(hours=1),
        idempotency_key=f"relay-kill-{i}",
        request_fingerprint="f",
    )


def _read_all(topic: str, at_least: int, timeout_s: float = 60) -> list[Message]:
    consumer = Consumer(
        {
            "bootstrap.servers": kafka_bootstrap(),
            "group.id": "it-" + uuid.uuid4().hex,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic])
    messages: list[Message] = []
    deadline = time.monotonic() + timeout_s
    try:
        idle_since = time.monotonic()
        while time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None:
                if len(messages) >= at_least and time.monotonic() - idle_since > 3:
                    break  # nothing more for a while: the topic is fully read
                continue
            if msg.error() is None:
                messages.append(msg)
                idle_since = time.monotonic()
    finally:
        consumer.close()
    return messages


async def test_relay_killed_mid_publish_loses_nothing_and_duplicates_nothing_in_effect(
    database: str, prefix: str
) -> None:
    pool = await create_pool(database, MIGRATIONS)
    deps = Dependencies(
        procedures=load_procedures(),
        units=load_units(),
        calendar=WorkingCalendar(),
        subjects=SubjectIds("integration-subject-key-0123456789"),
    )
    bus: MessageBus[Any] = MessageBus(
        HANDLERS, deps, Outbox(load_codec(), "/lienthong/intake", EMITTED)
    )
    try:
        for i in range(DOSSIERS):
            await bus.handle_in_transaction(pool, _submission(i))
        async with pool.acquire() as conn:
            written = {r["event_id"] for r in await conn.fetch("SELECT event_id FROM outbox")}
        assert len(written) == DOSSIERS

        relay = subprocess.Popen(
            [sys.executable, "-c", RELAY, database, kafka_bootstrap(), prefix],
            env={**os.environ},
        )
        try:
            published = 0
            deadline = time.monotonic() + 60
            while published == 0 and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
                async with pool.acquire() as conn:
                    published = await conn.fetchval(
                        "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL"
                    )
            relay.send_signal(signal.SIGKILL)
        finally:
            relay.wait(10)
        assert relay.returncode == -signal.SIGKILL
        async with pool.acquire() as conn:
            at_kill = await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL"
            )
        assert 0 < at_kill < DOSSIERS, "the kill must land in the middle of publishing"

        takeover = OutboxRelay(
            pool,
            EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()})),
            topic_prefix=prefix,
        )
        while await takeover.publish_pending():
            pass
        assert await takeover.backlog() == 0

        messages = await asyncio.to_thread(_read_all, prefix + DOSSIER_TOPIC, DOSSIERS)
        delivered = Counter(from_headers(raw_headers(m)).id for m in messages)
        assert {uuid.UUID(i) for i in delivered} == written  # nothing lost, nothing foreign
        applied = set(delivered)  # the inbox applies an event id once, however often it comes
        assert len(applied) == DOSSIERS
        keys = Counter(m.key() for m in messages if m.key() is not None)
        assert len(keys) == DOSSIERS  # one dossier per key, every dossier present
    finally:
        await pool.close()
