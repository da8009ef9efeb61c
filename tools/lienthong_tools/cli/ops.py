"""``lienthong ops``: deployment and operations — compose files, migrations, replay Jobs, status.

Why this exists: the same commands serve the compose ``init`` container, the Helm chart's
pre-install/upgrade Job and an operator at a terminal: migrate a service's database, start
a replay (``lienthong replay``) as a Kubernetes Job, and see rollout status and consumer lag
per service. Provisioning is ``lienthong topics provision``; ``ops provision`` and
``ops replay`` are hidden aliases kept for deployments that call them by those names.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
import yaml

from lienthong.contracts.acls import service_acls, strimzi_acls
from lienthong.contracts.provision import topic_config
from lienthong_tools.cli import fail, kafka_client_config, replay, stdout, topics, when
from lienthong_tools.devstack import REPO
from lienthong_tools.ops import compose
from lienthong_tools.ops.components import component, components, load_platform_catalog

app = typer.Typer(
    no_args_is_help=True, help="Deploy and operate: compose, migrate, replay, status."
)

BootstrapOption = Annotated[
    str,
    typer.Option("--bootstrap", envvar="KAFKA_BOOTSTRAP_SERVERS", help="Kafka bootstrap servers."),
]


@app.command("compose")
def write_compose(
    check: Annotated[
        bool, typer.Option("--check", help="Fail if the files are not current; write nothing.")
    ] = False,
) -> None:
    """Regenerate docker-compose*.yml and deploy/prometheus.yml from the service list."""
    stale = [
        relative
        for relative, content in compose.generated_files().items()
        if not (REPO / relative).exists() or (REPO / relative).read_text("utf-8") != content
    ]
    if check:
        if stale:
            fail(f"not current: {', '.join(stale)}; run `lienthong ops compose`")
        stdout().print("compose files are current")
        return
    for path in compose.write(REPO):
        stdout().print(f"wrote {path.relative_to(REPO)}")


@app.command()
def migrate(
    service: Annotated[
        str | None, typer.Option("--service", help="The service whose migrations to apply.")
    ] = None,
    all_services: Annotated[
        bool, typer.Option("--all", help="Every service, each on its own database.")
    ] = False,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", envvar="DATABASE_URL", help="With --service."),
    ] = None,
    server_url: Annotated[
        str | None,
        typer.Option("--server-url", help="With --all: postgresql://user@host:port."),
    ] = None,
    create_database: Annotated[
        bool, typer.Option("--create-database", help="Create a missing database first.")
    ] = False,
) -> None:
    """Apply the platform's and a service's pending migrations (what start-up does)."""
    from lienthong_tools.ops.migrate import database_url as on_database
    from lienthong_tools.ops.migrate import migrate_component

    if all_services == (service is not None):
        fail("pass either --service NAME or --all")
    try:
        targets = components() if all_services else [component(str(service))]
    except LookupError as exc:
        fail(str(exc))
    if all_services and not server_url:
        fail("--all needs --server-url")
    if not all_services and not database_url:
        fail("--service needs --database-url (or DATABASE_URL)")

    async def run() -> None:
        for comp in targets:
            dsn = on_database(str(server_url), comp.database) if all_services else database_url
            applied = await migrate_component(comp, str(dsn), create_database=create_database)
            stdout().print(
                f"{comp.name}: {len(applied)} applied" + "".join(f"\n  {a}" for a in applied)
            )

    try:
        asyncio.run(run())
    except (OSError, LookupError) as exc:
        fail(str(exc))


# The same command as ``lienthong replay window``, under the name Jobs already submitted use.
app.command("replay", hidden=True)(replay.window)


@app.command("replay-job")
def replay_job(
    requested_by: Annotated[str, typer.Option("--requested-by", help="The auditor asking.")],
    action: Annotated[
        str, typer.Option(help="rebuild (reporting's projection), verify-audit or window.")
    ] = "rebuild",
    topics: Annotated[
        list[str] | None, typer.Option("--topic", help="With window: topic (repeatable).")
    ] = None,
    since: Annotated[str | None, typer.Option(help="With window: ISO 8601 with offset.")] = None,
    until: Annotated[str | None, typer.Option(help="With window: ISO 8601 with offset.")] = None,
    switch_if_different: Annotated[
        bool, typer.Option(help="With rebuild: switch even if the rebuilt version differs.")
    ] = False,
    release: Annotated[str, typer.Option(help="Helm release name.")] = "lienthong",
    namespace: Annotated[str, typer.Option(help="Kubernetes namespace.")] = "lienthong",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the Job as YAML; create nothing.")
    ] = False,
    kubeconfig: Annotated[str | None, typer.Option(help="Path to a kubeconfig.")] = None,
) -> None:
    """Run an auditor's replay as a Kubernetes Job, configured like the deployed reporting."""
    from kubernetes import client as k8s

    from lienthong_tools.ops.kube import (
        ReplayRequest,
        api_client,
        reporting_container,
        submit_replay,
        to_dict,
    )
    from lienthong_tools.ops.kube import replay_job as build

    request = ReplayRequest(
        release=release,
        namespace=namespace,
        requested_by=requested_by,
        action=action,
        topics=tuple(topics or ()),
        since=when(since, "--since"),
        until=when(until, "--until"),
        switch_if_different=switch_if_different,
    )
    api = api_client(kubeconfig)
    try:
        job = build(request, reporting_container(k8s.AppsV1Api(api), namespace, release))
    except ValueError as exc:
        fail(str(exc))
    if dry_run:
        typer.echo(yaml.safe_dump(dict(to_dict(job)), sort_keys=False))
        return
    name = submit_replay(k8s.BatchV1Api(api), job)
    stdout().print(f"created job {namespace}/{name}; logs: kubectl logs -n {namespace} job/{name}")


@app.command()
def status(
    release: Annotated[str, typer.Option(help="Helm release name.")] = "lienthong",
    namespace: Annotated[str, typer.Option(help="Kubernetes namespace.")] = "lienthong",
    bootstrap: BootstrapOption = "127.0.0.1:9092",
    topic_prefix: Annotated[str, typer.Option(envvar="KAFKA_TOPIC_PREFIX")] = "",
    group_prefix: Annotated[str, typer.Option(envvar="KAFKA_GROUP_PREFIX")] = "",
    kubeconfig: Annotated[str | None, typer.Option(help="Path to a kubeconfig.")] = None,
    skip_rollout: Annotated[
        bool, typer.Option("--skip-rollout", help="Only consumer lag (no cluster).")
    ] = False,
) -> None:
    """Rollout status of every Deployment and consumer lag of every stream worker."""
    from confluent_kafka.admin import AdminClient
    from kubernetes import client as k8s

    from lienthong_tools.ops.kube import api_client, consumer_lag, rollout_status

    console = stdout()
    incomplete = False
    if not skip_rollout:
        apps = k8s.AppsV1Api(api_client(kubeconfig))
        for rollout in rollout_status(apps, namespace, release):
            state = "[green]complete[/green]" if rollout.complete else "[yellow]rolling[/yellow]"
            incomplete |= not rollout.complete
            console.print(
                f"{rollout.component:<22} {state}  {rollout.updated}/{rollout.desired} updated,"
                f" {rollout.ready} ready, {rollout.available} available"
            )
    admin = AdminClient(kafka_client_config(bootstrap))
    for lag in consumer_lag(
        admin, components(), topic_prefix=topic_prefix, group_prefix=group_prefix
    ):
        console.print(
            f"{lag.component:<22} lag {lag.messages} over {lag.partitions} partitions"
            f" (group {lag.group})"
        )
    if incomplete:
        raise typer.Exit(3)


# The same command as ``lienthong topics provision``, under the name charts already deployed
# with it in their prepare Job use.
app.command("provision", hidden=True)(topics.provision)


@app.command("topic-values")
def topic_values(
    replication_factor: Annotated[int, typer.Option("--replication-factor", min=1)] = 3,
    min_partitions: Annotated[
        int,
        typer.Option(
            "--min-partitions",
            min=1,
            help="at least this many partitions per topic (room for more replicas; docs/sizing.md)",
        ),
    ] = 1,
) -> None:
    """Print Helm values listing the catalog's topics and each service principal's ACLs (for
    Strimzi KafkaTopic and KafkaUser resources)."""
    topics = [
        {
            "name": t.name,
            "partitions": max(t.partitions, min_partitions),
            "config": topic_config(t, replication_factor),
        }
        for t in load_platform_catalog().all_topics()
    ]
    catalog = load_platform_catalog()
    principals = {service: strimzi_acls(acls) for service, acls in service_acls(catalog).items()}
    document = {
        "topics": {
            "replicationFactor": replication_factor,
            "catalog": topics,
            "principals": principals,
        }
    }
    typer.echo(yaml.safe_dump(document, sort_keys=False), nl=False)
