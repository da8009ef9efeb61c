"""Pytest fixtures on the real broker and PostgreSQL, shared by every package's tests.

Why this exists: the integration tiers of the library, the tools and each service need the
same few things — a fresh database, a fresh topic with its dead-letter topic — and a copy
of the same ``conftest.py`` per package drifts. The root ``conftest.py`` loads this plugin;
a package's own ``conftest.py`` keeps only what is specific to it (a migrated pool, a
service in-process).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
import pytest_asyncio
from confluent_kafka.admin import AdminClient
from confluent_kafka.cimpl import NewTopic

from lienthong_tools.devstack import kafka_bootstrap, pg_base


async def create_database(prefix: str = "it_") -> str:
    """Create an empty database named ``prefix`` + random hex; return its URL."""
    name = prefix + uuid.uuid4().hex[:10]
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{pg_base()}/{name}"


async def drop_database(url: str) -> None:
    """Drop the database of ``url`` (created by :func:`create_database`), even if in use."""
    name = url.rsplit("/", 1)[-1]
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest_asyncio.fixture
async def database() -> AsyncIterator[str]:
    """A fresh, empty database; dropped afterwards."""
    url = await create_database()
    try:
        yield url
    finally:
        await drop_database(url)


@pytest.fixture
def topic() -> Iterator[str]:
    """A fresh 3-partition topic and its dead-letter topic; deleted afterwards."""
    name = "it." + uuid.uuid4().hex[:10]
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap()})
    futures = admin.create_topics(
        [
            NewTopic(name, num_partitions=3, replication_factor=1),
            NewTopic(name + ".dlq", num_partitions=3, replication_factor=1),
        ]
    )
    for future in futures.values():
        future.result(30)
    yield name
    for future in admin.delete_topics([name, name + ".dlq"]).values():
        future.result(30)
