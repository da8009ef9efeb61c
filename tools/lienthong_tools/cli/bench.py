"""``lienthong bench``: measure the platform beside the machine's raw limits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Benchmarks; figures go to .local/bench.json.")


@app.callback(invoke_without_command=True)
def bench(
    only: Annotated[
        str | None, typer.Option(help="run only suites whose path contains this")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="where to write the figures")] = None,
) -> None:
    """Run the benchmarks; prints one 'name: value unit' line per figure."""
    from lienthong_tools.bench import runner

    runner.main(only, output)
