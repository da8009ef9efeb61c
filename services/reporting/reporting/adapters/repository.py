"""All SQL of reporting's fact projections, projection versions and the audit chain."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from reporting.domain.audit import (
    CHECKPOINT_EVERY,
    AuditEntry,
    Head,
    StoredEntry,
    chain_hash,
)
from reporting.domain.facts import COLUMNS, Fact

_SCHEMA = re.compile(r"^projection_v[0-9]+$")
_INSERT_COLUMNS = ", ".join(COLUMNS)
_PLACEHOLDERS = ", ".join(f"${i}" for i in range(1, len(COLUMNS) + 1))
AUDIT_LOCK = 0x61756474  # "audt"


def checked_schema(name: str) -> str:
    """A version schema name, safe to put in SQL text (it comes from our own table)."""
    if not _SCHEMA.match(name):
        raise ValueError(f"not a projection schema: {name!r}")
    return name


@dataclass(frozen=True)
class Version:
    version: int
    schema_name: str
    state: str


async def versions(conn: asyncpg.Connection) -> list[Version]:
    rows = await conn.fetch(
        "SELECT version, schema_name, state FROM projection_versions ORDER BY version"
    )
    return [Version(r["version"], checked_schema(r["schema_name"]), r["state"]) for r in rows]


async def live_schema(conn: asyncpg.Connection) -> str:
    name = await conn.fetchval("SELECT schema_name FROM projection_versions WHERE state = 'live'")
    return checked_schema(str(name))


async def add_fact(conn: asyncpg.Connection, fact: Fact) -> None:
    """Into the live version and any version being rebuilt; a duplicate is ignored."""
    targets = await conn.fetch(
        "SELECT schema_name FROM projection_versions WHERE state IN ('live', 'building')"
    )
    for target in targets:
        schema = checked_schema(target["schema_name"])
        await conn.execute(
            f"INSERT INTO {schema}.facts ({_INSERT_COLUMNS}) VALUES ({_PLACEHOLDERS}) "
            "ON CONFLICT (event_id) DO NOTHING",
            *fact.row(),
        )


async def create_version(conn: asyncpg.Connection) -> Version:
    next_version = await conn.fetchval(
        "SELECT COALESCE(max(version), 0) + 1 FROM projection_versions"
    )
    schema = await conn.fetchval("SELECT create_projection_version($1)", next_version)
    return Version(int(next_version), checked_schema(str(schema)), "building")


async def copy_facts(
    conn: asyncpg.Connection, schema: str, rows: Sequence[tuple[Any, ...]]
) -> None:
    """Bulk-load facts (COPY into a staging table, then insert what is not there yet)."""
    async with conn.transaction():
        await conn.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS replay_staging "
            f"(LIKE {checked_schema(schema)}.facts) ON COMMIT DELETE ROWS"
        )
        await conn.copy_records_to_table("replay_staging", records=rows, columns=list(COLUMNS))
        # DO NOTHING also drops a duplicate within the batch (no DISTINCT ON sort needed).
        await conn.execute(
            f"INSERT INTO {checked_schema(schema)}.facts SELECT * FROM replay_staging "
            "ON CONFLICT (event_id) DO NOTHING"
        )


async def switch_live(conn: asyncpg.Connection, version: int) -> None:
    async with conn.transaction():
        await conn.execute(
            "UPDATE projection_versions SET state = 'retired', switched_at = clock_timestamp() "
            "WHERE state = 'live'"
        )
        await conn.execute(
            "UPDATE projection_versions SET state = 'live', switched_at = clock_timestamp() "
            "WHERE version = $1",
            version,
        )


async def abandon(conn: asyncpg.Connection, version: int) -> None:
    await conn.execute(
        "UPDATE projection_versions SET state = 'retired' "
        "WHERE version = $1 AND state = 'building'",
        version,
    )


async def export(conn: asyncpg.Connection, schema: str) -> list[tuple[Any, ...]]:
    """Every fact of a version, in a stable order: what two versions are compared by."""
    rows = await conn.fetch(
        f"SELECT {_INSERT_COLUMNS} FROM {checked_schema(schema)}.facts ORDER BY event_id"
    )
    return [tuple(r) for r in rows]


# --- audit chain -------------------------------------------------------------------------


async def append_audit(conn: asyncpg.Connection, entry_without_seq: AuditEntry) -> AuditEntry:
    """Append to the chain in the caller's transaction (the head row lock orders appends)."""
    head = await conn.fetchrow("SELECT seq, hash FROM audit_head FOR UPDATE")
    seq = int(head["seq"]) + 1
    entry = AuditEntry(**{**entry_without_seq.__dict__, "seq": seq})
    digest = chain_hash(head["hash"], entry)
    await conn.execute(
        """INSERT INTO audit_log (seq, event_id, event_type, topic, event_time, recorded_at,
               source, actor, subjects, dossier_id, body, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)""",
        seq,
        entry.event_id,
        entry.event_type,
        entry.topic,
        entry.event_time,
        entry.recorded_at,
        entry.source,
        entry.actor,
        list(entry.subjects),
        entry.dossier_id,
        json.dumps(entry.body),
        head["hash"],
        digest,
    )
    await conn.execute("UPDATE audit_head SET seq = $1, hash = $2", seq, digest)
    if seq % CHECKPOINT_EVERY == 0:
        await conn.execute("INSERT INTO audit_checkpoints (seq, hash) VALUES ($1, $2)", seq, digest)
    return entry


def _stored(row: asyncpg.Record) -> StoredEntry:
    return StoredEntry(
        AuditEntry(
            seq=row["seq"],
            event_id=row["event_id"],
            event_type=row["event_type"],
            topic=row["topic"],
            event_time=row["event_time"],
            recorded_at=row["recorded_at"],
            source=row["source"],
            actor=row["actor"],
            subjects=tuple(row["subjects"]),
            dossier_id=row["dossier_id"],
            body=json.loads(row["body"]),
        ),
        row["prev_hash"],
        row["hash"],
    )


async def audit_chain(conn: asyncpg.Connection) -> tuple[list[StoredEntry], list[Head], Head]:
    rows = await conn.fetch("SELECT * FROM audit_log ORDER BY seq")
    points = await conn.fetch("SELECT seq, hash FROM audit_checkpoints ORDER BY seq")
    head = await conn.fetchrow("SELECT seq, hash FROM audit_head")
    return (
        [_stored(r) for r in rows],
        [Head(p["seq"], p["hash"]) for p in points],
        Head(head["seq"], head["hash"]),
    )


async def audit_trail(
    conn: asyncpg.Connection, *, dossier_id: str | None = None, subject_id: str | None = None
) -> list[StoredEntry]:
    if dossier_id is not None:
        rows = await conn.fetch(
            "SELECT * FROM audit_log WHERE dossier_id = $1 ORDER BY event_time, seq", dossier_id
        )
    else:
        rows = await conn.fetch(
            "SELECT * FROM audit_log WHERE subjects @> ARRAY[$1::text] ORDER BY event_time, seq",
            subject_id,
        )
    return [_stored(r) for r in rows]
