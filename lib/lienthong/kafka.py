"""Kafka clients configured the one way this platform uses them.

Why this exists: confluent-kafka does not enable idempotence by default and reports
delivery failures only through callbacks. ``EventProducer`` turns on idempotence with
``acks=all`` and raises ``DeliveryError`` when any message of a batch was not acknowledged,
so no caller can silently lose an event.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from confluent_kafka import KafkaError, Message, Producer

from lienthong.envelope import Headers


class DeliveryError(RuntimeError):
    """At least one message was not acknowledged by the broker."""


@dataclass(frozen=True)
class OutgoingMessage:
    topic: str
    key: bytes | None
    value: bytes
    headers: Headers
    partition: int | None = None
    """None: the partitioner picks by key (always, except when copying a topic as it is)."""


#: Consumer settings for workers whose partitions must move on within seconds of a crash
#: (librdkafka's default session timeout is 45 s). See ADR 0032.
FAST_FAILOVER: dict[str, Any] = {"session.timeout.ms": 10_000, "heartbeat.interval.ms": 3_000}


def producer_config(client: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    config = {
        **client,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        "compression.type": "lz4",
        "message.timeout.ms": 30000,
    }
    config.update(overrides)
    return config


def consumer_config(client: dict[str, Any], group_id: str, **overrides: Any) -> dict[str, Any]:
    config = {
        **client,
        "group.id": group_id,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        "enable.partition.eof": False,
    }
    config.update(overrides)
    return config


class EventProducer:
    """An idempotent producer whose batches either all land or raise."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._producer = Producer(config)

    def send_batch_sync(self, messages: Sequence[OutgoingMessage], timeout: float = 30.0) -> None:
        failures: list[str] = []

        def on_delivery(err: KafkaError | None, msg: Message) -> None:
            if err is not None:
                failures.append(f"{msg.topic()}: {err.str()}")

        for m in messages:
            headers: list[tuple[str, str | bytes | None]] = list(m.headers)
            while True:
                try:
                    if m.partition is None:
                        self._producer.produce(
                            m.topic, m.value, m.key, headers=headers, on_delivery=on_delivery
                        )
                    else:
                        self._producer.produce(
                            m.topic,
                            m.value,
                            m.key,
                            partition=m.partition,
                            headers=headers,
                            on_delivery=on_delivery,
                        )
                    break
                except BufferError:
                    self._producer.poll(0.1)
        remaining = self._producer.flush(timeout)
        if remaining:
            raise DeliveryError(f"{remaining} message(s) not acknowledged within {timeout}s")
        if failures:
            raise DeliveryError("; ".join(failures[:5]))

    async def send_batch(self, messages: Sequence[OutgoingMessage], timeout: float = 30.0) -> None:
        await asyncio.to_thread(self.send_batch_sync, messages, timeout)

    def close(self) -> None:
        self._producer.flush(10)
