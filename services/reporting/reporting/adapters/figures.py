"""SQL of the Project 06 figures: aggregates over one projection version's facts."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from reporting.adapters.repository import checked_schema
from reporting.domain.report import CountRow, Durations, ListedFact, Window


@dataclass(frozen=True)
class _Sql:
    text: str
    args: tuple[object, ...]


def _scoped(schema: str, window: Window, units: Collection[str] | None, select: str) -> _Sql:
    """Facts in the window, known as of its end (unless corrections are asked for), with the
    unit of facts that carry none resolved from their dossier or bundle."""
    s = checked_schema(schema)
    text = f"""
        WITH scoped AS (
            SELECT f.*, COALESCE(f.unit_code, d.unit_code, b.unit_code) AS unit
            FROM {s}.facts f
            LEFT JOIN {s}.facts d ON f.unit_code IS NULL AND d.kind = 'dossier_submitted'
                AND d.dossier_id = f.dossier_id
            LEFT JOIN {s}.facts b ON f.unit_code IS NULL AND b.kind = 'bundle_started'
                AND b.bundle_id = f.bundle_id
            WHERE f.event_time >= $1 AND f.event_time < $2
              AND ($3 OR f.recorded_at < $5)
        ), chosen AS (
            SELECT * FROM scoped WHERE $4::text[] IS NULL OR unit = ANY($4::text[])
        )
        {select}"""
    return _Sql(
        text,
        (
            window.start,
            window.end,
            window.include_corrections,
            list(units) if units is not None else None,
            window.known_by,
        ),
    )


async def counts(
    conn: asyncpg.Connection, schema: str, window: Window, units: Collection[str] | None
) -> list[CountRow]:
    sql = _scoped(
        schema,
        window,
        units,
        """SELECT kind, category, procedure_code, channel, unit, flag, count(*) AS n,
                  COALESCE(sum(duration_s), 0) AS total
           FROM chosen c WHERE kind <> 'dossier_status'
             -- a corrected decision time re-emits DossierCompleted: count the latest known
             AND NOT (kind = 'dossier_completed' AND EXISTS (
                 SELECT 1 FROM chosen later WHERE later.kind = 'dossier_completed'
                   AND later.dossier_id = c.dossier_id AND later.seq > c.seq))
           GROUP BY kind, category, procedure_code, channel, unit, flag""",
    )
    rows = await conn.fetch(sql.text, *sql.args)
    return [
        CountRow(
            r["kind"],
            r["category"],
            r["procedure_code"],
            r["channel"],
            r["unit"],
            r["flag"],
            int(r["n"]),
            float(r["total"]),
        )
        for r in rows
    ]


async def latest_statuses(
    conn: asyncpg.Connection, schema: str, window: Window, units: Collection[str] | None
) -> dict[str, int]:
    sql = _scoped(
        schema,
        window,
        units,
        """SELECT category, count(*) AS n FROM (
               SELECT DISTINCT ON (dossier_id) category FROM chosen
               WHERE kind = 'dossier_status' ORDER BY dossier_id, seq DESC, recorded_at DESC
           ) latest GROUP BY category""",
    )
    return {r["category"]: int(r["n"]) for r in await conn.fetch(sql.text, *sql.args)}


async def bundle_durations(
    conn: asyncpg.Connection, schema: str, window: Window, units: Collection[str] | None
) -> dict[str, Durations]:
    sql = _scoped(
        schema,
        window,
        units,
        """SELECT category, avg(duration_s) AS mean,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_s) AS p90
           FROM chosen WHERE kind = 'bundle_completed' GROUP BY category""",
    )
    return {
        r["category"]: Durations(float(r["mean"]), float(r["p90"]))
        for r in await conn.fetch(sql.text, *sql.args)
    }


async def listed(
    conn: asyncpg.Connection,
    schema: str,
    window: Window,
    units: Collection[str] | None,
    kinds: Collection[str],
    limit: int = 50,
) -> list[ListedFact]:
    sql = _scoped(
        schema,
        window,
        units,
        """SELECT kind, event_time, dossier_id, bundle_id, unit, category, reference
           FROM chosen WHERE kind = ANY($6::text[]) ORDER BY event_time DESC LIMIT $7""",
    )
    rows = await conn.fetch(sql.text, *sql.args, list(kinds), limit)
    return [
        ListedFact(
            r["kind"],
            r["event_time"],
            str(r["dossier_id"]) if r["dossier_id"] else None,
            str(r["bundle_id"]) if r["bundle_id"] else None,
            r["unit"],
            r["category"],
            r["reference"],
        )
        for r in rows
    ]


async def last_recorded(conn: asyncpg.Connection, schema: str) -> datetime | None:
    value: datetime | None = await conn.fetchval(
        f"SELECT max(recorded_at) FROM {checked_schema(schema)}.facts"
    )
    return value
