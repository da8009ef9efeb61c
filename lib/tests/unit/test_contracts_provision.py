"""Topic settings that provisioning applies (the broker itself is in the integration tests)."""

from __future__ import annotations

import pytest

from lienthong.contracts.catalog import Topic
from lienthong.contracts.provision import ProvisionError, admin_client, topic_config

TOPIC = Topic(
    name="intake.test.events",
    partitions=3,
    retention_ms=-1,
    key="dossier_id",
    key_doc="The dossier.",
    event_types=("vn.lienthong.intake.DossierSubmitted",),
    producer="intake",
    consumers=("reporting",),
    description="Things.",
)


def test_a_topic_keeps_its_catalog_retention_and_deletes_rather_than_compacts() -> None:
    assert topic_config(TOPIC, replication_factor=1) == {
        "retention.ms": "-1",
        "cleanup.policy": "delete",
    }


@pytest.mark.parametrize(("replicas", "min_insync"), [(2, "1"), (3, "2"), (5, "2")])
def test_min_insync_replicas_is_set_only_when_there_are_replicas_to_lose(
    replicas: int, min_insync: str
) -> None:
    assert topic_config(TOPIC, replication_factor=replicas)["min.insync.replicas"] == min_insync


def test_an_admin_client_needs_bootstrap_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)

    with pytest.raises(ProvisionError, match="KAFKA_BOOTSTRAP_SERVERS"):
        admin_client()
