"""Common wiring of a service process: settings → logging/tracing → pool → codec → outbox.

Why this exists: each service's ``bootstrap.py`` is its one composition root; the parts
every service builds the same way (migrated pool, codec over ``schemas/``, idempotent
producer, outbox relay, inbox consumers) are built here so they are built one way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import uvicorn
from fastapi import FastAPI

from lienthong import telemetry
from lienthong.codec import AvroCodec
from lienthong.contracts.catalog import Catalog, load_catalog
from lienthong.contracts.schemas import default_schemas_dir, load_schema_set
from lienthong.db import create_pool
from lienthong.http import Runtime
from lienthong.inbox import Dispatch, InboxConsumer
from lienthong.invariants import EventGate, producers_from_catalog
from lienthong.kafka import EventProducer, consumer_config, producer_config
from lienthong.outbox import Outbox, OutboxRelay
from lienthong.personal import PersonalData
from lienthong.personal.wiring import connect_key_ring
from lienthong.policy import is_known_unit
from lienthong.settings import ServiceSettings
from lienthong.subjects import SubjectIds


def load_codec(schemas_dir: Path | None = None) -> AvroCodec:
    return AvroCodec(load_schema_set(schemas_dir or default_schemas_dir()).all_versions())


def load_event_gate(schemas_dir: Path | None = None) -> EventGate:
    """Provenance from the topic catalog, invariants over the administrative units."""
    schemas = load_schema_set(schemas_dir or default_schemas_dir())
    return EventGate(producers_from_catalog(load_catalog(schemas)), is_known_unit)


@dataclass
class Platform:
    """The shared adapters of one service process."""

    settings: ServiceSettings
    pool: asyncpg.Pool
    codec: AvroCodec
    producer: EventProducer
    outbox: Outbox
    subjects: SubjectIds
    catalog: Catalog
    personal: PersonalData | None = None
    keys_pool: asyncpg.Pool | None = None
    gate: EventGate | None = None

    @classmethod
    async def connect(
        cls,
        settings: ServiceSettings,
        migrations: Path,
        event_types: Mapping[type, str],
        *,
        pool_size: int = 10,
    ) -> Platform:
        pool = await create_pool(settings.database_url, migrations, max_size=pool_size)
        schemas = load_schema_set(default_schemas_dir())
        codec = AvroCodec(schemas.all_versions())
        catalog = load_catalog(schemas)
        producer = EventProducer(producer_config(settings.kafka.client_config()))
        ring = await connect_key_ring(settings)
        personal = PersonalData.for_service(
            schemas, catalog, settings.service_name, ring[1] if ring else None
        )
        return cls(
            settings=settings,
            pool=pool,
            codec=codec,
            producer=producer,
            outbox=Outbox(
                codec,
                f"/lienthong/{settings.service_name}",
                event_types,
                personal,
                catalog=catalog,
            ),
            subjects=SubjectIds(settings.subject_id_key),
            catalog=catalog,
            personal=personal,
            keys_pool=ring[0] if ring else None,
            gate=load_event_gate(),
        )

    def subscriptions(self, handled_types: Collection[str] | None = None) -> list[str]:
        """The topics the catalog says this service consumes; with ``handled_types``, only
        those that carry one of them (a service with two consumer groups splits its topics)."""
        return [
            t.name
            for t in self.catalog.topics_consumed_by(self.settings.service_name)
            if handled_types is None or set(t.event_types) & set(handled_types)
        ]

    def consumer(
        self,
        name: str,
        dispatch: Dispatch,
        handled_types: Collection[str] | None = None,
        *,
        batch_transactions: bool | None = None,
        **config_overrides: Any,
    ) -> InboxConsumer:
        """A consumer of the topics the catalog lists for this service (``subscriptions``)
        that carry a type in ``handled_types`` (all of them when it is ``None``).

        ``name`` is the consumer group (after the group prefix) and the inbox's consumer
        name; ``config_overrides`` are extra librdkafka consumer settings.
        ``batch_transactions``: one transaction per fetched batch; by default the setting
        ``CONSUMER_BATCH_TRANSACTIONS`` (on).
        """
        kafka = self.settings.kafka
        group = kafka.group_prefix + name
        return InboxConsumer(
            name=name,
            topics=[kafka.topic_prefix + t for t in self.subscriptions(handled_types)],
            config=consumer_config(kafka.client_config(), group_id=group, **config_overrides),
            pool=self.pool,
            codec=self.codec,
            dispatch=dispatch,
            dead_letters=self.producer,
            handled_types=handled_types,
            batch_transactions=(
                self.settings.consumer_batch_transactions
                if batch_transactions is None
                else batch_transactions
            ),
            personal=self.personal,
            gate=self.gate,
            batch_scope=self.outbox.deferred,
        )

    def runtime(self) -> Runtime:
        """A runtime with the outbox relay and the database readiness check."""
        relay = OutboxRelay(self.pool, self.producer, topic_prefix=self.settings.kafka.topic_prefix)

        async def database() -> None:
            async with self.pool.acquire() as conn:
                await conn.fetchval("SELECT 1")

        async def close() -> None:
            self.producer.close()
            await self.pool.close()
            if self.keys_pool is not None:
                await self.keys_pool.close()

        return Runtime(
            workers={"outbox-relay": relay.run}, checks={"database": database}, on_shutdown=[close]
        )


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    """Run the app with uvicorn (which owns the event loop)."""
    telemetry.setup_logging(settings.service_name, settings.log_level, settings.log_format)
    uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None)


def prepare_process(settings: ServiceSettings) -> None:
    telemetry.setup_logging(settings.service_name, settings.log_level, settings.log_format)
    telemetry.setup_tracing(settings.service_name)


def run_service(
    settings_class: type[ServiceSettings],
    create_app: Callable[[Any], FastAPI],
) -> None:
    """The body of every ``python -m <service>``: settings, logging, tracing, uvicorn."""
    settings = settings_class()  # type: ignore[call-arg]  # required values come from the env
    prepare_process(settings)
    serve(create_app(settings), settings)
