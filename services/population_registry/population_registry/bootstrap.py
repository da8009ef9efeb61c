"""Composition root of the reference population registry."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from fastapi import FastAPI

from lienthong.agency import AgencyApp, create_agency_app
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


async def _prepare(platform: Platform, settings: PopulationRegistrySettings) -> None:
    async with platform.pool.acquire() as conn:
        await repository.backfill_keys(conn)
    if settings.lienthong_env in DEMO_ENVIRONMENTS:
        await upsert_demo_population(platform.pool, platform.subjects)


def create_app(settings: PopulationRegistrySettings) -> FastAPI:
    return create_agency_app(
        settings,
        AgencyApp(
            name=CONSUMER,
            title="lienthong reference population registry",
            description=(
                "Stand-in for the National Population Database: citizens, ID-number issuance, "
                "verification answers, civil-registry changes."
            ),
            migrations=MIGRATIONS,
            emitted=EMITTED,
            consumed=CONSUMED,
            handlers=HANDLERS,
            dependencies=lambda platform: Dependencies(subjects=platform.subjects),
            router=api.router,
            # One commit per fetched batch: each message is a dossier's or an answer's few
            # rows; a durable commit per message was most of the cost (ADR 0133).
            consumer_options={"batch_transactions": True},
            prepare=lambda platform: _prepare(platform, settings),
        ),
    )
