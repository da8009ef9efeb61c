"""Runs the registered benchmarks, prints ``name: value unit`` lines, writes ``bench.json``.

Why this exists: a figure means little without the machine's raw limit measured at the
same moment (a loaded laptop halves both). Later issues add their figures to ``SUITES`` so
every number lands in one file: ``.local/bench.json`` as ``{"name": {"value", "unit"}}``.
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from lienthong_tools.devstack import REPO


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str

    def line(self) -> str:
        shown = f"{self.value:.0f}" if self.value >= 100 else f"{self.value:.3g}"
        return f"{self.name}: {shown} {self.unit}"


Suite = Callable[[], Awaitable[list[Figure]]]

# "module:function" of each suite, run in this order; raw limits first.
SUITES: tuple[str, ...] = (
    "lienthong_tools.bench.raw:codec",
    "lienthong_tools.bench.raw:kafka",
    "lienthong_tools.bench.mapping:records",
    "lienthong_tools.bench.personal:codec_and_keys",
    "lienthong_tools.bench.skeleton:birth_bundle_latency",
    "lienthong_tools.bench.digitization:upload_download",
    "lienthong_tools.bench.reporting:replay_rate",
    "lienthong_tools.bench.reporting:event_to_dashboard",
    "lienthong_tools.bench.province:province",
    "lienthong_tools.bench.population:population_import",
    "lienthong_tools.bench.identity:quality",
    "lienthong_tools.bench.identity:through_database",
    "lienthong_tools.bench.pipeline:birth_bundles",
    "lienthong_tools.bench.identity_e2e:end_to_end",
    "lienthong_tools.bench.personal:birth_bundles_sealed_vs_clear",
)


def _load(path: str) -> Suite:
    module, name = path.split(":")
    suite: Suite = getattr(importlib.import_module(module), name)
    return suite


async def run(only: str | None, output: Path, emit: Callable[[str], None]) -> dict[str, Figure]:
    figures: dict[str, Figure] = {}
    for path in SUITES:
        if only and only not in path:
            continue
        for figure in await _load(path)():
            figures[figure.name] = figure
            emit(figure.line())
    output.parent.mkdir(parents=True, exist_ok=True)
    previous: dict[str, dict[str, float | str]] = {}
    if only and output.exists():
        previous = json.loads(output.read_text())
    previous.update(
        {f.name: {"value": round(f.value, 3), "unit": f.unit} for f in figures.values()}
    )
    output.write_text(json.dumps(previous, indent=2, sort_keys=True) + "\n")
    return figures


def main(
    only: str | None = None, output: Path | None = None, emit: Callable[[str], None] = print
) -> None:
    asyncio.run(run(only, output or REPO / ".local" / "bench.json", emit))
