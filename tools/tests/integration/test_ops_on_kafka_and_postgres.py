"""``lienthong ops``: migrations, an audit window of the log and consumer lag, on the real
PostgreSQL and Kafka."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from typer.testing import CliRunner

from lienthong.contracts.provision import admin_client
from lienthong.envelope import Envelope, to_headers
from lienthong_tools.cli.main import app
from lienthong_tools.devstack import kafka_bootstrap, pg_base
from lienthong_tools.ops.components import Component, component
from lienthong_tools.ops.kube import consumer_lag
from lienthong_tools.ops.migrate import migrate_component
from lienthong_tools.ops.replay import replay

pytestmark = pytest.mark.integration


def produce(topic: str, events: list[tuple[int, datetime]]) -> list[Envelope]:
    """(partition, event time) → one envelope-only record each; returns the envelopes."""
    producer = Producer({"bootstrap.servers": kafka_bootstrap()})
    sent = []
    for partition, when in events:
        envelope = Envelope(
            type="vn.lienthong.intake.DossierSubmitted",
            source="/lienthong/intake",
            time=when,
            dataschema="urn:lienthong:schema:vn.lienthong.intake.DossierSubmitted:v1",
            subject="subj-" + uuid.uuid4().hex[:8],
            traceparent=f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
        )
        producer.produce(
            topic, b"\xc3\x01body", key=b"k", partition=partition, headers=to_headers(envelope)
        )
        sent.append(envelope)
    assert producer.flush(30) == 0
    return sent


async def test_migrate_creates_the_database_and_applies_platform_and_service_migrations(
    database: str,
) -> None:
    name = "ops_" + uuid.uuid4().hex[:10]
    dsn = f"{pg_base()}/{name}"
    try:
        applied = await migrate_component(component("intake"), dsn, create_database=True)
        assert any(a.startswith("migrations/") for a in applied)
        assert any("0001_" in a for a in applied)
        assert await migrate_component(component("intake"), dsn) == []
        conn = await asyncpg.connect(dsn)
        try:
            tables = {r["tablename"] for r in await conn.fetch("SELECT tablename FROM pg_tables")}
        finally:
            await conn.close()
        assert {"outbox", "schema_migrations"} <= tables
    finally:
        admin = await asyncpg.connect(f"{pg_base()}/postgres")
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def test_migrate_command_applies_a_services_migrations_to_its_database(database: str) -> None:
    result = CliRunner().invoke(
        app, ["ops", "migrate", "--service", "population_registry", "--database-url", database]
    )
    assert result.exit_code == 0, result.output
    assert "population_registry:" in result.stdout
    again = CliRunner().invoke(
        app, ["ops", "migrate", "--service", "population_registry", "--database-url", database]
    )
    assert "0 applied" in again.stdout


def test_migrate_command_names_an_unknown_service() -> None:
    result = CliRunner().invoke(app, ["ops", "migrate", "--service", "tax", "--database-url", "x"])
    assert result.exit_code == 1
    assert "unknown component 'tax'" in result.output


def test_replay_lists_every_envelope_of_the_window_in_partition_order_without_bodies(
    topic: str,
) -> None:
    now = datetime.now(UTC)
    sent = produce(topic, [(0, now - timedelta(days=2)), (1, now - timedelta(hours=1)), (0, now)])
    events = list(replay({"bootstrap.servers": kafka_bootstrap()}, [topic]))
    assert sorted(e.id for e in events) == sorted(e.id for e in sent)
    assert [e.offset for e in events if e.partition == 0] == [0, 1]
    first = next(e for e in events if e.id == sent[0].id)
    assert first.trace_id == sent[0].traceparent.split("-")[1]
    assert first.subject == sent[0].subject
    assert "body" not in json.dumps([e.as_dict() for e in events])


def test_replay_until_filters_on_event_time(topic: str) -> None:
    now = datetime.now(UTC)
    sent = produce(topic, [(0, now - timedelta(days=2)), (0, now)])
    events = list(
        replay({"bootstrap.servers": kafka_bootstrap()}, [topic], until=now - timedelta(days=1))
    )
    assert [e.id for e in events] == [sent[0].id]


def test_replay_since_starts_at_the_first_record_written_after_it(topic: str) -> None:
    produce(topic, [(2, datetime.now(UTC))])
    time.sleep(1.1)
    cut = datetime.now(UTC)
    later = produce(topic, [(2, datetime.now(UTC))])
    events = list(replay({"bootstrap.servers": kafka_bootstrap()}, [topic], since=cut))
    assert [e.id for e in events] == [later[0].id]


def test_replay_command_prints_json_lines_and_a_count(topic: str) -> None:
    produce(topic, [(0, datetime.now(UTC))])
    for command in (["replay", "window"], ["ops", "replay"]):  # one command, two names
        result = CliRunner().invoke(
            app, [*command, "--topic", topic, "--bootstrap", kafka_bootstrap()]
        )
        assert result.exit_code == 0, result.output
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        assert lines[0]["topic"] == topic and lines[0]["type"].endswith("DossierSubmitted")


def test_replay_of_a_missing_topic_fails_with_its_name() -> None:
    with pytest.raises(LookupError, match=r"it\.missing"):
        list(replay({"bootstrap.servers": kafka_bootstrap()}, ["it.missing." + uuid.uuid4().hex]))


def test_consumer_lag_counts_what_a_workers_group_has_not_committed(topic: str) -> None:
    produce(topic, [(0, datetime.now(UTC))] * 5 + [(1, datetime.now(UTC))] * 2)
    group = "it-lag-" + uuid.uuid4().hex[:8]
    worker = Component("worker", "worker", 9000, "worker", consumes=(topic,))
    admin = admin_client(kafka_bootstrap())

    [before] = consumer_lag(admin, [worker], group_prefix=group + ".")
    assert (before.messages, before.partitions, before.committed) == (7, 3, False)

    consumer = Consumer({"bootstrap.servers": kafka_bootstrap(), "group.id": group + ".worker"})
    consumer.commit(
        offsets=[TopicPartition(topic, 0, 3), TopicPartition(topic, 1, 2)], asynchronous=False
    )
    consumer.close()
    [after] = consumer_lag(admin, [worker], group_prefix=group + ".")
    assert (after.messages, after.committed) == (2, True)
    admin.delete_consumer_groups([group + ".worker"])
