"""Reads reporting's topics from offset 0 up to where they ended when the read began.

Why this exists: a replay must see exactly the history the live projector saw, as fast as
the machine allows. It assigns every partition itself (its own throw-away group, nothing
committed, so no service's position moves), stops each partition at the high watermark
taken at the start, and reads the three CloudEvents headers it needs without the full
envelope parser (which costs more than the Avro decode).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from confluent_kafka import TIMESTAMP_NOT_AVAILABLE, Consumer, Message, TopicPartition


@dataclass(frozen=True)
class LoggedEvent:
    event_id: str
    event_type: str
    recorded_at: datetime
    body: bytes


_WANTED = frozenset(("ce_id", "ce_type", "ce_time"))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def logged_event(msg: Message) -> LoggedEvent | None:
    """The id, type and recorded time of a message; None if it has no usable envelope."""
    headers = msg.headers() or []
    pairs = headers.items() if isinstance(headers, dict) else headers
    found = {key: value for key, value in pairs if key in _WANTED}
    event_id = _text(found.get("ce_id"))
    event_type = _text(found.get("ce_type"))
    event_time = _text(found.get("ce_time"))
    if not (event_id and event_type and event_time):
        return None
    kind, millis = msg.timestamp()
    if kind != TIMESTAMP_NOT_AVAILABLE and millis is not None and millis >= 0:
        recorded = datetime.fromtimestamp(millis / 1000, UTC)  # as the live inbox does
    else:
        try:
            recorded = datetime.fromisoformat(event_time)
        except ValueError:
            return None
    return LoggedEvent(event_id, event_type, recorded, msg.value() or b"")


class LogReader:
    """A bounded read of whole topics: every partition from its start to its end-at-open."""

    def __init__(self, client_config: dict[str, Any], topics: Sequence[str]) -> None:
        self._consumer = Consumer(
            {
                **client_config,
                "group.id": f"reporting-replay-{uuid.uuid4().hex[:12]}",
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                "isolation.level": "read_committed",
                "enable.partition.eof": False,
                "fetch.max.bytes": 52428800,
                "queued.min.messages": 200000,
            }
        )
        self._ends: dict[tuple[str, int], int] = {}
        self.total = 0
        metadata = self._consumer.list_topics(timeout=10)
        assignment: list[TopicPartition] = []
        for topic in topics:
            described = metadata.topics.get(topic)
            if described is None or described.error is not None:
                continue
            for partition in described.partitions:
                low, high = self._consumer.get_watermark_offsets(
                    TopicPartition(topic, partition), timeout=10
                )
                if high > low:
                    assignment.append(TopicPartition(topic, partition, low))
                    self._ends[(topic, partition)] = high
                    self.total += high - low
        self._consumer.assign(assignment)

    @property
    def done(self) -> bool:
        return not self._ends

    def batch(self, size: int = 10_000, timeout: float = 1.0) -> Iterator[Message]:
        """The next messages below the end offsets (blocking; run it in a thread)."""
        if not self._ends:
            return iter(())
        messages = self._consumer.consume(size, timeout)
        kept = []
        for msg in messages:
            if msg.error():
                continue
            key = (str(msg.topic()), msg.partition() or 0)
            end = self._ends.get(key)
            if end is None or (msg.offset() or 0) >= end:
                continue
            kept.append(msg)
        for position in self._consumer.position([TopicPartition(t, p) for (t, p) in self._ends]):
            if position.offset >= self._ends[(position.topic, position.partition)]:
                del self._ends[(position.topic, position.partition)]
                self._consumer.pause([TopicPartition(position.topic, position.partition)])
        return iter(kept)

    def close(self) -> None:
        self._consumer.close()
