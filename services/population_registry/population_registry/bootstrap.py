"""Composition root of the reference population registry."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.service import Platform
from population_registry.config import PopulationRegistrySettings
from population_registry.domain.events import CONSUMED, EMITTED
from population_registry.service_layer.handlers import HANDLERS, Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMER = "population_registry"
TOPICS = ("agency.population.commands",)


def create_app(settings: PopulationRegistrySettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        bus = MessageBus(HANDLERS, Dependencies(subjects=platform.subjects), platform.outbox)
        app.state.pool = platform.pool
        runtime = platform.runtime()
        consumer = platform.consumer(CONSUMER, TOPICS, bus.consumer_dispatch(CONSUMED), CONSUMED)
        runtime.workers[CONSUMER] = consumer.run
        return runtime

    return create_service_app(
        title="lienthong reference population registry",
        description="Stand-in for the National Population Database: issues ID numbers.",
        settings=settings,
        startup=startup,
    )
