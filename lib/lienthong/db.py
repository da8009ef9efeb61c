"""PostgreSQL access: connection pools and versioned SQL migrations.

Why this exists: every service owns one database, and its schema only changes through
numbered SQL files applied in order at start-up (``NNNN_description.sql``), each once,
recorded with a checksum so an edited migration is caught instead of silently diverging.
The platform's own tables (outbox, inbox, dead letters) come first, then the service's.
An advisory lock keeps two replicas from migrating at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg

PLATFORM_MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_ID = 0x6C69656E  # "lien"


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Migration:
    id: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(*directories: Path) -> list[Migration]:
    found: list[Migration] = []
    for directory in directories:
        for path in sorted(directory.glob("[0-9][0-9][0-9][0-9]_*.sql")):
            found.append(Migration(f"{directory.name}/{path.name}", path.read_text("utf-8")))
    return found


async def migrate(conn: asyncpg.Connection, migrations: Sequence[Migration]) -> list[str]:
    """Apply pending migrations in order; returns the ids applied now."""
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_ID)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   id text PRIMARY KEY,
                   checksum text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now())"""
        )
        rows = await conn.fetch("SELECT id, checksum FROM schema_migrations")
        applied = {r["id"]: r["checksum"] for r in rows}
        done: list[str] = []
        for m in migrations:
            if m.id in applied:
                if applied[m.id] != m.checksum:
                    raise MigrationError(f"migration {m.id} was edited after it was applied")
                continue
            async with conn.transaction():
                await conn.execute(m.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)",
                    m.id,
                    m.checksum,
                )
            done.append(m.id)
        return done
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_ID)


async def create_pool(
    dsn: str, *service_migrations: Path, min_size: int = 1, max_size: int = 10
) -> asyncpg.Pool:
    """A pool on a migrated database: platform tables, then the service's migrations."""
    pool = await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size)
    async with pool.acquire() as conn:
        await migrate(conn, discover(PLATFORM_MIGRATIONS, *service_migrations))
    return pool
