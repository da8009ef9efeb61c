"""``lienthong topics``: list the catalog's topics and provision them on a cluster.

Why this exists: topics are created from the catalog only, never auto-created by a client,
so every environment (laptop, CI, Kubernetes job) runs the same idempotent command.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Annotated

import typer

from lienthong.contracts.provision import (
    BOOTSTRAP_ENV,
    ProvisionError,
    admin_client,
    provision_topics,
)
from lienthong.settings import KafkaSettings
from lienthong_tools.cli import fail, stdout
from lienthong_tools.cli.schemas import SchemasDirOption, load_contracts

DEFAULT_BOOTSTRAP = "127.0.0.1:9092"

app = typer.Typer(no_args_is_help=True, help="List and provision the catalog's Kafka topics.")


@app.command("list")
def list_topics(schemas_dir: SchemasDirOption = None) -> None:
    """Show every topic of the catalog, dead-letter topics included."""
    _, catalog = load_contracts(schemas_dir)
    console = stdout()
    for topic in catalog.all_topics():
        retention = "kept forever" if topic.retention_ms == -1 else f"{topic.retention_ms} ms"
        console.print(
            f"[bold]{topic.name}[/bold]  {topic.partitions} partitions, {retention},"
            f" key {topic.key}"
        )
        if topic.dead_letter:
            console.print(f"  dead letters of {topic.source_topic}, written by its consumers")
            continue
        consumers = ", ".join(topic.consumers) or "none"
        console.print(f"  producer: {topic.producer}; consumers: {consumers}")
        console.print(f"  events: {', '.join(topic.event_types)}")


@app.command()
def provision(
    bootstrap: Annotated[
        str,
        typer.Option("--bootstrap", envvar=BOOTSTRAP_ENV, help="Kafka bootstrap servers."),
    ] = DEFAULT_BOOTSTRAP,
    topic_prefix: Annotated[
        str,
        typer.Option(
            "--topic-prefix", envvar="KAFKA_TOPIC_PREFIX", help="Prefix of every topic name."
        ),
    ] = "",
    replication_factor: Annotated[
        int, typer.Option("--replication-factor", min=1, help="Replicas of each new topic.")
    ] = 1,
    min_partitions: Annotated[
        int,
        typer.Option(
            "--min-partitions",
            min=1,
            help="at least this many partitions per topic (room for more replicas; docs/sizing.md)",
        ),
    ] = 1,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1.0, help="Seconds to wait for the cluster.")
    ] = 30.0,
    schemas_dir: SchemasDirOption = None,
) -> None:
    """Create missing topics and add missing partitions; existing topics are left alone.

    The one provisioning command: a laptop (``dev-up.sh``), the compose ``init`` container
    and the chart's prepare Job all run it; ``lienthong ops provision`` is the same command.
    """
    _, catalog = load_contracts(schemas_dir)
    topics = [
        dataclasses.replace(
            t, name=topic_prefix + t.name, partitions=max(t.partitions, min_partitions)
        )
        for t in catalog.all_topics()
    ]
    config = KafkaSettings(bootstrap_servers=bootstrap).client_config()
    try:
        admin = admin_client(bootstrap, config=config, logger=_quiet_client_logger())
        report = provision_topics(
            admin, topics, replication_factor=replication_factor, timeout_s=timeout
        )
    except ProvisionError as exc:
        fail(f"{bootstrap}: {exc}")
    console = stdout()
    for name in report.created:
        console.print(f"[green]created[/green]  {name}")
    for change in report.changed:
        partitions = f"{change.before} -> {change.after} partitions"
        console.print(f"[yellow]grown[/yellow]    {change.topic}: {partitions}")
    for warning in report.warnings:
        console.print(f"[yellow]warning[/yellow]  {warning}")
    prefix = f" (prefix {topic_prefix!r})" if topic_prefix else ""
    console.print(
        f"{len(report.created)} created, {len(report.existing)} already existed,"
        f" {len(report.changed)} grown, on {bootstrap}{prefix}"
    )


def _quiet_client_logger() -> logging.Logger:
    """librdkafka logs every failed connection attempt; the command reports the outcome once."""
    logger = logging.getLogger("lienthong_tools.cli.kafka")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logger.propagate = False
    return logger
