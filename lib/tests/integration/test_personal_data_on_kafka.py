"""Personal fields sealed per citizen, on the real broker and PostgreSQL: what the topic's
raw bytes hold, who reads what, and erasure by key destruction."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from confluent_kafka import Consumer, Message
from confluent_kafka.admin import AdminClient
from confluent_kafka.cimpl import NewTopic

from lienthong.codec import AvroCodec
from lienthong.contracts.catalog import load_catalog
from lienthong.contracts.schemas import SchemaSet, load_schema_set
from lienthong.db import create_pool
from lienthong.inbox import InboxConsumer, IncomingEvent
from lienthong.invariants import EventGate
from lienthong.kafka import EventProducer, consumer_config, producer_config
from lienthong.outbox import Outbox, OutboxRelay
from lienthong.personal import ERASED, MASKED, KeyRing, KeyService, PersonalData
from lienthong.personal.erasure import TOPIC, ErasureRequest, erase
from lienthong.personal.keys import MIGRATIONS
from lienthong.personal.master import LocalMasterKeys, new_master_key_entry, parse_master_keys
from lienthong.personal.migration import MigrationError, reseal_topic
from lienthong_tools.devstack import kafka_bootstrap
from lienthong_tools.pytest_plugin import create_database, drop_database

DOSSIER = "vn.lienthong.intake.DossierSubmitted"
VERIFY = "vn.lienthong.population.CitizenVerificationRequested"
MOTHER = "sub_" + "m" * 32
CHILD = "sub_" + "c" * 32
SECRETS = ("Nguyễn Thị Lan", "Trần Minh Khôi", "051190001234", "1990-03-14")
MOTHER_BIRTH = date(1990, 3, 14)


@pytest.fixture(scope="module")
def schemas() -> SchemaSet:
    return load_schema_set()


@pytest.fixture(scope="module")
def codec(schemas: SchemaSet) -> AvroCodec:
    return AvroCodec(schemas.all_versions())


@pytest_asyncio.fixture
async def keys_pool() -> AsyncIterator[asyncpg.Pool]:
    url = await create_database("it_keys_")
    pool = await create_pool(url, MIGRATIONS, max_size=3)
    try:
        yield pool
    finally:
        await pool.close()
        await drop_database(url)


MASTER = LocalMasterKeys(parse_master_keys(new_master_key_entry(1)))


def personal_for(schemas: SchemaSet, service: str, pool: asyncpg.Pool) -> PersonalData:
    ring = KeyRing(pool, MASTER, service, ttl=60)
    return PersonalData.for_service(schemas, load_catalog(schemas), service, ring)


def dossier() -> dict[str, Any]:
    person = {"id_number": None, "gender": None}
    return {
        "dossier_id": str(uuid.uuid4()),
        "dossier_code": "G22.51-261205-0042",
        "procedure_code": "1.001193",
        "channel": "COUNTER",
        "unit_code": "21211",
        "submitted_at": datetime.now(UTC),
        "appointment_at": datetime.now(UTC),
        "persons": [
            person
            | {
                "role": "MOTHER",
                "subject_id": MOTHER,
                "id_number": "051190001234",
                "full_name": "Nguyễn Thị Lan",
                "birth_date": MOTHER_BIRTH,
                "gender": "FEMALE",
            },
            person
            | {
                "role": "CHILD",
                "subject_id": CHILD,
                "full_name": "Trần Minh Khôi",
                "birth_date": date(2026, 11, 30),
            },
        ],
        "document_refs": [],
        "officer_id": None,
    }


def verification() -> dict[str, Any]:
    return {
        "request_id": str(uuid.uuid4()),
        "subject_id": MOTHER,
        "id_number": "051190001234",
        "full_name": "Nguyễn Thị Lan",
        "birth_date": MOTHER_BIRTH,
        "mother_id_number": None,
        "requested_at": datetime.now(UTC),
    }


async def publish(
    pool: asyncpg.Pool, outbox: Outbox, topic: str, events: list[tuple[str, dict[str, Any]]]
) -> None:
    async with pool.acquire() as conn, conn.transaction():
        for event_type, record in events:
            await outbox.add_record(
                conn,
                topic=topic,
                key="k",
                event_type=event_type,
                record=record,
                time=datetime.now(UTC),
            )
    producer = EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))
    assert await OutboxRelay(pool, producer).publish_pending() == len(events)
    producer.close()


def read_all(topic: str, want: int, timeout: float = 20.0) -> list[Message]:
    """The raw messages of a topic, as any client with read access gets them."""
    consumer = Consumer(
        {
            "bootstrap.servers": kafka_bootstrap(),
            "group.id": f"raw-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    out: list[Message] = []
    deadline = time.monotonic() + timeout
    while len(out) < want and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is not None and not msg.error():
            out.append(msg)
    consumer.close()
    return out


async def read_as(
    pool: asyncpg.Pool,
    topic: str,
    codec: AvroCodec,
    personal: PersonalData,
    want: int,
    gate: EventGate | None = None,
) -> list[IncomingEvent]:
    """What a service's inbox consumer hands its handlers, from offset 0."""
    seen: list[IncomingEvent] = []

    async def keep(conn: asyncpg.Connection, event: IncomingEvent) -> None:
        seen.append(event)

    producer = EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))
    consumer = InboxConsumer(
        name=f"it-{uuid.uuid4().hex[:8]}",
        topics=[topic],
        config=consumer_config({"bootstrap.servers": kafka_bootstrap()}, f"it-{uuid.uuid4()}"),
        pool=pool,
        codec=codec,
        dispatch=keep,
        dead_letters=producer,
        personal=personal,
        gate=gate,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    deadline = time.monotonic() + 30
    while len(seen) < want and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    stop.set()
    await task
    producer.close()
    return seen


async def test_raw_topic_bytes_hold_no_id_number_name_or_birth_date_in_clear(
    database: str, topic: str, codec: AvroCodec, schemas: SchemaSet, keys_pool: asyncpg.Pool
) -> None:
    pool = await create_pool(database)
    intake = personal_for(schemas, "intake", keys_pool)
    outbox = Outbox(codec, "/lienthong/intake", {}, intake)
    await publish(pool, outbox, topic, [(DOSSIER, dossier()), (VERIFY, verification())])

    messages = await asyncio.to_thread(read_all, topic, 2)
    assert len(messages) == 2
    async with pool.acquire() as conn:
        stored = [bytes(r["payload"]) for r in await conn.fetch("SELECT payload FROM outbox")]
    for raw in [m.value() for m in messages] + stored:
        for secret in SECRETS:
            assert secret.encode() not in raw
        record = codec.decode(raw).record  # what anyone reading the topic without keys gets
        people = record.get("persons") or [record]
        assert all(p["full_name"] == "" and p["birth_date"] is None for p in people)
        assert all(p.get("id_number") in (None, "") for p in people)
        assert all(p["sealed_personal"] for p in people)
    await pool.close()


async def test_entitled_services_read_in_clear_others_masked_and_erasure_shreds_one_citizen(
    database: str, topic: str, codec: AvroCodec, schemas: SchemaSet, keys_pool: asyncpg.Pool
) -> None:
    pool = await create_pool(database)
    outbox = Outbox(codec, "/lienthong/intake", {}, personal_for(schemas, "intake", keys_pool))
    await publish(pool, outbox, topic, [(DOSSIER, dossier())])

    identity = await read_as(pool, topic, codec, personal_for(schemas, "identity", keys_pool), 1)
    mother, child = identity[0].record["persons"]
    assert (mother["full_name"], mother["id_number"], mother["birth_date"]) == (
        "Nguyễn Thị Lan",
        "051190001234",
        MOTHER_BIRTH,
    )
    reporting = await read_as(pool, topic, codec, personal_for(schemas, "reporting", keys_pool), 1)
    assert [p["full_name"] for p in reporting[0].record["persons"]] == [MASKED, MASKED]

    erasure_topic = f"it{uuid.uuid4().hex[:8]}.{TOPIC}"
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap()})
    for future in admin.create_topics([NewTopic(erasure_topic, 1, 1)]).values():
        future.result(30)
    producer = EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))
    done = await erase(
        keys_pool,
        MASTER,
        codec,
        producer,
        ErasureRequest(MOTHER, "officer-tinh-khe-07", "SUBJECT_REQUEST", "QĐ 118/2026", "21211"),
        topic_prefix=erasure_topic.removesuffix(TOPIC),
    )
    producer.close()
    assert done.keys_destroyed == 1
    (announced,) = await asyncio.to_thread(read_all, erasure_topic, 1)
    event = codec.decode(announced.value())
    assert event.record["requested_by"] == "officer-tinh-khe-07"
    assert event.record["legal_basis"] == "SUBJECT_REQUEST"
    assert announced.key() == MOTHER.encode()

    after = await read_as(pool, topic, codec, personal_for(schemas, "identity", keys_pool), 1)
    mother, child = after[0].record["persons"]
    assert (mother["full_name"], mother["id_number"], mother["birth_date"]) == (
        ERASED,
        ERASED,
        None,
    )
    assert (mother["role"], mother["subject_id"]) == ("MOTHER", MOTHER)
    assert child["full_name"] == "Trần Minh Khôi"

    async with keys_pool.acquire() as conn:
        actions = await conn.fetch(
            "SELECT service, action FROM key_access WHERE subject_id = $1 ORDER BY id", MOTHER
        )
        erasures = await conn.fetchval(
            "SELECT count(*) FROM erasures WHERE subject_id = $1", MOTHER
        )
    assert ("intake", "seal") in [(r["service"], r["action"]) for r in actions]
    assert ("identity", "unwrap") in [(r["service"], r["action"]) for r in actions]
    assert ("reporting", "unwrap") not in [(r["service"], r["action"]) for r in actions]
    assert erasures == 1
    for future in admin.delete_topics([erasure_topic]).values():
        future.result(30)
    await pool.close()


async def test_a_topic_written_in_clear_is_copied_sealed_in_order_and_reads_the_same(
    database: str, topic: str, codec: AvroCodec, schemas: SchemaSet, keys_pool: asyncpg.Pool
) -> None:
    pool = await create_pool(database)
    before_sealing = Outbox(codec, "/lienthong/intake", {})  # a writer from before sealing
    dossiers = [dossier() for _ in range(3)]
    async with pool.acquire() as conn, conn.transaction():
        for record in dossiers:
            await before_sealing.add_record(
                conn,
                topic=topic,
                key=record["dossier_id"],
                event_type=DOSSIER,
                record=record,
                time=datetime.now(UTC),
            )
    producer = EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))
    await OutboxRelay(pool, producer).publish_pending()
    source = await asyncio.to_thread(read_all, topic, 3)
    assert any(SECRETS[0].encode() in m.value() for m in source)  # the problem to solve

    target = topic + ".sealed"
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap()})
    for future in admin.create_topics([NewTopic(target, 3, 1)]).values():
        future.result(30)
    try:
        report = await reseal_topic(
            {"bootstrap.servers": kafka_bootstrap()},
            topic,
            target,
            codec,
            personal_for(schemas, "intake", keys_pool),
            producer,
        )
        assert (report.copied, report.sealed, report.unreadable) == (3, 3, 0)
        copied = await asyncio.to_thread(read_all, target, 3)
        assert len(copied) == 3
        for msg in copied:
            for secret in SECRETS:
                assert secret.encode() not in msg.value()
        where = {(m.partition(), m.key()) for m in source}
        assert {(m.partition(), m.key()) for m in copied} == where
        ids = {dict(m.headers())["ce_id"] for m in source}
        assert {dict(m.headers())["ce_id"] for m in copied} == ids
        assert all(
            dict(m.headers())["ce_dataschema"].endswith(b"DossierSubmitted:v2") for m in copied
        )
        with pytest.raises(MigrationError, match="already holds records"):
            await reseal_topic(
                {"bootstrap.servers": kafka_bootstrap()},
                topic,
                target,
                codec,
                personal_for(schemas, "intake", keys_pool),
                producer,
            )
        seen = await read_as(pool, target, codec, personal_for(schemas, "identity", keys_pool), 3)
        by_id = {str(e.record["dossier_id"]): e.record["persons"] for e in seen}
        for record in dossiers:
            shown = by_id[record["dossier_id"]]
            assert [p["full_name"] for p in shown] == [p["full_name"] for p in record["persons"]]
            assert [p["birth_date"] for p in shown] == [p["birth_date"] for p in record["persons"]]
    finally:
        producer.close()
        for future in admin.delete_topics([target]).values():
            future.result(30)
        await pool.close()


async def test_kek_rotation_rewraps_every_data_key_and_sealed_events_still_open(
    schemas: SchemaSet, keys_pool: asyncpg.Pool
) -> None:
    old = new_master_key_entry(1)
    first = LocalMasterKeys(parse_master_keys(old))
    writer = PersonalData.for_service(
        schemas, load_catalog(schemas), "intake", KeyRing(keys_pool, first, "intake")
    )
    sealed = await writer.seal(DOSSIER, dossier())
    new = new_master_key_entry(2)
    rotated = LocalMasterKeys(parse_master_keys(f"{new},{old}"))
    service = KeyService(keys_pool, rotated)
    assert await service.kek_versions() == {1: 2}
    assert await service.rotate(batch=1) == 2
    assert await service.kek_versions() == {2: 2}
    retired_v1 = LocalMasterKeys(parse_master_keys(new))  # version 1 gone from the Secret
    reader = PersonalData.for_service(
        schemas, load_catalog(schemas), "identity", KeyRing(keys_pool, retired_v1, "identity")
    )
    opened = await reader.open(DOSSIER, dict(sealed))
    assert [p["full_name"] for p in opened["persons"]] == ["Nguyễn Thị Lan", "Trần Minh Khôi"]
    async with keys_pool.acquire() as conn:
        rewraps = await conn.fetchval("SELECT count(*) FROM key_access WHERE action = 'rewrap'")
    assert rewraps == 2


async def test_the_event_gate_judges_the_opened_birth_date_not_the_sealed_placeholder(
    database: str, topic: str, codec: AvroCodec, schemas: SchemaSet, keys_pool: asyncpg.Pool
) -> None:
    pool = await create_pool(database)
    outbox = Outbox(codec, "/lienthong/intake", {}, personal_for(schemas, "intake", keys_pool))
    implausible = dossier()
    implausible["persons"][1]["birth_date"] = date(2999, 1, 1)
    await publish(pool, outbox, topic, [(DOSSIER, dossier()), (DOSSIER, implausible)])
    gate = EventGate({DOSSIER: frozenset({"/lienthong/intake"})}, lambda code: True)
    identity = personal_for(schemas, "identity", keys_pool)
    applied = await read_as(pool, topic, codec, identity, 1, gate)
    assert [str(e.record["dossier_id"]) for e in applied] != [implausible["dossier_id"]]
    (dead,) = await asyncio.to_thread(read_all, topic + ".dlq", 1)
    reason = dict(dead.headers())["dlq_reason"].decode()
    assert "/persons/1/birth_date is in the future" in reason
    for secret in SECRETS:
        assert secret.encode() not in dead.value()  # the dead letter holds the sealed bytes
    await pool.close()
