"""Composition root of the reference population registry."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from fastapi import FastAPI

from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.service import Platform
from lienthong.subjects import SubjectIds
from population_registry.adapters import repository
from population_registry.config import PopulationRegistrySettings
from population_registry.domain import model
from population_registry.domain.events import CONSUMED, EMITTED
from population_registry.entrypoints import api
from population_registry.service_layer.handlers import HANDLERS, Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMER = "population_registry"
DEMO_ENVIRONMENTS = ("dev", "test")


async def upsert_demo_population(pool: asyncpg.Pool, subjects: SubjectIds) -> int:
    """Upsert the documented demo population (idempotent); returns how many citizens."""
    citizens = model.load_demo_population()
    async with pool.acquire() as conn, conn.transaction():
        for citizen in citizens:
            await repository.upsert_citizen(conn, citizen, subjects)
    return len(citizens)


def create_app(settings: PopulationRegistrySettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        async with platform.pool.acquire() as conn:
            await repository.backfill_keys(conn)
        if settings.lienthong_env in DEMO_ENVIRONMENTS:
            await upsert_demo_population(platform.pool, platform.subjects)
        bus = MessageBus(HANDLERS, Dependencies(subjects=platform.subjects), platform.outbox)
        app.state.pool = platform.pool
        app.state.subjects = platform.subjects
        runtime = platform.runtime()
        # One commit per fetched batch: each message is a dossier's or an answer's few rows;
        # a durable commit per message was most of the cost (ADR 0133).
        consumer = platform.consumer(
            CONSUMER, bus.consumer_dispatch(CONSUMED), CONSUMED, batch_transactions=True
        )
        runtime.workers[CONSUMER] = consumer.run
        return runtime

    app = create_service_app(
        title="lienthong reference population registry",
        description=(
            "Stand-in for the National Population Database: citizens, ID-number issuance, "
            "verification answers, civil-registry changes."
        ),
        settings=settings,
        startup=startup,
    )
    app.include_router(api.router)
    return app
