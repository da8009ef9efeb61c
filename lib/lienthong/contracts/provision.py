"""Create the catalog's topics on a Kafka cluster, idempotently.

Why this exists: topics are never auto-created by whichever client touched them first
(that would give them the broker's default retention and partition count). Provisioning
creates what is missing with the catalog's settings, grows partition counts that are
behind, and otherwise leaves existing topics alone, so it is safe to run on every start.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient
from confluent_kafka.cimpl import NewPartitions, NewTopic

from lienthong.contracts.catalog import Topic

BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS"


class ProvisionError(RuntimeError):
    """The cluster could not be reached or refused a change."""


@dataclass(frozen=True)
class PartitionIncrease:
    topic: str
    before: int
    after: int


@dataclass(frozen=True)
class ProvisionReport:
    """What provisioning did: topics created, left as they were, and partitions added."""

    created: tuple[str, ...] = ()
    existing: tuple[str, ...] = ()
    changed: tuple[PartitionIncrease, ...] = ()
    warnings: tuple[str, ...] = ()


def admin_client(
    bootstrap_servers: str | None = None,
    *,
    config: Mapping[str, Any] | None = None,
    logger: logging.Logger | None = None,
) -> AdminClient:
    """An ``AdminClient`` for ``bootstrap_servers`` (else ``$KAFKA_BOOTSTRAP_SERVERS``).

    ``config`` adds client settings such as SASL/TLS (security is configuration, not code);
    ``logger`` receives librdkafka's log lines instead of stderr.
    """
    servers = bootstrap_servers or os.environ.get(BOOTSTRAP_ENV)
    if not servers:
        raise ProvisionError(f"no bootstrap servers: pass one or set {BOOTSTRAP_ENV}")
    settings: dict[str, Any] = dict(config or {})
    settings["bootstrap.servers"] = servers
    if logger is not None:
        settings["logger"] = logger
    return AdminClient(settings)


def topic_config(topic: Topic, replication_factor: int) -> dict[str, str]:
    """Topic-level settings for ``topic`` on a cluster with this replication factor."""
    config = {"retention.ms": str(topic.retention_ms), "cleanup.policy": "delete"}
    if replication_factor > 1:
        # One replica may be lost and acks=all writes still land on at least two brokers
        # (one, when there are only two replicas).
        config["min.insync.replicas"] = str(min(2, replication_factor - 1))
    return config


def provision_topics(
    admin: AdminClient,
    topics: Iterable[Topic],
    *,
    replication_factor: int = 1,
    timeout_s: float = 30.0,
) -> ProvisionReport:
    """Create missing topics and add missing partitions; existing topics are not reconfigured."""
    if replication_factor < 1:
        raise ValueError("replication_factor must be at least 1")
    wanted = {topic.name: topic for topic in topics}
    current = _partition_counts(admin, timeout_s)

    missing = [wanted[name] for name in sorted(wanted) if name not in current]
    created, raced = _create(admin, missing, replication_factor, timeout_s)

    existing = sorted(name for name in wanted if name in current) + raced
    increases = [
        PartitionIncrease(name, current[name], wanted[name].partitions)
        for name in sorted(existing)
        if name in current and current[name] < wanted[name].partitions
    ]
    warnings = [
        f"{name} has {current[name]} partitions, more than the catalog's"
        f" {wanted[name].partitions}; partitions cannot be removed"
        for name in sorted(existing)
        if name in current and current[name] > wanted[name].partitions
    ]
    _add_partitions(admin, increases, timeout_s)
    return ProvisionReport(
        created=tuple(created),
        existing=tuple(sorted(existing)),
        changed=tuple(increases),
        warnings=tuple(warnings),
    )


def _partition_counts(admin: AdminClient, timeout_s: float) -> dict[str, int]:
    try:
        metadata = admin.list_topics(timeout=timeout_s)
    except KafkaException as exc:
        raise ProvisionError(f"cannot list topics: {_reason(exc)}") from exc
    return {
        name: len(topic.partitions)
        for name, topic in metadata.topics.items()
        if topic.error is None or topic.error.code() != KafkaError.UNKNOWN_TOPIC_OR_PART
    }


def _create(
    admin: AdminClient, topics: list[Topic], replication_factor: int, timeout_s: float
) -> tuple[list[str], list[str]]:
    """Create topics; returns (created, already existing because another client won a race)."""
    if not topics:
        return [], []
    requests = [
        NewTopic(
            topic.name,
            num_partitions=topic.partitions,
            replication_factor=replication_factor,
            config=topic_config(topic, replication_factor),
        )
        for topic in topics
    ]
    futures = admin.create_topics(requests, operation_timeout=timeout_s, request_timeout=timeout_s)
    created: list[str] = []
    raced: list[str] = []
    for name in sorted(futures):
        try:
            _wait(futures[name], timeout_s)
        except KafkaException as exc:
            if _code(exc) == KafkaError.TOPIC_ALREADY_EXISTS:
                raced.append(name)
                continue
            raise ProvisionError(f"cannot create topic {name}: {_reason(exc)}") from exc
        created.append(name)
    return created, raced


def _add_partitions(
    admin: AdminClient, increases: list[PartitionIncrease], timeout_s: float
) -> None:
    if not increases:
        return
    requests = [NewPartitions(change.topic, change.after) for change in increases]
    futures = admin.create_partitions(
        requests, operation_timeout=timeout_s, request_timeout=timeout_s
    )
    for name in sorted(futures):
        try:
            _wait(futures[name], timeout_s)
        except KafkaException as exc:
            raise ProvisionError(f"cannot add partitions to {name}: {_reason(exc)}") from exc


def _wait(future: Future[Any], timeout_s: float) -> None:
    try:
        future.result(timeout=timeout_s * 2)
    except TimeoutError as exc:
        raise ProvisionError(f"no answer from the cluster within {timeout_s * 2:.0f}s") from exc


def _code(exc: KafkaException) -> int | None:
    error = exc.args[0] if exc.args else None
    return error.code() if isinstance(error, KafkaError) else None


def _reason(exc: KafkaException) -> str:
    error = exc.args[0] if exc.args else None
    return error.str() if isinstance(error, KafkaError) else str(exc)
