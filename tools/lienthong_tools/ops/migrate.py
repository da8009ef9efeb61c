"""Apply a service's migrations outside the service: the pre-install/upgrade Job and compose init.

Why this exists: services migrate at start-up (``lienthong.db.create_pool``), but a rollout
should find the schema ready: replicas then start fast and a broken migration fails the
release's Job instead of crash-looping every pod. Same files, same advisory lock, same
checksums as the start-up path, so running both is harmless.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from lienthong.db import PLATFORM_MIGRATIONS, discover, migrate
from lienthong_tools.ops.components import Component


def migrations_dir(comp: Component) -> Path:
    """``<module>/migrations`` of the installed package (works in the image and in the repo)."""
    spec = importlib.util.find_spec(comp.module)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"{comp.module} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "migrations"


def database_url(server_url: str, database: str) -> str:
    """``server_url`` (``postgresql://user@host:port``, any path ignored) on ``database``."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


async def create_database_if_missing(dsn: str) -> bool:
    """Create the database ``dsn`` names (connecting to ``postgres`` on the same server)."""
    parts = urlsplit(dsn)
    name = parts.path.lstrip("/")
    if not name or '"' in name:
        raise ValueError(f"no usable database name in {parts.netloc}{parts.path}")
    admin = await asyncpg.connect(database_url(dsn, "postgres"))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists:
            return False
        await admin.execute(f'CREATE DATABASE "{name}"')
        return True
    finally:
        await admin.close()


async def migrate_component(
    comp: Component, dsn: str, *, create_database: bool = False
) -> list[str]:
    """Apply the platform's then the component's pending migrations; returns the ids applied."""
    if create_database:
        await create_database_if_missing(dsn)
    conn = await asyncpg.connect(dsn)
    try:
        return await migrate(conn, discover(PLATFORM_MIGRATIONS, migrations_dir(comp)))
    finally:
        await conn.close()
