"""A fresh, migrated population-registry database on the real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest_asyncio

from lienthong.db import create_pool
from population_registry.bootstrap import MIGRATIONS


@pytest_asyncio.fixture
async def pool(database: str) -> AsyncIterator[asyncpg.Pool]:
    migrated = await create_pool(database, MIGRATIONS)
    try:
        yield migrated
    finally:
        await migrated.close()
