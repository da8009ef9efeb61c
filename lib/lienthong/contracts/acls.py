"""Kafka ACLs per service principal, generated from the topic catalog.

Why this exists: the catalog names each topic's producer and consumers; the broker should
enforce exactly that, so a service that is not a topic's producer cannot write to it (a
forged ``DossierSubmitted`` is refused by the broker before any consumer sees it). The
consumers' provenance check (:mod:`lienthong.invariants`) is the second line.

Each service principal ``User:<service>`` gets:
- Write and Describe on the topics it produces;
- Read and Describe on the topics it consumes, and Write and Describe on their dead-letter
  topics (a consumer dead-letters what it cannot apply);
- Read on the consumer groups whose names start with its name (``<group prefix><service>``;
  every service names its consumers after itself);
- IdempotentWrite on the cluster: every producer here is idempotent (``acks=all``), and the
  broker authorizes its producer id against the cluster.

The same list renders as Strimzi ``KafkaUser`` ACLs (:func:`strimzi_acls`) and is applied
to a SASL/SCRAM broker with the Admin API by the local ACL broker and its test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from lienthong.contracts.catalog import Catalog

Operation = Literal["Read", "Write", "Describe", "IdempotentWrite"]


@dataclass(frozen=True, order=True)
class Acl:
    principal: str
    resource: Literal["topic", "group", "cluster"]
    name: str
    pattern: Literal["literal", "prefix"]
    operation: Operation


def _topic(service: str, name: str, *operations: Operation) -> Iterator[Acl]:
    for operation in operations:
        yield Acl(f"User:{service}", "topic", name, "literal", operation)


def service_acls(
    catalog: Catalog, *, topic_prefix: str = "", group_prefix: str = ""
) -> dict[str, list[Acl]]:
    """Every service's ACLs, by service name (the principal is ``User:<service>``)."""
    acls: dict[str, set[Acl]] = {}
    for topic in catalog.topics():
        name = topic_prefix + topic.name
        if topic.producer:
            acls.setdefault(topic.producer, set()).update(
                _topic(topic.producer, name, "Write", "Describe")
            )
        for consumer in topic.consumers:
            found = acls.setdefault(consumer, set())
            found.update(_topic(consumer, name, "Read", "Describe"))
            found.update(_topic(consumer, name + ".dlq", "Write", "Describe"))
    for service, found in acls.items():
        found.add(Acl(f"User:{service}", "group", group_prefix + service, "prefix", "Read"))
        found.add(Acl(f"User:{service}", "cluster", "kafka-cluster", "literal", "IdempotentWrite"))
    return {service: sorted(found) for service, found in sorted(acls.items())}


def strimzi_acls(acls: list[Acl]) -> list[dict[str, Any]]:
    """``KafkaUser.spec.authorization.acls`` entries (Strimzi ``simple`` authorization)."""
    return [
        {
            "resource": (
                {"type": "cluster"}
                if acl.resource == "cluster"
                else {"type": acl.resource, "name": acl.name, "patternType": acl.pattern}
            ),
            "operations": [acl.operation],
            "host": "*",
        }
        for acl in acls
    ]
