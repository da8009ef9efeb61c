"""Figures per administrative unit, in the layout of their day or on today's 2025 units."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import asyncpg

from lienthong.vn.units import REFORM_DATE, Level
from reporting.adapters import figures, repository
from reporting.domain.report import start_of
from reporting.domain.units import Target, UnitTree
from reporting.service_layer.project06 import ReportRequest

DOSSIER_KINDS = ("dossier_submitted",)


async def counts_by_unit(
    pool: asyncpg.Pool,
    request: ReportRequest,
    tree: UnitTree,
    level: Level,
    target: Target,
    kinds: Collection[str] = DOSSIER_KINDS,
) -> dict[str, Any]:
    """Facts of ``kinds`` in the request's window per unit of ``level``: in the layout of
    each fact's day (``recorded``) or re-aggregated onto 2025 units (``2025``); totals equal
    across targets, anything not placeable at the level shown as ``unallocated``."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        schema = await repository.live_schema(conn)
        counts = await figures.unit_counts(
            conn, schema, request.window, request.units, kinds, start_of(REFORM_DATE)
        )
    rolled = tree.roll_up(counts, level, target, name_on=request.last)
    return {
        "from": request.first.isoformat(),
        "to": request.last.isoformat(),
        "as_of": request.as_of.isoformat() if request.as_of else None,
        "unit": request.unit,
        "unit_name": tree.name_of(request.unit) if request.unit else None,
        "kinds": list(kinds),
        "target": target.value,
        "level": level.value,
        "rows": [
            {"code": code, "name_vi": rolled.names[code], "n": n}
            for code, n in rolled.counts.items()
        ],
        "unallocated": rolled.unallocated,
        "total": rolled.total,
    }
