"""An auditor's replay: read a time window of event topics and list what happened, in order.

Why this exists: event topics are kept forever so an auditor can ask "what did the platform
record between these two times?". The replay reads the log itself (not a read model) with
its own throw-away consumer group that commits nothing, so it never moves a service's
position. It lists the CloudEvents envelope only (id, type, event time, pseudonymous
subject, correlation and trace ids): bodies carry personal data and stay in the log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from confluent_kafka import OFFSET_END, Consumer, KafkaError, TopicPartition

from lienthong.envelope import EnvelopeError, from_headers


@dataclass(frozen=True)
class ReplayedEvent:
    topic: str
    partition: int
    offset: int
    id: str | None
    type: str | None
    time: str | None
    subject: str | None
    correlation_id: str | None
    trace_id: str | None
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def _trace_id(traceparent: str | None) -> str | None:
    parts = (traceparent or "").split("-")
    return parts[1] if len(parts) == 4 else None


def replay(
    client_config: Mapping[str, Any],
    topics: Sequence[str],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    timeout_s: float = 30.0,
) -> Iterator[ReplayedEvent]:
    """Every record of ``topics`` written at or after ``since`` up to the current end.

    ``until`` filters on the *event* time (``ce_time``), the time reports use.
    """
    consumer = Consumer(
        {
            **client_config,
            "group.id": f"lienthong-replay-{uuid.uuid4().hex[:12]}",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "auto.offset.reset": "earliest",
        }
    )
    try:
        assignment, ends = _assignment(consumer, topics, since, timeout_s)
        if not assignment:
            return
        consumer.assign(assignment)
        remaining = {(tp.topic, tp.partition) for tp in assignment}
        while remaining:
            message = consumer.poll(timeout_s)
            if message is None:
                raise TimeoutError(f"no record for {timeout_s}s; still reading {sorted(remaining)}")
            error = message.error()
            if error is not None:
                if error.code() == KafkaError._PARTITION_EOF:
                    continue
                raise RuntimeError(f"replay: {error}")
            topic, partition, offset = message.topic(), message.partition(), message.offset()
            assert topic is not None and partition is not None and offset is not None
            if offset + 1 >= ends[(topic, partition)]:
                remaining.discard((topic, partition))
            headers = message.headers()
            event = _event(topic, partition, offset, headers if isinstance(headers, list) else [])
            if until is not None and event.time and datetime.fromisoformat(event.time) > until:
                continue
            yield event
    finally:
        consumer.close()


def _assignment(
    consumer: Consumer, topics: Sequence[str], since: datetime | None, timeout_s: float
) -> tuple[list[TopicPartition], dict[tuple[str, int], int]]:
    metadata = consumer.list_topics(timeout=timeout_s)
    wanted: list[TopicPartition] = []
    for topic in topics:
        found = metadata.topics.get(topic)
        if found is None or found.error is not None:
            raise LookupError(f"topic {topic} does not exist")
        start = int(since.timestamp() * 1000) if since else 0
        wanted += [TopicPartition(topic, p, start) for p in sorted(found.partitions)]
    if since is not None:
        wanted = consumer.offsets_for_times(wanted, timeout=timeout_s)
    ends: dict[tuple[str, int], int] = {}
    assignment: list[TopicPartition] = []
    for tp in wanted:
        low, high = consumer.get_watermark_offsets(tp, timeout=timeout_s)
        start = low if since is None else tp.offset
        if start == OFFSET_END or start < 0 or start >= high:
            continue
        ends[(tp.topic, tp.partition)] = high
        assignment.append(TopicPartition(tp.topic, tp.partition, max(start, low)))
    return assignment, ends


def _event(
    topic: str, partition: int, offset: int, headers: list[tuple[str, str | bytes | None]]
) -> ReplayedEvent:
    try:
        envelope = from_headers([(k, v.encode() if isinstance(v, str) else v) for k, v in headers])
    except EnvelopeError as exc:
        return ReplayedEvent(topic, partition, offset, None, None, None, None, None, None, str(exc))
    return ReplayedEvent(
        topic=topic,
        partition=partition,
        offset=offset,
        id=envelope.id,
        type=envelope.type,
        time=envelope.time.isoformat(),
        subject=envelope.subject,
        correlation_id=envelope.correlation_id,
        trace_id=_trace_id(envelope.traceparent),
    )
