"""Transactional outbox and its relay.

Why this exists: a service that changes its database and announces it on Kafka must never
do one without the other. ``Outbox.add`` writes the encoded event in the caller's
transaction; ``OutboxRelay`` publishes committed rows in id order with the idempotent
producer and marks them only after the broker acknowledged them. A relay that crashes
between the two publishes again on restart; consumers drop the repeat by event id.
Personal fields are sealed (``lienthong.personal``) before the record is encoded, so the
outbox table, the topic and every copy of it hold them only sealed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from datetime import datetime
from time import monotonic
from typing import Any

import asyncpg

from lienthong import telemetry
from lienthong.codec import AvroCodec
from lienthong.contracts.catalog import Catalog, default_catalog
from lienthong.envelope import Envelope, dataschema_uri, to_headers
from lienthong.kafka import EventProducer, OutgoingMessage
from lienthong.mapping import to_record
from lienthong.metrics import OUTBOX_BACKLOG, OUTBOX_PUBLISHED
from lienthong.personal import PersonalData

log = logging.getLogger(__name__)
#: An outbox row as inserted: event id, topic, key, headers (JSON), payload.
_Row = tuple[uuid.UUID, str, bytes | None, str, bytes]
CHANNEL = "lienthong_outbox"
#: Session advisory lock of a database's one active relay ("lien" "outb").
RELAY_LOCK = 0x6C69656E_6F757462


class Outbox:
    """Writes events into the outbox table of the caller's open transaction.

    The topic and the partition key of an event come from the catalog entry of its type:
    the one topic that carries the type, and the value of the record field the topic names
    as its key. A type on no topic fails here, at construction, not at the first emit.
    """

    def __init__(
        self,
        codec: AvroCodec,
        source: str,
        type_names: Mapping[type, str],
        personal: PersonalData | None = None,
        catalog: Catalog | None = None,
    ) -> None:
        self._codec = codec
        self._source = source
        self._type_names = dict(type_names)
        self._deferred: dict[int, list[_Row]] = {}
        self._personal = personal
        routes = catalog or default_catalog()
        self._routes = {
            name: (topic.name, topic.key)
            for name in self._type_names.values()
            for topic in (routes.route(name),)
        }

    def event_type_of(self, event: object) -> str:
        try:
            return self._type_names[type(event)]
        except KeyError:
            raise KeyError(f"{type(event).__name__} is not a registered event type") from None

    def route_of(self, event_type: str) -> tuple[str, str]:
        """(topic, key field) of an event type this outbox writes."""
        return self._routes[event_type]

    async def add(
        self,
        conn: asyncpg.Connection,
        *,
        event: object,
        time: datetime,
        subject: str | None = None,
        cause: Envelope | None = None,
        event_id: uuid.UUID | None = None,
    ) -> Envelope:
        event_type = self.event_type_of(event)
        topic, key_field = self._routes[event_type]
        record = to_record(event)
        return await self.add_record(
            conn,
            topic=topic,
            key=str(record[key_field]),
            event_type=event_type,
            record=record,
            time=time,
            subject=subject,
            cause=cause,
            event_id=event_id,
        )

    async def add_record(
        self,
        conn: asyncpg.Connection,
        *,
        topic: str,
        key: str | None,
        event_type: str,
        record: Mapping[str, Any],
        time: datetime,
        subject: str | None = None,
        cause: Envelope | None = None,
        event_id: uuid.UUID | None = None,
    ) -> Envelope:
        eid = event_id or uuid.uuid4()
        traceparent, tracestate = telemetry.current_trace_headers()
        envelope = Envelope(
            id=str(eid),
            type=event_type,
            source=self._source,
            time=time,
            dataschema=dataschema_uri(event_type, self._codec.latest_version(event_type)),
            subject=subject,
            traceparent=traceparent,
            tracestate=tracestate,
        )
        envelope = (
            envelope.caused_by(cause) if cause else replace(envelope, correlation_id=str(eid))
        )
        if self._personal is not None:
            record = await self._personal.seal(event_type, record)
        payload = self._codec.encode(event_type, record)
        headers = [[name, value.decode("utf-8")] for name, value in to_headers(envelope)]
        row = (eid, topic, key.encode() if key is not None else None, json.dumps(headers), payload)
        deferred = self._deferred.get(id(conn))
        if deferred is not None:
            deferred.append(row)
        else:
            await conn.execute(
                """INSERT INTO outbox (event_id, topic, message_key, headers, payload)
                   VALUES ($1, $2, $3, $4::jsonb, $5)""",
                *row,
            )
        return envelope

    @contextlib.asynccontextmanager
    async def deferred(self, conn: asyncpg.Connection) -> AsyncIterator[None]:
        """Rows added on ``conn`` inside the block are written in one statement at its end,
        still inside the caller's transaction (a consumer's batch: one round trip instead of
        one per event). On an exception nothing is written; the transaction rolls back."""
        rows: list[_Row] = []
        self._deferred[id(conn)] = rows
        try:
            yield
            if rows:
                await conn.execute(
                    """INSERT INTO outbox (event_id, topic, message_key, headers, payload)
                       SELECT * FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::jsonb[],
                                            $5::bytea[])""",
                    *(list(column) for column in zip(*rows, strict=True)),
                )
        finally:
            del self._deferred[id(conn)]


class OutboxRelay:
    """Publishes committed outbox rows in order; one relay per service database."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        producer: EventProducer,
        *,
        batch_size: int = 500,
        idle_wait: float = 0.5,
        standby_wait: float = 2.0,
        topic_prefix: str = "",
        backlog_interval: float = 5.0,
    ) -> None:
        self._standby_wait = standby_wait
        self._topic_prefix = topic_prefix
        self._backlog_interval = backlog_interval
        self._pool = pool
        self._producer = producer
        self._batch_size = batch_size
        self._idle_wait = idle_wait
        self._wake = asyncio.Event()

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows were published."""
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                """SELECT id, topic, message_key, headers, payload FROM outbox
                   WHERE published_at IS NULL ORDER BY id LIMIT $1
                   FOR UPDATE SKIP LOCKED""",
                self._batch_size,
            )
            if not rows:
                return 0
            messages = [
                OutgoingMessage(
                    topic=self._topic_prefix + r["topic"],
                    key=r["message_key"],
                    value=r["payload"],
                    headers=[(n, v.encode("utf-8")) for n, v in json.loads(r["headers"])],
                )
                for r in rows
            ]
            with telemetry.publishing_span(
                "outbox publish",
                [dict(m.headers).get("traceparent", b"").decode() or None for m in messages],
                {
                    "messaging.system": "kafka",
                    "messaging.operation.type": "send",
                    "messaging.batch.message_count": len(messages),
                },
            ):
                await self._producer.send_batch(messages)
            await conn.execute(
                "UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])",
                [r["id"] for r in rows],
            )
        OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)

    async def backlog(self) -> int:
        async with self._pool.acquire() as conn:
            value = await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        return int(value)

    async def measure_backlog(self) -> int:
        """Count the unpublished rows and set ``lienthong_outbox_backlog`` to it."""
        value = await self.backlog()
        OUTBOX_BACKLOG.set(value)
        return value

    async def run(self, stop: asyncio.Event) -> None:
        """Publish while this process is the database's active relay.

        Replicas of a service each run a relay, but only the one holding the session-level
        advisory lock ``RELAY_LOCK`` on its listening connection publishes; the others stand
        by and one takes over within ``standby_wait`` when that connection ends (a crash
        closes it). Two relays publishing at once could each take a batch (``SKIP LOCKED``)
        and land them out of order, so one event of a key could overtake an earlier one.
        """
        listener = await self._pool.acquire()
        await listener.add_listener(CHANNEL, self._on_notify)
        backoff = 0.5
        active = False
        measured_at = -self._backlog_interval
        try:
            while not stop.is_set():
                if not active:
                    active = await listener.fetchval("SELECT pg_try_advisory_lock($1)", RELAY_LOCK)
                    if not active:
                        await _sleep_or_stop(stop, self._standby_wait)
                        continue
                try:
                    published = await self.publish_pending()
                    backoff = 0.5
                except Exception:
                    log.exception("outbox relay failed; retrying in %.1fs", backoff)
                    # The alert's case: the broker is unreachable and the rows pile up.
                    with contextlib.suppress(Exception):
                        await self.measure_backlog()
                    await _sleep_or_stop(stop, backoff)
                    backoff = min(backoff * 2, 30.0)
                    continue
                now = monotonic()
                if published and now - measured_at >= self._backlog_interval:
                    # Busy: measured at most once per interval, the count is not free.
                    await self.measure_backlog()
                    measured_at = now
                if published == 0:
                    OUTBOX_BACKLOG.set(0)
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self._idle_wait)
        finally:
            with contextlib.suppress(Exception):
                await listener.remove_listener(CHANNEL, self._on_notify)
                if active:
                    await listener.execute("SELECT pg_advisory_unlock($1)", RELAY_LOCK)
            await self._pool.release(listener)

    def _on_notify(self, *_args: object) -> None:
        self._wake.set()


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
