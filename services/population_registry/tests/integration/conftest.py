"""A fresh, migrated population-registry database on the real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest_asyncio

from lienthong.db import create_pool
from lienthong.devstack import pg_base
from population_registry.bootstrap import MIGRATIONS


@pytest_asyncio.fixture
async def pool() -> AsyncIterator[asyncpg.Pool]:
    name = "it_" + uuid.uuid4().hex[:10]
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    migrated = await create_pool(f"{pg_base()}/{name}", MIGRATIONS)
    try:
        yield migrated
    finally:
        await migrated.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
