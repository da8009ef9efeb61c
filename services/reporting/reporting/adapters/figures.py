"""SQL of the Project 06 figures: aggregates over one projection version's facts."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from lienthong.vn.units import Layout
from reporting.adapters.repository import checked_schema
from reporting.domain.report import CountRow, Durations, ListedFact, Window
from reporting.domain.units import UnitCount


@dataclass(frozen=True)
class _Sql:
    text: str
    args: tuple[object, ...]


#: Fact kinds counted per dossier or per person by ``adapters.project06``, never here.
_COUNTED_ELSEWHERE = "('dossier_status', 'dossier_completed', 'card_synced')"


def _scoped(
    schema: str,
    window: Window,
    units: Collection[str] | None,
    select: str,
    kinds: str = "",
) -> _Sql:
    """Facts in the window, known as of its end (unless corrections are asked for), with the
    unit of facts that carry none resolved from their dossier or bundle."""
    s = checked_schema(schema)
    text = f"""
        WITH scoped AS (
            -- COALESCE evaluates a look-up only for a fact without a unit: one index probe
            -- each, instead of hashing every submission of the province for the few.
            SELECT f.*, COALESCE(
                f.unit_code,
                (SELECT d.unit_code FROM {s}.facts d WHERE d.dossier_id = f.dossier_id
                    AND d.kind = 'dossier_submitted' LIMIT 1),
                (SELECT b.unit_code FROM {s}.facts b WHERE b.bundle_id = f.bundle_id
                    AND b.kind = 'bundle_started' LIMIT 1)) AS unit
            FROM {s}.facts f
            WHERE f.event_time >= $1 AND f.event_time < $2
              AND ($3 OR f.recorded_at < $5) {kinds}
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
           FROM chosen c
           GROUP BY kind, category, procedure_code, channel, unit, flag""",
        # decisions and card syncs are counted per dossier and person by adapters.project06
        kinds=f"AND f.kind NOT IN {_COUNTED_ELSEWHERE}",
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
        kinds="AND f.kind = 'dossier_status'",
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
        kinds="AND f.kind = 'bundle_completed'",
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
           FROM chosen ORDER BY event_time DESC LIMIT $7""",
        kinds="AND f.kind = ANY($6::text[])",
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


# --- the walking skeleton's read models, now aggregates over the live version's facts ----


async def dossier_view(
    conn: asyncpg.Connection, schema: str, dossier_id: uuid.UUID
) -> dict[str, Any] | None:
    """One dossier as the original ``GET /dossiers/{id}`` shows it, or None if its
    submission has not been projected. A bundle start's ``duration_s`` is the time it was
    allowed (deadline − start); the latest bundle about the dossier is shown."""
    s = checked_schema(schema)
    row = await conn.fetchrow(
        f"""
        WITH submitted AS (
            SELECT * FROM {s}.facts WHERE kind = 'dossier_submitted' AND dossier_id = $1
            ORDER BY recorded_at DESC, event_id DESC LIMIT 1
        ), checks AS (
            SELECT count(*) AS n, count(*) FILTER (WHERE category <> 'VERIFIED') AS mismatches
            FROM {s}.facts WHERE kind = 'identity_checked' AND dossier_id = $1
        ), latest AS (
            SELECT bundle_id FROM {s}.facts
            WHERE kind IN ('bundle_started', 'bundle_completed') AND dossier_id = $1
            ORDER BY event_time DESC, recorded_at DESC LIMIT 1
        ), started AS (
            SELECT f.* FROM {s}.facts f JOIN latest USING (bundle_id)
            WHERE f.kind = 'bundle_started' ORDER BY f.recorded_at DESC LIMIT 1
        ), completed AS (
            SELECT f.* FROM {s}.facts f JOIN latest USING (bundle_id)
            WHERE f.kind = 'bundle_completed' ORDER BY f.recorded_at DESC LIMIT 1
        )
        SELECT d.dossier_id, d.reference AS dossier_code, d.procedure_code, d.channel,
               d.unit_code, d.event_time AS submitted_at,
               checks.n AS identity_checks, checks.mismatches AS identity_mismatches,
               latest.bundle_id,
               COALESCE(completed.category, started.category) AS bundle_type,
               CASE WHEN completed.event_id IS NOT NULL THEN 'COMPLETED'
                    WHEN started.event_id IS NOT NULL THEN 'STARTED' END AS bundle_status,
               started.event_time AS bundle_started_at,
               started.event_time + make_interval(secs => started.duration_s)
                   AS bundle_deadline_at,
               completed.event_time AS bundle_completed_at,
               completed.flag AS bundle_on_time
        FROM submitted d CROSS JOIN checks
        LEFT JOIN latest ON true
        LEFT JOIN started ON true
        LEFT JOIN completed ON true
        """,
        dossier_id,
    )
    return dict(row) if row is not None else None


@dataclass(frozen=True)
class Summary:
    dossiers: list[tuple[str, str, str, int]]
    identity_outcomes: dict[str, int]
    bundles: list[tuple[str, str, int, int, int]]


async def summary(conn: asyncpg.Connection, schema: str) -> Summary:
    """All-time counts: dossiers by procedure, channel and unit; identity outcomes; linked
    bundles started, completed and on time by type and unit."""
    s = checked_schema(schema)
    dossiers = await conn.fetch(
        f"""SELECT procedure_code, channel, unit_code, count(*) AS n FROM {s}.facts
            WHERE kind = 'dossier_submitted' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""
    )
    outcomes = await conn.fetch(
        f"""SELECT category, count(*) AS n FROM {s}.facts WHERE kind = 'identity_checked'
            GROUP BY 1 ORDER BY 1"""
    )
    bundles = await conn.fetch(
        f"""SELECT category, unit_code,
                   count(*) FILTER (WHERE kind = 'bundle_started') AS started,
                   count(*) FILTER (WHERE kind = 'bundle_completed') AS completed,
                   count(*) FILTER (WHERE kind = 'bundle_completed' AND flag) AS on_time
            FROM {s}.facts WHERE kind IN ('bundle_started', 'bundle_completed')
            GROUP BY 1, 2 ORDER BY 1, 2"""
    )
    return Summary(
        [(r["procedure_code"], r["channel"], r["unit_code"], int(r["n"])) for r in dossiers],
        {r["category"]: int(r["n"]) for r in outcomes},
        [
            (
                r["category"],
                r["unit_code"],
                int(r["started"]),
                int(r["completed"]),
                int(r["on_time"]),
            )
            for r in bundles
        ],
    )


async def unit_counts(
    conn: asyncpg.Connection,
    schema: str,
    window: Window,
    units: Collection[str] | None,
    kinds: Collection[str],
    reform_starts: datetime,
) -> list[UnitCount]:
    """Facts of ``kinds`` per recorded unit code and layout (a fact from ``reform_starts``
    on was recorded in the 2025 layout), for ``reporting.domain.units.UnitTree.roll_up``."""
    sql = _scoped(
        schema,
        window,
        units,
        """SELECT unit, event_time >= $6 AS reformed, count(*) AS n
           FROM chosen WHERE kind = ANY($7::text[])
           GROUP BY unit, reformed""",
    )
    rows = await conn.fetch(sql.text, *sql.args, reform_starts, list(kinds))
    return [
        UnitCount(r["unit"], Layout.REFORM_2025 if r["reformed"] else Layout.LEGACY, int(r["n"]))
        for r in rows
    ]
