"""``lienthong population import``: load a population extract into the population registry.

Why this exists: a deployment starts from the province's extract of the population
database (CSV or an Avro object container file), not from the demo loader; an operator
watches a progress bar, can stop and rerun the same command to resume, and reads how many
rows were refused and why (ADR 0142).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from lienthong_tools.cli import fail, stdout

if TYPE_CHECKING:
    from population_registry.entrypoints.importer import ImportResult

app = typer.Typer(no_args_is_help=True, help="The population registry's data.")


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or .avro file")],
    database_url: Annotated[
        str | None,
        typer.Option(envvar="DATABASE_URL", help="population registry's database"),
    ] = None,
    subject_id_key: Annotated[
        str | None,
        typer.Option(envvar="SUBJECT_ID_KEY", help="key of the pseudonymous subject ids"),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=100, help="rows per stored batch")] = 20_000,
    progress: Annotated[bool, typer.Option(help="show a progress bar")] = True,
) -> None:
    """Check and store every row; refused rows are counted by reason. Rerunning the same
    file resumes after the last stored batch (or says it is already imported)."""
    if not database_url:
        fail("no database: pass --database-url or set DATABASE_URL")
    if not subject_id_key:
        fail("no subject-id key: pass --subject-id-key or set SUBJECT_ID_KEY (as the services)")
    result = asyncio.run(_run(path, database_url, subject_id_key, batch_size, progress))
    out = stdout()
    if result.already_done:
        out.print(f"{path.name}: already imported ({result.rows_stored} citizens)")
    else:
        resumed = f", resumed after row {result.resumed_from}" if result.resumed_from else ""
        out.print(
            f"{path.name}: {result.rows_read} rows read, {result.rows_stored} citizens stored, "
            f"{result.rows_refused} refused{resumed}"
        )
    for reason, n in result.refused.items():
        out.print(f"  refused {reason}: {n}")


async def _run(path: Path, url: str, key: str, batch_size: int, show: bool) -> ImportResult:
    from lienthong.db import create_pool
    from lienthong.subjects import SubjectIds
    from population_registry.bootstrap import MIGRATIONS
    from population_registry.entrypoints.importer import import_extract

    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    pool = await create_pool(url, MIGRATIONS, max_size=2)
    try:
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[rows]} rows"),
            TimeRemainingColumn(),
            disable=not show,
        ) as bar:
            task = bar.add_task(path.name, total=path.stat().st_size, rows=0)
            return await import_extract(
                pool,
                SubjectIds(key),
                path,
                today=today,
                batch_size=batch_size,
                on_progress=lambda done, total, rows: bar.update(task, completed=done, rows=rows),
            )
    finally:
        await pool.close()
