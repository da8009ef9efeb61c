"""Migration of a topic written in clear: a resealing copy into a new topic.

Why this exists: history written before sealing holds personal data in clear, forever, and
Kafka cannot rewrite a record in place. The way out is a copy: every record of the old topic
goes to the new one in the same partition and order, with the same key and headers; records
with personal fields in clear are sealed under their citizens' keys and re-encoded with the
newest schema version (``ce_dataschema`` follows), everything else is copied byte for byte.
Consumers then switch to the new topic (the catalog names it), and the old topic is
retired (deleted) once nobody reads it. See ``docs/migrations/sealing-existing-topics.md``.

The copy reads up to the end offsets seen when it starts; it refuses a target that already
holds records, so a half-done copy is deleted and started again rather than patched.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from confluent_kafka import Consumer, Message, TopicPartition
from confluent_kafka.admin import AdminClient

from lienthong.codec import AvroCodec
from lienthong.envelope import dataschema_uri
from lienthong.inbox import raw_headers
from lienthong.kafka import EventProducer, OutgoingMessage
from lienthong.personal import PersonalData

DATASCHEMA_HEADER = "ce_dataschema"


class MigrationError(RuntimeError):
    """The copy cannot start or finish safely (target not empty, partitions differ...)."""


@dataclass(frozen=True)
class ResealReport:
    copied: int
    sealed: int
    unreadable: int
    partitions: int


def _end_offsets(consumer: Consumer, topic: str) -> dict[int, tuple[int, int]]:
    metadata = consumer.list_topics(topic, timeout=10).topics.get(topic)
    if metadata is None or metadata.error is not None:
        raise MigrationError(f"topic {topic} does not exist")
    return {
        p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
        for p in sorted(metadata.partitions)
    }


def _still_clear(personal: PersonalData, event_type: str, record: dict[str, Any]) -> bool:
    subjects = personal.sealer.subjects(event_type, record)
    return bool(subjects) and not personal.sealer.sealed_subjects(event_type, record)


async def reseal_topic(
    client_config: dict[str, Any],
    source: str,
    target: str,
    codec: AvroCodec,
    personal: PersonalData,
    producer: EventProducer,
    *,
    batch_size: int = 500,
) -> ResealReport:
    """Copy ``source`` into the empty ``target``, sealing what was written in clear."""
    if not personal.sealing:
        raise MigrationError("sealing is off: set KEYS_DATABASE_URL and the KEK")
    consumer = Consumer(
        {
            **client_config,
            "group.id": f"lienthong-reseal-{source}",
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "enable.partition.eof": False,
        }
    )
    try:
        ends = await asyncio.to_thread(_end_offsets, consumer, source)
        targets = await asyncio.to_thread(_end_offsets, consumer, target)
        if len(targets) != len(ends):
            raise MigrationError(f"{target} must have {len(ends)} partitions like {source}")
        if any(high > low for low, high in targets.values()):
            raise MigrationError(f"{target} already holds records; delete and recreate it")
        wanted = {p: high for p, (low, high) in ends.items() if high > low}
        consumer.assign([TopicPartition(source, p, low) for p, (low, _) in ends.items()])
        copied = sealed = unreadable = 0
        while wanted:
            messages: list[Message] = await asyncio.to_thread(consumer.consume, batch_size, 1.0)
            batch: list[OutgoingMessage] = []
            for msg in messages:
                if msg.error():
                    continue
                partition, offset = msg.partition() or 0, msg.offset() or 0
                if partition not in wanted or offset >= wanted[partition]:
                    continue
                outgoing, was_sealed, readable = await _resealed(msg, target, codec, personal)
                batch.append(outgoing)
                sealed += was_sealed
                unreadable += not readable
                if offset + 1 >= wanted[partition]:
                    del wanted[partition]
            if batch:
                await producer.send_batch(batch)
                copied += len(batch)
        return ResealReport(copied, sealed, unreadable, len(ends))
    finally:
        await asyncio.to_thread(consumer.close)


async def _resealed(
    msg: Message, target: str, codec: AvroCodec, personal: PersonalData
) -> tuple[OutgoingMessage, bool, bool]:
    value = msg.value() or b""
    headers = raw_headers(msg)
    partition = msg.partition() or 0

    def out(body: bytes, hdrs: list[tuple[str, bytes]]) -> OutgoingMessage:
        return OutgoingMessage(
            topic=target, key=msg.key(), value=body, headers=hdrs, partition=partition
        )

    try:
        decoded = codec.decode(value)
    except ValueError:
        return out(value, headers), False, False  # a poison record stays a poison record
    record = decoded.record
    if not _still_clear(personal, decoded.full_name, record):
        return out(value, headers), False, True
    body = codec.encode(decoded.full_name, await personal.seal(decoded.full_name, record))
    schema = dataschema_uri(decoded.full_name, codec.latest_version(decoded.full_name))
    headers = [
        (name, schema.encode() if name == DATASCHEMA_HEADER else raw) for name, raw in headers
    ]
    return out(body, headers), True, True


def delete_topic(client_config: dict[str, Any], topic: str) -> None:
    """Retire a topic once every consumer reads its successor."""
    admin = AdminClient(client_config)
    for future in admin.delete_topics([topic], operation_timeout=30).values():
        future.result(60)
