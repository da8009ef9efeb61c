"""Raw limits: the Avro codec alone, and the local broker with a bare client."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient
from confluent_kafka.cimpl import NewTopic

from lienthong.service import load_codec
from lienthong_tools.bench.runner import Figure
from lienthong_tools.devstack import kafka_bootstrap

DOSSIER = "vn.lienthong.intake.DossierSubmitted"


def sample_dossier() -> dict[str, Any]:
    person = {
        "role": "APPLICANT",
        "subject_id": "sub_" + "a" * 32,
        "id_number": "051090123456",
        "full_name": "Nguyễn Văn Hùng",
        "birth_date": date(1990, 3, 14),
        "gender": "MALE",
    }
    now = datetime.now(UTC)
    return {
        "dossier_id": str(uuid.uuid4()),
        "dossier_code": "51-20260130-000042",
        "procedure_code": "BIRTH_LINKED",
        "channel": "COUNTER",
        "unit_code": "51",
        "submitted_at": now,
        "appointment_at": now,
        "persons": [person] * 4,
        "document_refs": ["sha256:" + "0" * 64],
        "officer_id": "officer-1",
    }


async def codec(n: int = 50_000) -> list[Figure]:
    avro = load_codec()
    record = sample_dossier()
    started = time.perf_counter()
    for _ in range(n):
        body = avro.encode(DOSSIER, record)
    encode_rate = n / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(n):
        avro.decode(body)
    decode_rate = n / (time.perf_counter() - started)
    return [
        Figure("codec.encode_per_s", encode_rate, "rec/s"),
        Figure("codec.decode_per_s", decode_rate, "rec/s"),
        Figure("codec.record_bytes", len(body), "B"),
    ]


def _kafka(n: int, size: int) -> tuple[float, float]:
    topic = "bench.raw." + uuid.uuid4().hex[:8]
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap()})
    admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])[topic].result(30)
    try:
        producer = Producer(
            {
                "bootstrap.servers": kafka_bootstrap(),
                "enable.idempotence": True,
                "acks": "all",
                "linger.ms": 5,
                "compression.type": "lz4",
            }
        )
        payload = b"x" * size
        started = time.perf_counter()
        for i in range(n):
            while True:
                try:
                    producer.produce(topic, payload, key=str(i % 1000).encode())
                    break
                except BufferError:
                    producer.poll(0.05)
        producer.flush(60)
        produce_rate = n / (time.perf_counter() - started)
        consumer = Consumer(
            {
                "bootstrap.servers": kafka_bootstrap(),
                "group.id": topic,
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
            }
        )
        consumer.subscribe([topic])
        seen = 0
        first = None
        while seen < n:
            batch = consumer.consume(1000, 5.0)
            if not batch:
                break
            if first is None:
                first = time.perf_counter()
            seen += sum(1 for m in batch if not m.error())
        consume_rate = (
            seen / (time.perf_counter() - (first or time.perf_counter())) if seen else 0.0
        )
        consumer.close()
        return produce_rate, consume_rate
    finally:
        admin.delete_topics([topic])[topic].result(30)


async def kafka(n: int = 200_000, size: int = 400) -> list[Figure]:
    produce_rate, consume_rate = await asyncio.to_thread(_kafka, n, size)
    return [
        Figure("kafka.raw_produce_per_s", produce_rate, "msg/s"),
        Figure("kafka.raw_consume_per_s", consume_rate, "msg/s"),
    ]
