"""The broker enforces who may publish what: on a SASL/SCRAM broker of its own with the
KRaft StandardAuthorizer and the catalog's ACLs, a service writes its own topic and is
refused a write to another service's topic."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from confluent_kafka import KafkaError, Producer

from lienthong.contracts.acls import service_acls
from lienthong.kafka import producer_config
from lienthong_tools.aclbroker import AclBroker
from lienthong_tools.ops.components import load_platform_catalog


@pytest.fixture(scope="module")
def broker() -> Iterator[AclBroker]:
    catalog = load_platform_catalog()
    acls = service_acls(catalog)
    running = AclBroker(principals=tuple(acls))
    running.start()
    try:
        running.create_topics([t.name for t in catalog.all_topics()])
        running.apply([acl for service_acls_ in acls.values() for acl in service_acls_])
        yield running
    finally:
        running.stop()


def deliver(broker: AclBroker, principal: str, topic: str) -> KafkaError | None:
    outcome: list[KafkaError | None] = []
    producer = Producer(
        producer_config(broker.client_config(principal), **{"message.timeout.ms": 10000})
    )

    def on_delivery(err: KafkaError | None, _: Any) -> None:
        outcome.append(err)

    producer.produce(topic, b"probe", key=b"k", on_delivery=on_delivery)
    producer.flush(20)
    return outcome[0] if outcome else KafkaError(KafkaError._MSG_TIMED_OUT)


def test_a_service_writes_the_topic_the_catalog_says_it_produces(broker: AclBroker) -> None:
    assert deliver(broker, "intake", "intake.dossier.events") is None


def test_a_service_principal_is_refused_a_write_to_another_services_topic(
    broker: AclBroker,
) -> None:
    refused = deliver(broker, "orchestrator", "intake.dossier.events")
    assert refused is not None
    assert refused.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED


def test_a_consumer_may_write_the_dead_letter_topic_of_what_it_consumes(
    broker: AclBroker,
) -> None:
    assert deliver(broker, "orchestrator", "intake.dossier.events.dlq") is None
