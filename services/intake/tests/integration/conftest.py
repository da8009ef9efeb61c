"""Fixtures on the real PostgreSQL (started by ``scripts/dev-up.sh``): a fresh database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest_asyncio

from lienthong.devstack import pg_base


@pytest_asyncio.fixture
async def database() -> AsyncIterator[str]:
    """A fresh, empty database; dropped afterwards."""
    name = "it_intake_" + uuid.uuid4().hex[:10]
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{pg_base()}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
