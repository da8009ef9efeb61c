"""SQL of the Project 06 figures that follow dossiers to a date: decisions per procedure and
unit, pending within due / pending overdue at the end of the window, births by registration
type, valid BHYT cards on a day, trends.

Why this exists: "pending overdue at 30 June" is a question about every dossier submitted
before that day, not about facts inside the window, and a corrected decision must count
once. Each figure is one grouped scan over indexed facts (``DISTINCT ON`` the decision index
for the latest decision known), never a correlated subquery per row; the report's queries
are checked with ``EXPLAIN`` in the integration tests.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from reporting.adapters.repository import checked_schema
from reporting.domain.report import Window

#: A fact recorded on a later Vietnamese calendar day than it happened is "late-recorded".
_VN_DAY = "(({col} AT TIME ZONE 'UTC') + interval '7 hours')::date"
_LATE = f"{_VN_DAY.format(col='{t}.recorded_at')} > {_VN_DAY.format(col='{t}.event_time')}"

_KNOWN = "($3 OR {t}.recorded_at < $5)"
_IN_UNITS = "($4::text[] IS NULL OR {t}.unit_code = ANY($4::text[]))"


def _args(window: Window, units: Collection[str] | None) -> tuple[object, ...]:
    return (
        window.start,
        window.end,
        window.include_corrections,
        list(units) if units is not None else None,
        window.known_by,
    )


@dataclass(frozen=True)
class ProcedureRow:
    procedure_code: str
    unit_code: str
    submitted: int
    decided: int
    approved: int
    acknowledged: int
    rejected: int
    on_time: int
    overdue: int
    late_recorded: int
    pending_within_due: int
    pending_overdue: int


def procedures_sql(schema: str) -> str:
    s = checked_schema(schema)
    return f"""
        WITH sub AS (
            SELECT f.dossier_id, f.procedure_code, f.unit_code, f.event_time, f.due_at
            FROM {s}.facts f
            WHERE f.kind = 'dossier_submitted' AND f.event_time < $2
              AND {_KNOWN.format(t="f")} AND {_IN_UNITS.format(t="f")}
        ), decision AS (
            SELECT DISTINCT ON (f.dossier_id) f.dossier_id, f.category, f.flag, f.event_time,
                   f.procedure_code, f.unit_code, {_LATE.format(t="f")} AS late
            FROM {s}.facts f
            WHERE f.kind = 'dossier_completed' AND f.event_time < $2
              AND {_KNOWN.format(t="f")} AND {_IN_UNITS.format(t="f")}
            ORDER BY f.dossier_id, f.seq DESC
        ), withdrawn AS (
            SELECT DISTINCT f.dossier_id FROM {s}.facts f
            WHERE f.kind = 'dossier_status' AND f.category = 'WITHDRAWN'
              AND f.event_time < $2 AND {_KNOWN.format(t="f")} AND {_IN_UNITS.format(t="f")}
        )
        SELECT COALESCE(s.procedure_code, d.procedure_code, 'UNKNOWN') AS procedure_code,
            COALESCE(s.unit_code, d.unit_code, 'UNKNOWN') AS unit_code,
            count(*) FILTER (WHERE s.event_time >= $1) AS submitted,
            count(*) FILTER (WHERE d.event_time >= $1) AS decided,
            count(*) FILTER (WHERE d.event_time >= $1 AND d.category = 'APPROVED') AS approved,
            count(*) FILTER (WHERE d.event_time >= $1 AND d.category = 'ACKNOWLEDGED')
                AS acknowledged,
            count(*) FILTER (WHERE d.event_time >= $1 AND d.category = 'REJECTED') AS rejected,
            count(*) FILTER (WHERE d.event_time >= $1 AND d.flag) AS on_time,
            count(*) FILTER (WHERE d.event_time >= $1 AND NOT d.flag) AS overdue,
            count(*) FILTER (WHERE d.event_time >= $1 AND d.late) AS late_recorded,
            count(*) FILTER (WHERE d.dossier_id IS NULL AND w.dossier_id IS NULL
                AND s.due_at >= $2) AS pending_within_due,
            count(*) FILTER (WHERE d.dossier_id IS NULL AND w.dossier_id IS NULL
                AND s.due_at < $2) AS pending_overdue
        FROM sub s
        -- a decision whose submission is not known (yet) still counts as a decision
        FULL JOIN decision d USING (dossier_id)
        LEFT JOIN withdrawn w USING (dossier_id)
        GROUP BY 1, 2"""


async def procedures(
    conn: asyncpg.Connection, schema: str, window: Window, units: Collection[str] | None
) -> list[ProcedureRow]:
    rows = await conn.fetch(procedures_sql(schema), *_args(window, units))
    return [ProcedureRow(r[0], r[1], *(int(r[i]) for i in range(2, 12))) for r in rows]


@dataclass(frozen=True)
class BirthRow:
    unit_code: str
    registration_type: str
    late_recorded: bool
    n: int


def births_sql(schema: str) -> str:
    s = checked_schema(schema)
    return f"""
        SELECT f.unit_code, COALESCE(f.reference, 'ON_TIME') AS registration_type,
               {_LATE.format(t="f")} AS late, count(*) AS n
        FROM {s}.facts f
        WHERE f.kind = 'civil_registration' AND f.category = 'BIRTH'
          AND f.event_time >= $1 AND f.event_time < $2
          AND {_KNOWN.format(t="f")} AND {_IN_UNITS.format(t="f")}
        GROUP BY 1, 2, 3"""


async def births(
    conn: asyncpg.Connection, schema: str, window: Window, units: Collection[str] | None
) -> list[BirthRow]:
    rows = await conn.fetch(births_sql(schema), *_args(window, units))
    return [
        BirthRow(r["unit_code"], r["registration_type"], bool(r["late"]), int(r["n"])) for r in rows
    ]


def valid_cards_sql(schema: str) -> str:
    s = checked_schema(schema)
    # A card is valid on the window's last day D when its cover started by D and ends after
    # D; each person counts once however many syncs repeat the card. Syncs before the
    # window's start count too ($1 is only typed here, the window start does not bound it).
    return f"""
        SELECT f.unit_code, count(DISTINCT f.reference) AS n
        FROM {s}.facts f
        WHERE f.kind = 'card_synced' AND $1::timestamptz < $2 AND f.event_time < $2
          AND f.starts_at <= $2 - interval '1 day' AND f.due_at > $2 - interval '1 day'
          AND {_KNOWN.format(t="f")} AND {_IN_UNITS.format(t="f")}
        GROUP BY 1"""


async def valid_cards(
    conn: asyncpg.Connection, schema: str, window: Window, units: Collection[str] | None
) -> dict[str, int]:
    rows = await conn.fetch(valid_cards_sql(schema), *_args(window, units))
    return {r["unit_code"]: int(r["n"]) for r in rows}


@dataclass(frozen=True)
class TrendRow:
    month: datetime
    submitted: int
    decided: int
    on_time: int
    overdue: int
    births: int


def trend_sql(schema: str) -> str:
    s = checked_schema(schema)
    month = "date_trunc('month', (f.event_time AT TIME ZONE 'UTC') + interval '7 hours')"
    return f"""
        WITH decision AS (
            SELECT DISTINCT ON (f.dossier_id) f.dossier_id, f.event_time, f.flag
            FROM {s}.facts f
            WHERE f.kind = 'dossier_completed' AND f.event_time < $2
              AND {_KNOWN.format(t="f")} AND {_IN_UNITS.format(t="f")}
            ORDER BY f.dossier_id, f.seq DESC
        ), monthly AS (
            SELECT {month} AS month, f.kind, f.category, NULL::boolean AS flag
            FROM {s}.facts f
            WHERE f.kind IN ('dossier_submitted', 'civil_registration')
              AND f.event_time >= $1 AND f.event_time < $2
              AND {_KNOWN.format(t="f")} AND {_IN_UNITS.format(t="f")}
            UNION ALL
            SELECT {month}, 'decision', NULL, f.flag FROM decision f WHERE f.event_time >= $1
        )
        SELECT month,
            count(*) FILTER (WHERE kind = 'dossier_submitted') AS submitted,
            count(*) FILTER (WHERE kind = 'decision') AS decided,
            count(*) FILTER (WHERE kind = 'decision' AND flag) AS on_time,
            count(*) FILTER (WHERE kind = 'decision' AND NOT flag) AS overdue,
            count(*) FILTER (WHERE kind = 'civil_registration' AND category = 'BIRTH') AS births
        FROM monthly GROUP BY month ORDER BY month"""


async def trend(
    conn: asyncpg.Connection, schema: str, window: Window, units: Collection[str] | None
) -> list[TrendRow]:
    rows = await conn.fetch(trend_sql(schema), *_args(window, units))
    return [
        TrendRow(
            r["month"],
            int(r["submitted"]),
            int(r["decided"]),
            int(r["on_time"]),
            int(r["overdue"]),
            int(r["births"]),
        )
        for r in rows
    ]


async def explain(
    conn: asyncpg.Connection, sql: str, window: Window, units: Collection[str] | None
) -> str:
    """The plan PostgreSQL runs for one report query (for tests and the bench)."""
    rows = await conn.fetch("EXPLAIN " + sql, *_args(window, units))
    return "\n".join(r[0] for r in rows)
