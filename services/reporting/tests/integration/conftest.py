"""Real PostgreSQL and Kafka: a fresh database and reporting's topics under a fresh prefix."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest_asyncio

from lienthong.bench.reporting import delete_topics, provision_reporting_topics
from lienthong.devstack import pg_base


@pytest_asyncio.fixture
async def database() -> AsyncIterator[str]:
    name = "it_reporting_" + uuid.uuid4().hex[:10]
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{pg_base()}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest_asyncio.fixture
async def prefix() -> AsyncIterator[str]:
    """Reporting's consumed topics, created under a random prefix; deleted afterwards."""
    value = f"it{uuid.uuid4().hex[:8]}."
    await asyncio.to_thread(provision_reporting_topics, value)
    yield value
    await asyncio.to_thread(delete_topics, value)
