"""``lienthong replay``: rebuild reporting's projection from offset 0 (blue/green), list its
versions, verify the hash-chained audit trail, and list the events of a time window.

Why this exists: auditors and operators rebuild a report from the event history while the
live one keeps serving, and check that nobody edited the audit trail. The work is done by
the reporting service's own modules (imported when a command runs); this module only reads
options, shows progress and turns results into exit codes.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from lienthong_tools.cli import fail, kafka_client_config, report_problems, stdout, when

app = typer.Typer(
    no_args_is_help=True,
    help="Rebuild reporting's projection, verify its audit trail, list a window of events.",
)

DatabaseUrl = Annotated[
    str | None,
    typer.Option(envvar="DATABASE_URL", help="reporting's database (default: $DATABASE_URL)"),
]


def _database(url: str | None) -> str:
    if not url:
        fail("no database: pass --database-url or set DATABASE_URL")
    return url


@app.command("run")
def run(
    database_url: DatabaseUrl = None,
    bootstrap_servers: Annotated[
        str, typer.Option(envvar="KAFKA_BOOTSTRAP_SERVERS", help="Kafka bootstrap servers")
    ] = "127.0.0.1:9092",
    topic_prefix: Annotated[
        str, typer.Option(envvar="KAFKA_TOPIC_PREFIX", help="prefix of the topics (test stacks)")
    ] = "",
    switch: Annotated[bool, typer.Option(help="switch the rebuilt version live if equal")] = True,
    switch_if_different: Annotated[
        bool, typer.Option(help="switch even if it differs (the projection's code changed)")
    ] = False,
    progress: Annotated[bool, typer.Option(help="show a progress bar with an ETA")] = True,
) -> None:
    """Rebuild the fact projection from offset 0 into a new version, compare, switch."""
    from lienthong.db import create_pool
    from lienthong.service import load_codec
    from reporting.bootstrap import MIGRATIONS, consumed_topics
    from reporting.domain.events import CONSUMED
    from reporting.service_layer.replay import rebuild

    url = _database(database_url)
    out = stdout()

    async def main() -> Any:
        pool = await create_pool(url, MIGRATIONS, max_size=4)
        try:
            bar = Progress(
                TextColumn("replay"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:>9} ev/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=out,
                disable=not progress,
            )
            with bar:
                task = bar.add_task("replay", total=None, rate="-")
                clock = asyncio.get_running_loop().time
                begun = clock()

                def shown(done: int, total: int) -> None:
                    elapsed = clock() - begun
                    rate = f"{done / elapsed:,.0f}" if elapsed > 0 and done else "-"
                    bar.update(task, completed=done, total=total, rate=rate)

                return await rebuild(
                    pool,
                    {"bootstrap.servers": bootstrap_servers},
                    [topic_prefix + t for t in consumed_topics()],
                    load_codec(),
                    CONSUMED,
                    progress=shown,
                    switch=switch,
                    switch_if_different=switch_if_different,
                )
        finally:
            await pool.close()

    result = asyncio.run(main())
    c = result.comparison
    out.print(
        f"rebuilt {result.schema}: {result.events} events, {result.facts} facts, "
        f"{result.skipped} unusable, {result.seconds:.2f} s ({result.events_per_s:,.0f} events/s)"
    )
    if c is not None:
        verdict = "equal" if c.equal else "DIFFERENT"
        out.print(
            f"compared with live {c.live_schema}: {verdict} "
            f"({c.live_facts} live facts, {c.rebuilt_facts} rebuilt facts)"
        )
        for event_id in c.only_live:
            out.print(f"  only in live: {event_id}")
        for event_id in c.only_rebuilt:
            out.print(f"  only in rebuilt: {event_id}")
    out.print(
        f"live projection: {result.schema if result.switched else c.live_schema if c else '?'}"
    )
    if c is not None and not c.equal and not result.switched:
        raise typer.Exit(1)


@app.command("versions")
def versions(database_url: DatabaseUrl = None) -> None:
    """List the projection versions and which one is live."""
    import asyncpg

    from reporting.adapters import repository

    async def main() -> list[repository.Version]:
        conn = await asyncpg.connect(_database(database_url))
        try:
            return await repository.versions(conn)
        finally:
            await conn.close()

    out = stdout()
    for v in asyncio.run(main()):
        out.print(f"{v.version}\t{v.schema_name}\t{v.state}")


@app.command("verify-audit")
def verify_audit(database_url: DatabaseUrl = None) -> None:
    """Check the audit trail's hash chain; name every modified, inserted or deleted record."""
    import asyncpg

    from reporting.adapters import repository
    from reporting.domain.audit import verify

    async def main() -> tuple[int, list[str]]:
        conn = await asyncpg.connect(_database(database_url))
        try:
            stored, checkpoints, head = await repository.audit_chain(conn)
        finally:
            await conn.close()
        return len(stored), [f.line() for f in verify(stored, checkpoints, head)]

    count, problems = asyncio.run(main())
    if problems:
        report_problems(problems)
    stdout().print(f"audit trail intact: {count} records, chain and checkpoints verified")


@app.command("window")
def window(
    topics: Annotated[list[str], typer.Option("--topic", help="Topic to read (repeatable).")],
    bootstrap: Annotated[
        str,
        typer.Option(
            "--bootstrap", envvar="KAFKA_BOOTSTRAP_SERVERS", help="Kafka bootstrap servers."
        ),
    ] = "127.0.0.1:9092",
    topic_prefix: Annotated[str, typer.Option(envvar="KAFKA_TOPIC_PREFIX")] = "",
    since: Annotated[str | None, typer.Option(help="ISO 8601 with offset; log time.")] = None,
    until: Annotated[str | None, typer.Option(help="ISO 8601 with offset; event time.")] = None,
) -> None:
    """Print one JSON line per event in the window (envelope only), then a count."""
    from lienthong_tools.ops.replay import replay as read

    count = 0
    try:
        for event in read(
            kafka_client_config(bootstrap),
            [topic_prefix + t for t in topics],
            since=when(since, "--since"),
            until=when(until, "--until"),
        ):
            typer.echo(json.dumps(event.as_dict(), ensure_ascii=False))
            count += 1
    except (LookupError, TimeoutError, RuntimeError) as exc:
        fail(str(exc))
    typer.echo(json.dumps({"replayed": count, "topics": list(topics)}), err=True)
