"""The ``lienthong`` Typer app; each area of the platform mounts its sub-app here.

Why this exists: one small composition point, so adding a command group (demo, bench,
replay...) is one import and one ``add_typer`` line, without touching other groups.
"""

from __future__ import annotations

import typer

from lienthong_tools.cli import bench, dev, keys, kit, ops, population, replay, schemas, topics

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    help="Operate and check the lienthong event backbone.",
)
app.add_typer(schemas.app, name="schemas")
app.add_typer(topics.app, name="topics")
app.add_typer(dev.app, name="dev")
app.add_typer(bench.app, name="bench")
app.add_typer(ops.app, name="ops")
app.add_typer(replay.app, name="replay")
app.add_typer(keys.app, name="keys")
app.add_typer(population.app, name="population")
app.add_typer(kit.app, name="kit")
