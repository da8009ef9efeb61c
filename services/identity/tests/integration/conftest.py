"""Fixtures on the real PostgreSQL: fresh databases for identity and the population registry,
both migrated, with their buses and the real outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest_asyncio

from identity.bootstrap import MIGRATIONS as IDENTITY_MIGRATIONS
from identity.domain.events import CONSUMED as IDENTITY_CONSUMED
from identity.domain.events import EMITTED as IDENTITY_EMITTED
from identity.service_layer.handlers import HANDLERS as IDENTITY_HANDLERS
from identity.service_layer.handlers import Dependencies as IdentityDependencies
from lienthong.bus import MessageBus
from lienthong.codec import AvroCodec
from lienthong.db import create_pool
from lienthong.mapping import from_record
from lienthong.outbox import Outbox
from lienthong.service import load_codec
from lienthong.subjects import SubjectIds
from lienthong_tools.pytest_plugin import create_database, drop_database
from population_registry.bootstrap import MIGRATIONS as REGISTRY_MIGRATIONS
from population_registry.bootstrap import upsert_demo_population
from population_registry.domain.events import CONSUMED as REGISTRY_CONSUMED
from population_registry.domain.events import EMITTED as REGISTRY_EMITTED
from population_registry.service_layer.handlers import HANDLERS as REGISTRY_HANDLERS
from population_registry.service_layer.handlers import Dependencies as RegistryDependencies


@dataclass
class Side:
    pool: asyncpg.Pool
    bus: MessageBus[Any]
    consumed: Mapping[str, type]


@dataclass
class Pair:
    identity: Side
    registry: Side
    codec: AvroCodec
    subjects: SubjectIds

    async def pump(self, source: Side, topic: str, target: Side) -> list[object]:
        """Deliver the unpublished outbox events of ``topic`` from one service to the other,
        as a consumer would (decoded by the codec, handled in one transaction each)."""
        delivered: list[object] = []
        async with source.pool.acquire() as conn:
            rows = await conn.fetch(
                """UPDATE outbox SET published_at = now()
                   WHERE topic = $1 AND published_at IS NULL RETURNING id, payload""",
                topic,
            )
        for row in sorted(rows, key=lambda r: r["id"]):
            decoded = self.codec.decode(row["payload"])
            cls = target.consumed.get(decoded.full_name)
            if cls is None:
                continue
            message = from_record(cls, decoded.record)
            await target.bus.handle_in_transaction(target.pool, message)
            delivered.append(message)
        return delivered

    async def published(self, source: Side, topic: str) -> list[tuple[str, dict[str, Any]]]:
        async with source.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT payload FROM outbox WHERE topic = $1 ORDER BY id", topic
            )
        out = []
        for row in rows:
            decoded = self.codec.decode(row["payload"])
            out.append((decoded.full_name.rsplit(".", 1)[-1], decoded.record))
        return out

    async def round_trip(self) -> None:
        """Requests to the registry, answers back."""
        await self.pump(self.identity, "agency.population.verification.requests", self.registry)
        await self.pump(self.registry, "agency.population.verification.replies", self.identity)


@pytest_asyncio.fixture
async def pair() -> AsyncIterator[Pair]:
    urls = [await create_database(), await create_database()]
    codec = load_codec()
    subjects = SubjectIds("integration-test-subject-key")
    pools: list[asyncpg.Pool] = []
    try:
        identity_pool = await create_pool(urls[0], IDENTITY_MIGRATIONS)
        pools.append(identity_pool)
        registry_pool = await create_pool(urls[1], REGISTRY_MIGRATIONS)
        pools.append(registry_pool)
        await upsert_demo_population(registry_pool, subjects)
        identity = Side(
            identity_pool,
            MessageBus(
                IDENTITY_HANDLERS,
                IdentityDependencies(subjects=subjects),
                Outbox(codec, "/lienthong/identity", IDENTITY_EMITTED),
            ),
            IDENTITY_CONSUMED,
        )
        registry = Side(
            registry_pool,
            MessageBus(
                REGISTRY_HANDLERS,
                RegistryDependencies(subjects=subjects),
                Outbox(codec, "/lienthong/population_registry", REGISTRY_EMITTED),
            ),
            REGISTRY_CONSUMED,
        )
        yield Pair(identity, registry, codec, subjects)
    finally:
        for pool in pools:
            await pool.close()
        for url in urls:
            await drop_database(url)
