"""Fixtures on the real broker and PostgreSQL (started by ``scripts/dev-up.sh``)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
import pytest_asyncio
from confluent_kafka.admin import AdminClient, NewTopic

from lienthong.devstack import kafka_bootstrap, pg_base


@pytest_asyncio.fixture
async def database() -> AsyncIterator[str]:
    """A fresh, empty database; dropped afterwards."""
    name = "it_" + uuid.uuid4().hex[:10]
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{pg_base()}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


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
