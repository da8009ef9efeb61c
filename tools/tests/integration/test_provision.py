"""Provisioning topics on the real Kafka broker (``KAFKA_BOOTSTRAP_SERVERS``, default local).

Topics get random names and are deleted afterwards. With no broker reachable these tests
fail: an integration test that skips would hide a missing broker.
"""

from __future__ import annotations

import dataclasses
import os
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType
from typer.testing import CliRunner

from lienthong.contracts.catalog import Topic, load_catalog
from lienthong.contracts.provision import PartitionIncrease, admin_client, provision_topics
from lienthong.contracts.schemas import load_schema_set
from lienthong_tools.cli.main import app

pytestmark = pytest.mark.integration

BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
BROKER_WAIT_S = 60.0


@pytest.fixture(scope="module")
def admin() -> AdminClient:
    client = admin_client(BOOTSTRAP)
    deadline = time.monotonic() + BROKER_WAIT_S
    while True:
        try:
            client.list_topics(timeout=5)
            return client
        except KafkaException as exc:
            if time.monotonic() > deadline:
                pytest.fail(f"no Kafka broker at {BOOTSTRAP} after {BROKER_WAIT_S:.0f}s: {exc}")
            time.sleep(1)


@pytest.fixture
def new_topic(admin: AdminClient) -> Iterator[Callable[[int], Topic]]:
    """Makes catalog topics with random names; deletes them from the broker at the end."""
    prefix = f"it.provision.{uuid.uuid4().hex[:12]}"
    made: list[str] = []

    def make(partitions: int) -> Topic:
        name = f"{prefix}.n{len(made)}.events"
        made.append(name)
        return Topic(
            name=name,
            partitions=partitions,
            retention_ms=-1,
            key="probe_id",
            key_doc="The probe.",
            event_types=("vn.lienthong.platform.SmokeTestRecorded",),
            producer="platform",
            consumers=("platform",),
            description="Integration-test topic.",
        )

    yield make
    existing = set(admin.list_topics(timeout=10).topics)
    doomed = [name for name in made if name in existing]
    if doomed:
        for future in admin.delete_topics(doomed, operation_timeout=30).values():
            future.result(timeout=60)


def partition_count(admin: AdminClient, name: str, expected: int) -> int:
    """Partitions the cluster reports for a topic, waiting briefly for metadata to catch up."""
    deadline = time.monotonic() + 15
    while True:
        topic = admin.list_topics(topic=name, timeout=10).topics.get(name)
        count = len(topic.partitions) if topic is not None and topic.error is None else 0
        if count == expected or time.monotonic() > deadline:
            return count
        time.sleep(0.2)


def topic_settings(admin: AdminClient, name: str) -> dict[str, str]:
    resource = ConfigResource(ResourceType.TOPIC, name)
    entries = admin.describe_configs([resource])[resource].result(timeout=30)
    return {key: entry.value for key, entry in entries.items()}


def test_missing_topics_are_created_with_the_catalog_partitions_and_retention(
    admin: AdminClient, new_topic: Callable[[int], Topic]
) -> None:
    first, second = new_topic(3), new_topic(2)

    report = provision_topics(admin, [first, second])

    assert report.created == tuple(sorted([first.name, second.name]))
    assert report.existing == ()
    assert partition_count(admin, first.name, 3) == 3
    assert partition_count(admin, second.name, 2) == 2
    settings = topic_settings(admin, first.name)
    assert settings["retention.ms"] == "-1"
    assert settings["cleanup.policy"] == "delete"


def test_provisioning_twice_leaves_existing_topics_alone(
    admin: AdminClient, new_topic: Callable[[int], Topic]
) -> None:
    topic = new_topic(3)
    provision_topics(admin, [topic])
    partition_count(admin, topic.name, 3)

    again = provision_topics(admin, [topic])

    assert again.created == ()
    assert again.existing == (topic.name,)
    assert again.changed == ()


def test_a_topic_with_fewer_partitions_than_the_catalog_is_grown(
    admin: AdminClient, new_topic: Callable[[int], Topic]
) -> None:
    small = new_topic(1)
    provision_topics(admin, [small])
    partition_count(admin, small.name, 1)
    grown = dataclasses.replace(small, partitions=3)

    report = provision_topics(admin, [grown])

    assert report.changed == (PartitionIncrease(small.name, 1, 3),)
    assert report.existing == (small.name,)
    assert partition_count(admin, small.name, 3) == 3


def test_a_topic_with_more_partitions_than_the_catalog_is_reported_not_shrunk(
    admin: AdminClient, new_topic: Callable[[int], Topic]
) -> None:
    big = new_topic(3)
    provision_topics(admin, [big])
    partition_count(admin, big.name, 3)
    declared_smaller = dataclasses.replace(big, partitions=2)

    report = provision_topics(admin, [declared_smaller])

    assert report.changed == ()
    assert report.warnings == (
        f"{big.name} has 3 partitions, more than the catalog's 2; partitions cannot be removed",
    )


def test_the_cli_provisions_the_repository_catalog_idempotently(admin: AdminClient) -> None:
    runner = CliRunner()

    first = runner.invoke(app, ["topics", "provision", "--bootstrap", BOOTSTRAP])
    second = runner.invoke(app, ["topics", "provision", "--bootstrap", BOOTSTRAP])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    expected = len(load_catalog(load_schema_set()).all_topics())
    assert f"0 created, {expected} already existed, 0 grown" in second.output
    assert "intake.dossier.events.dlq" in admin.list_topics(timeout=10).topics
    # the chart's older prepare Job runs the same command as `lienthong ops provision`
    again = runner.invoke(app, ["ops", "provision", "--bootstrap", BOOTSTRAP])
    assert again.exit_code == 0, again.output
    assert f"0 created, {expected} already existed, 0 grown" in again.output


def test_provision_with_a_prefix_and_a_partition_floor_names_and_sizes_every_topic(
    admin: AdminClient,
) -> None:
    prefix = f"it{uuid.uuid4().hex[:8]}."
    result = CliRunner().invoke(
        app,
        [
            "topics",
            "provision",
            "--bootstrap",
            BOOTSTRAP,
            "--topic-prefix",
            prefix,
            "--min-partitions",
            "4",
        ],
    )
    created = {
        name: meta
        for name, meta in admin.list_topics(timeout=10).topics.items()
        if name.startswith(prefix)
    }
    try:
        assert result.exit_code == 0, result.output
        assert len(created) == len(load_catalog(load_schema_set()).all_topics())
        assert all(len(meta.partitions) >= 4 for meta in created.values())
        assert f"(prefix {prefix!r})" in result.output
    finally:
        for future in admin.delete_topics(list(created), operation_timeout=30).values():
            future.result(30)


def test_the_cli_reports_an_unreachable_broker_in_one_red_line() -> None:
    result = CliRunner().invoke(
        app, ["topics", "provision", "--bootstrap", "127.0.0.1:9", "--timeout", "1"]
    )

    assert result.exit_code == 1
    assert "error: 127.0.0.1:9: cannot list topics" in result.output
    assert "Traceback" not in result.output
