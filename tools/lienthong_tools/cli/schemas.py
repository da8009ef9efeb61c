"""``lienthong schemas``: check the contracts in ``schemas/`` and generate the AsyncAPI document.

Why this exists: CI and developers need one command that says whether the schemas, their
compatibility and the topic catalog are all sound (``check``), and one that keeps the
published AsyncAPI document in step with them (``asyncapi``, with ``--check`` for CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from lienthong.contracts.catalog import CATALOG_FILE, Catalog, CatalogError, load_catalog
from lienthong.contracts.personal import personal_fields, personal_marking_problems
from lienthong.contracts.schemas import (
    SCHEMAS_DIR_ENV,
    SchemaSet,
    SchemaValidationError,
    default_schemas_dir,
    load_schema_set,
)
from lienthong_tools.cli import fail, report_problems, stdout
from lienthong_tools.contracts.asyncapi import default_asyncapi_path, render_asyncapi
from lienthong_tools.contracts.compatibility import check_compatibility

app = typer.Typer(no_args_is_help=True, help="Check event schemas and generate AsyncAPI.")

SchemasDirOption = Annotated[
    Path | None,
    typer.Option(
        "--schemas-dir",
        envvar=SCHEMAS_DIR_ENV,
        file_okay=False,
        help="The schemas/ directory (events/ and catalog.yaml). Default: the repository's.",
    ),
]


@app.command()
def check(schemas_dir: SchemasDirOption = None) -> None:
    """Validate every schema, FULL_TRANSITIVE compatibility and the topic catalog."""
    root = schemas_dir or default_schemas_dir()
    try:
        schemas = load_schema_set(root)
    except SchemaValidationError as exc:
        report_problems(exc.problems)
    problems = [str(problem) for problem in check_compatibility(schemas)]
    problems.extend(personal_marking_problems(schemas))
    catalog: Catalog | None = None
    try:
        catalog = load_catalog(schemas, root / CATALOG_FILE)
    except CatalogError as exc:
        problems.extend(exc.problems)
    if problems or catalog is None:
        report_problems(problems)
    _print_summary(schemas, catalog)


@app.command()
def asyncapi(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="Where to write the document ('-' for stdout). Default: docs/asyncapi.yaml.",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if the file is not up to date."),
    ] = False,
    schemas_dir: SchemasDirOption = None,
) -> None:
    """Generate the AsyncAPI 3.0 document of every topic and event."""
    root = schemas_dir or default_schemas_dir()
    schemas, catalog = _load(root)
    text = render_asyncapi(schemas, catalog)
    target = output or default_asyncapi_path()
    if str(target) == "-":
        if check:
            fail("--check needs a file, not '-'")
        typer.echo(text, nl=False)
        return
    if check:
        try:
            current = target.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            fail(f"{target} is out of date; run `lienthong schemas asyncapi` and commit it")
        stdout().print(f"{target} is up to date")
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror or exc}")
    stdout().print(f"wrote {target}")


def load_contracts(schemas_dir: Path | None) -> tuple[SchemaSet, Catalog]:
    """Schemas and catalog for a command, or one red line per problem and exit 1."""
    return _load(schemas_dir or default_schemas_dir())


def _load(root: Path) -> tuple[SchemaSet, Catalog]:
    try:
        schemas = load_schema_set(root)
        return schemas, load_catalog(schemas, root / CATALOG_FILE)
    except (SchemaValidationError, CatalogError) as exc:
        report_problems(exc.problems)


def _print_summary(schemas: SchemaSet, catalog: Catalog) -> None:
    console = stdout()
    for name in schemas.names():
        topics = ", ".join(topic.name for topic in catalog.topics_for_event(name))
        marks = ", ".join(f"{f.path}={f.kind}" for f in personal_fields(schemas.latest(name)))
        personal = escape(f" [personal: {marks}]") if marks else ""
        console.print(f"{name} v{schemas.latest_version_number(name)} -> {topics}{personal}")
    version_count = sum(1 for _ in schemas.all_versions())
    console.print(
        f"[green]ok[/green]: {len(schemas)} event types, {version_count} schema versions,"
        " FULL_TRANSITIVE compatible, personal fields marked;"
        f" {len(catalog.topics())} topics + {len(catalog.dead_letter_topics())} dead-letter topics"
    )


@app.command()
def generate(
    check: Annotated[
        bool, typer.Option("--check", help="fail if the committed module is out of date")
    ] = False,
) -> None:
    """Write lienthong/contracts/events.py: one msgspec Struct per schema version."""
    from lienthong_tools.contracts.generate import default_output_path
    from lienthong_tools.contracts.generate import generate as generate_events

    schemas, _ = load_contracts(None)
    text = generate_events(schemas)
    target = default_output_path()
    if check:
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            fail(f"{target} is out of date; run `make schemas` and commit it")
        stdout().print(f"{target} is up to date")
        return
    target.write_text(text, encoding="utf-8")
    stdout().print(f"wrote {target}")
