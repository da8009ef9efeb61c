"""``lienthong kit conformance``: check an agency producer's messages against the contracts."""

from __future__ import annotations

from typing import Annotated

import typer

from lienthong_tools.cli import report_problems, stdout

app = typer.Typer(no_args_is_help=True, help="The agency integration kit.")


@app.command("conformance")
def conformance(
    topic: Annotated[str, typer.Option(help="the catalog's topic the agency publishes on")],
    bootstrap_servers: Annotated[
        str, typer.Option(envvar="KAFKA_BOOTSTRAP_SERVERS", help="Kafka bootstrap servers")
    ] = "127.0.0.1:9092",
    topic_prefix: Annotated[str, typer.Option(envvar="KAFKA_TOPIC_PREFIX")] = "",
    limit: Annotated[int, typer.Option(min=1, help="messages to check at most")] = 1000,
) -> None:
    """Read the topic from the beginning and name every message that the platform would
    refuse (headers, key, body, schema, personal data in keys or headers); exit 1 if any."""
    from lienthong_tools.kit.client import Contracts
    from lienthong_tools.kit.conformance import check_topic

    read, findings = check_topic(
        Contracts.load(), bootstrap_servers, topic, topic_prefix=topic_prefix, limit=limit
    )
    if findings:
        report_problems([f"{topic} {f.offset}: {f.problem}" for f in findings])
    stdout().print(f"{topic}: {read} messages read, all conform")
