"""Idempotent consumer: inbox, retries with backoff, dead-letter topic.

Why this exists: Kafka delivers at least once. A consumer here applies each event's effect
in one PostgreSQL transaction together with an inbox row ``(consumer, event id)`` and the
partition position, and commits the Kafka offset only afterwards — so a crash or a
redelivery never loses an event and never applies one twice. A message that cannot be read
(bad envelope, unknown schema, corrupt body) or whose handler keeps failing goes to
``<topic>.dlq`` with the reason and the original bytes, and the partition keeps flowing.
Infrastructure failures (database unreachable) are retried without limit instead: the
event is fine, the service is not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import asyncpg
from confluent_kafka import (
    TIMESTAMP_NOT_AVAILABLE,
    Consumer,
    KafkaException,
    Message,
    TopicPartition,
)

from lienthong import metrics, telemetry
from lienthong.codec import AvroCodec, Decoded, DecodeError
from lienthong.envelope import Envelope, EnvelopeError, from_headers
from lienthong.kafka import EventProducer, OutgoingMessage
from lienthong.personal import PersonalData
from lienthong.personal.master import MasterKeyError

log = logging.getLogger(__name__)

DLQ_SUFFIX = ".dlq"
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    ConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.TooManyConnectionsError,
    asyncpg.CannotConnectNowError,
)

KEY_SERVICE_ERRORS: tuple[type[BaseException], ...] = (*INFRASTRUCTURE_ERRORS, MasterKeyError)


#: How long a batched transaction waits for a lock before it gives its locks back (ms).
BATCH_LOCK_TIMEOUT_MS = 200


class LockBusy(Exception):
    """A handler in a batch met a lock another transaction holds and would rather not wait
    (waiting while holding the batch's other locks risks a cycle). Not a failure: the inbox
    applies the event alone, where waiting is safe."""


class _BatchRolledBack(Exception):
    """Raised inside a batch's transaction to roll it back after a handler failed."""


class PermanentError(Exception):
    """The event can never be applied (a business rule refuses it): dead-letter it now."""


#: Errors that applying the same event again would raise again: dead-letter at once. Bad
#: values reaching the database (``DataError``: a NUL byte, a number out of range) and a
#: handler tripping over a record it cannot use are properties of the event, not the moment.
PERMANENT_ERRORS: tuple[type[BaseException], ...] = (
    PermanentError,
    asyncpg.DataError,
    IndexError,
    KeyError,
    TypeError,
    ValueError,
)


def is_permanent(exc: BaseException) -> bool:
    """The one classification of a handler failure: permanent (dead-letter now), infrastructure
    (retry without limit, see ``INFRASTRUCTURE_ERRORS``) or anything else (bounded retries)."""
    return isinstance(exc, PERMANENT_ERRORS) and not isinstance(exc, INFRASTRUCTURE_ERRORS)


class EventCheck(Protocol):
    def problem(self, event_type: str, source: str, record: Any) -> str | None: ...


@dataclass(frozen=True)
class IncomingEvent:
    envelope: Envelope
    event_type: str
    writer_version: int
    record: dict[str, Any]
    topic: str
    partition: int
    offset: int
    key: bytes | None
    # When the log recorded the event (the Kafka message timestamp); None if the broker gave none.
    recorded_at: datetime | None = None


def _recorded_at(msg: Message) -> datetime | None:
    kind, millis = msg.timestamp()
    if kind == TIMESTAMP_NOT_AVAILABLE or millis is None or millis < 0:
        return None
    return datetime.fromtimestamp(millis / 1000, UTC)


Dispatch = Callable[[asyncpg.Connection, IncomingEvent], Awaitable[None]]
#: Wraps the handlers of one batch on its connection (the outbox writes its rows at the end).
BatchScope = Callable[[asyncpg.Connection], contextlib.AbstractAsyncContextManager[None]]


def raw_headers(msg: Message) -> list[tuple[str, bytes]]:
    """A message's headers as (name, bytes) pairs, whatever the client handed back."""
    pairs = msg.headers() or []
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [
        (str(name), value.encode() if isinstance(value, str) else (value or b""))
        for name, value in items
    ]


def _position(msg: Message) -> tuple[str, int, int]:
    return str(msg.topic()), msg.partition() or 0, msg.offset() or 0


def dead_letter_message(msg: Message, consumer: str, reason: str) -> OutgoingMessage:
    headers = raw_headers(msg)
    headers += [
        ("dlq_reason", reason.encode("utf-8")),
        ("dlq_consumer", consumer.encode()),
        ("dlq_source_topic", str(msg.topic()).encode()),
        ("dlq_source_partition", str(msg.partition()).encode()),
        ("dlq_source_offset", str(msg.offset()).encode()),
        ("dlq_failed_at", datetime.now(UTC).isoformat().encode()),
    ]
    return OutgoingMessage(
        topic=f"{msg.topic()}{DLQ_SUFFIX}", key=msg.key(), value=msg.value() or b"", headers=headers
    )


def _rejection(exc: BaseException) -> str:
    if isinstance(exc, PermanentError):
        return f"rejected: {exc}"
    return f"rejected: {type(exc).__name__}: {exc}"


class InboxConsumer:
    """Consumes topics in a consumer group and applies each event exactly once in PostgreSQL."""

    def __init__(
        self,
        *,
        name: str,
        topics: Collection[str],
        config: dict[str, Any],
        pool: asyncpg.Pool,
        codec: AvroCodec,
        dispatch: Dispatch,
        dead_letters: EventProducer,
        handled_types: Collection[str] | None = None,
        max_attempts: int = 5,
        base_backoff: float = 0.2,
        batch_size: int = 200,
        batch_transactions: bool = False,
        personal: PersonalData | None = None,
        gate: EventCheck | None = None,
        batch_scope: BatchScope | None = None,
    ) -> None:
        self.name = name
        self._batch_scope = batch_scope
        self._personal = personal
        self._gate = gate
        self._batch_transactions = batch_transactions
        self._topics = list(topics)
        self._config = config
        self._pool = pool
        self._codec = codec
        self._dispatch = dispatch
        self._dead_letters = dead_letters
        self._handled = frozenset(handled_types) if handled_types is not None else None
        self._max_attempts = max_attempts
        self._base_backoff = base_backoff
        self._batch_size = batch_size

    async def run(self, stop: asyncio.Event) -> None:
        consumer = Consumer(self._config)
        consumer.subscribe(self._topics)
        log.info("consumer %s subscribed to %s", self.name, ",".join(self._topics))
        try:
            while not stop.is_set():
                messages = await asyncio.to_thread(self._fetch, consumer)
                positions: dict[tuple[str, int], int] = {}
                good: list[Message] = []
                for msg in messages:
                    if msg.error():
                        log.warning("consumer %s: %s", self.name, msg.error())
                        continue
                    good.append(msg)
                    topic, partition, offset = _position(msg)
                    positions[(topic, partition)] = offset + 1
                await self.process_batch(good, stop)
                if positions:
                    await self._commit(consumer, positions)
                    self._record_lag(consumer, positions)
        finally:
            await asyncio.to_thread(consumer.close)

    def _record_lag(self, consumer: Consumer, positions: dict[tuple[str, int], int]) -> None:
        """Lag from the watermarks the last fetch already brought (no extra broker call)."""
        for (topic, partition), next_offset in positions.items():
            try:
                _, high = consumer.get_watermark_offsets(
                    TopicPartition(topic, partition), cached=True
                )
            except KafkaException:
                continue
            if high is not None and high >= 0:
                metrics.CONSUMER_LAG.labels(self.name, topic, str(partition)).set(
                    max(0, high - next_offset)
                )

    def _fetch(self, consumer: Consumer) -> list[Message]:
        """Wait up to 0.5 s for one message, then take what else is already there.

        ``consume(n, timeout)`` alone waits for ``n`` messages or the whole timeout, which
        would add the timeout to every hop of a quiet pipeline.
        """
        first = consumer.poll(0.5)
        if first is None:
            return []
        return [first, *consumer.consume(self._batch_size - 1, 0)]

    async def _commit(self, consumer: Consumer, positions: dict[tuple[str, int], int]) -> None:
        offsets = [TopicPartition(t, p, o) for (t, p), o in positions.items()]
        try:
            # Asynchronous: the effects are already durable with their inbox rows, so a commit
            # lost in a crash only means a redelivery the inbox drops; waiting for the broker's
            # answer would add a round trip to every batch.
            consumer.commit(offsets=offsets, asynchronous=True)
        except KafkaException as exc:
            # A rebalance took the partition away: the new owner re-reads, the inbox dedupes.
            log.warning("consumer %s: offset commit failed: %s", self.name, exc)

    async def process_batch(self, messages: list[Message], stop: asyncio.Event | None) -> None:
        """Apply a fetched batch: one transaction for all of it, or one per event.

        With ``batch_transactions``, the batch's inbox rows are claimed in one statement, each
        new event's handler runs in turn on the same connection, the partition positions move
        in one statement and the batch commits once: under load batches grow and the round
        trips and the durable commit are shared. Order is kept, and nothing is half applied:
        when a handler fails, the whole transaction rolls back; the events before it are
        applied again as a batch, it goes through the one-at-a-time path with its retries and
        dead-lettering, and the events after it form the next batch.

        No deadlock: a batch waits for a lock at most ``BATCH_LOCK_TIMEOUT_MS``; a lock not
        had by then fails that event like any error, so the batch gives back every lock it
        holds and the event is applied alone, in a transaction that holds nothing else. A
        wait-for cycle therefore never lasts longer than that timeout, whatever order the
        handlers of different batches, replicas or HTTP requests take their locks in.
        """
        pending = await self._decode_batch(messages)
        if len(pending) <= 1 or not self._batch_transactions:
            for msg, event in pending:
                await self._apply_with_retries(msg, event, stop)
            return
        await self._apply_batch(pending, stop)

    async def _apply_batch(
        self, pending: list[tuple[Message, IncomingEvent]], stop: asyncio.Event | None
    ) -> None:
        if len(pending) <= 1:
            for msg, event in pending:
                await self._apply_with_retries(msg, event, stop)
            return
        failed_at: int | None = None
        failure: BaseException | None = None
        started = time.perf_counter()
        new: set[int] = set()
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                await conn.execute(f"SET LOCAL lock_timeout = {BATCH_LOCK_TIMEOUT_MS}")
                new = await self._claim(conn, [event for _, event in pending])
                scope = self._batch_scope(conn) if self._batch_scope else contextlib.nullcontext()
                async with scope:
                    for index, (_, event) in enumerate(pending):
                        if index not in new:
                            continue
                        try:
                            with self._span(event):
                                await self._dispatch(conn, event)
                        except Exception as exc:
                            failed_at, failure = index, exc
                            raise _BatchRolledBack from exc
                await self._advance(conn, [event for _, event in pending])
        except _BatchRolledBack:
            pass
        except Exception as exc:
            # The batch as a whole did not commit (database gone, a deferred write refused):
            # each event gets its own transaction, retries and dead-lettering.
            log.warning("consumer %s: batch not committed, applying one by one: %s", self.name, exc)
            for msg, event in pending:
                await self._apply_with_retries(msg, event, stop)
            return
        if failed_at is None:
            elapsed = (time.perf_counter() - started) / len(pending)
            for index, (_, event) in enumerate(pending):
                self._count(event, index in new, elapsed)
            return
        # A lock the batch could not have in time is not the event's fault: not an attempt.
        busy = isinstance(failure, asyncpg.LockNotAvailableError | LockBusy)
        permanent = failure is not None and is_permanent(failure)
        if not busy and not permanent:
            metrics.HANDLER_FAILURES.labels(self.name).inc()
        await self._apply_batch(pending[:failed_at], stop)
        msg, event = pending[failed_at]
        if permanent:
            assert failure is not None
            await self._dead_letter(msg, _rejection(failure))
        else:
            await self._apply_with_retries(msg, event, stop, 1 if busy else 2)
        await self._apply_batch(pending[failed_at + 1 :], stop)

    async def _claim(self, conn: asyncpg.Connection, events: list[IncomingEvent]) -> set[int]:
        """Insert the batch's inbox rows; the indexes of the events seen here for the first
        time (a message delivered twice in one batch counts once)."""
        rows = await conn.fetch(
            """INSERT INTO inbox (consumer, event_id, topic, kafka_partition, kafka_offset)
               SELECT $1, e.id, e.topic, e.part, e.off
               FROM unnest($2::text[], $3::text[], $4::int[], $5::bigint[])
                    AS e(id, topic, part, off)
               ON CONFLICT DO NOTHING RETURNING event_id""",
            self.name,
            [e.envelope.id for e in events],
            [e.topic for e in events],
            [e.partition for e in events],
            [e.offset for e in events],
        )
        fresh = {r["event_id"] for r in rows}
        new: set[int] = set()
        for index, event in enumerate(events):
            if event.envelope.id in fresh:
                fresh.discard(event.envelope.id)
                new.add(index)
        return new

    async def _advance(self, conn: asyncpg.Connection, events: list[IncomingEvent]) -> None:
        """Every partition position of the batch in one statement."""
        positions: dict[tuple[str, int], int] = {}
        for e in events:
            key = (e.topic, e.partition)
            positions[key] = max(positions.get(key, 0), e.offset + 1)
        await conn.execute(
            """INSERT INTO consumer_positions (consumer, topic, kafka_partition, next_offset)
               SELECT $1, p.topic, p.part, p.next FROM unnest($2::text[], $3::int[], $4::bigint[])
                    AS p(topic, part, next)
               ON CONFLICT (consumer, topic, kafka_partition) DO UPDATE
               SET next_offset = GREATEST(consumer_positions.next_offset, EXCLUDED.next_offset),
                   updated_at = clock_timestamp()""",
            self.name,
            [t for t, _ in positions],
            [p for _, p in positions],
            list(positions.values()),
        )

    def _count(self, event: IncomingEvent, was_new: bool, seconds: float) -> None:
        if was_new:
            metrics.EVENTS_CONSUMED.labels(self.name, event.event_type).inc()
        else:
            metrics.EVENTS_DUPLICATE.labels(self.name).inc()
        metrics.HANDLE_SECONDS.labels(self.name).observe(seconds)

    def _span(self, event: IncomingEvent) -> contextlib.AbstractContextManager[Any]:
        return telemetry.consuming_span(
            f"{event.topic} process",
            event.envelope.traceparent,
            event.envelope.tracestate,
            {
                "messaging.system": "kafka",
                "messaging.destination.name": event.topic,
                "messaging.consumer.group.name": self.name,
                "messaging.message.id": event.envelope.id,
                "cloudevents.event_type": event.event_type,
            },
        )

    async def process(self, msg: Message, stop: asyncio.Event | None = None) -> None:
        event = await self._decode(msg)
        if event is not None:
            await self._apply_with_retries(msg, event, stop)

    async def _decode(self, msg: Message) -> IncomingEvent | None:
        """The event in ``msg``; None when it was dead-lettered or is not handled here."""
        body = await self._decode_body(msg)
        return None if body is None else await self._finish(msg, *body)

    async def _decode_batch(self, messages: list[Message]) -> list[tuple[Message, IncomingEvent]]:
        """Every usable event of a fetched batch. The keys of every citizen whose sealed
        fields this service may open are fetched together first: one key-service round trip
        per batch instead of one per event."""
        bodies = [(msg, await self._decode_body(msg)) for msg in messages]
        if self._personal is not None:
            wanted = [(body[1].full_name, body[1].record) for _, body in bodies if body]
            with contextlib.suppress(*KEY_SERVICE_ERRORS):  # each event retries on its own
                await self._personal.prefetch(wanted)
        events = []
        for msg, body in bodies:
            event = None if body is None else await self._finish(msg, *body)
            if event is not None:
                events.append((msg, event))
        return events

    async def _decode_body(self, msg: Message) -> tuple[Envelope, Decoded] | None:
        try:
            envelope = from_headers(raw_headers(msg))
            decoded = self._codec.decode(msg.value() or b"")
            if decoded.full_name != envelope.type:
                raise DecodeError(
                    f"ce_type {envelope.type} does not match body schema {decoded.full_name}"
                )
        except (EnvelopeError, DecodeError) as exc:
            await self._dead_letter(msg, f"{type(exc).__name__}: {exc}")
            return None
        if self._handled is not None and decoded.full_name not in self._handled:
            return None
        return envelope, decoded

    async def _finish(
        self, msg: Message, envelope: Envelope, decoded: Decoded
    ) -> IncomingEvent | None:
        record = decoded.record
        if self._personal is not None:
            # Provenance first (an empty record has no invariants to break): a forged event
            # is refused before any citizen's key is unwrapped for it.
            forged = self._gate and self._gate.problem(decoded.full_name, envelope.source, {})
            if forged:
                await self._dead_letter(msg, forged)
                return None
            record = await self._open_personal(decoded.full_name, record)
        # The gate judges what the handlers will see: personal fields opened (or masked).
        if self._gate is not None:
            refused = self._gate.problem(decoded.full_name, envelope.source, record)
            if refused is not None:
                await self._dead_letter(msg, refused)
                return None
        return IncomingEvent(
            envelope=envelope,
            event_type=decoded.full_name,
            writer_version=decoded.writer_version,
            record=record,
            topic=_position(msg)[0],
            partition=_position(msg)[1],
            offset=_position(msg)[2],
            key=msg.key(),
            recorded_at=_recorded_at(msg),
        )

    async def _open_personal(self, event_type: str, record: dict[str, Any]) -> dict[str, Any]:
        """Personal fields as this service may see them; the key service being unreachable
        is an infrastructure fault, retried without limit (the event is fine)."""
        assert self._personal is not None
        attempt = 0
        while True:
            try:
                return await self._personal.open(event_type, record, fresh=True)
            except KEY_SERVICE_ERRORS as exc:
                attempt += 1
                delay = min(self._base_backoff * 2 ** min(attempt, 8), 30.0)
                log.warning(
                    "consumer %s: key service unavailable, retry in %.1fs: %s",
                    self.name,
                    delay,
                    exc,
                )
                await asyncio.sleep(delay)

    async def _apply_with_retries(
        self,
        msg: Message,
        event: IncomingEvent,
        stop: asyncio.Event | None,
        first_attempt: int = 1,
    ) -> None:
        attempt = first_attempt - 1
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                with self._span(event):
                    applied = await self._apply(event)
                self._count(event, applied, time.perf_counter() - started)
                return
            except INFRASTRUCTURE_ERRORS as exc:
                delay = min(self._base_backoff * 2 ** min(attempt, 8), 30.0)
                log.warning(
                    "consumer %s: infrastructure error, retry in %.1fs: %s", self.name, delay, exc
                )
            except Exception as exc:
                if is_permanent(exc):
                    await self._dead_letter(msg, _rejection(exc))
                    return
                metrics.HANDLER_FAILURES.labels(self.name).inc()
                if attempt >= self._max_attempts:
                    log.exception(
                        "consumer %s: giving up on event %s", self.name, event.envelope.id
                    )
                    await self._dead_letter(
                        msg, f"handler failed after {attempt} attempts: {type(exc).__name__}: {exc}"
                    )
                    return
                delay = self._base_backoff * 2 ** (attempt - 1)
                log.warning(
                    "consumer %s: attempt %d failed, retry in %.2fs", self.name, attempt, delay
                )
            if stop is not None and stop.is_set():
                raise asyncio.CancelledError(
                    "stopping with an unapplied event; it will be redelivered"
                )
            if stop is None:
                await asyncio.sleep(delay)
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)

    async def _apply(self, event: IncomingEvent) -> bool:
        async with self._pool.acquire() as conn, conn.transaction():
            return await self._apply_on(conn, event)

    async def _apply_on(self, conn: asyncpg.Connection, event: IncomingEvent) -> bool:
        """Inbox row, effect and partition position, in the caller's transaction."""
        inserted = await conn.fetchval(
            """INSERT INTO inbox (consumer, event_id, topic, kafka_partition, kafka_offset)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true""",
            self.name,
            event.envelope.id,
            event.topic,
            event.partition,
            event.offset,
        )
        if not inserted:
            return False
        await self._dispatch(conn, event)
        await conn.execute(
            """INSERT INTO consumer_positions (consumer, topic, kafka_partition, next_offset)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (consumer, topic, kafka_partition) DO UPDATE
               SET next_offset = GREATEST(consumer_positions.next_offset, EXCLUDED.next_offset),
                   updated_at = clock_timestamp()""",
            self.name,
            event.topic,
            event.partition,
            event.offset + 1,
        )
        return True

    async def _dead_letter(self, msg: Message, reason: str) -> None:
        log.warning(
            "consumer %s: dead-lettering %s[%s]@%s: %s",
            self.name,
            msg.topic(),
            msg.partition(),
            msg.offset(),
            reason,
        )
        await self._dead_letters.send_batch([dead_letter_message(msg, self.name, reason)])
        metrics.EVENTS_DEAD_LETTERED.labels(self.name, str(msg.topic())).inc()
