"""Composition root of the reference residence register (Police)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.kafka import FAST_FAILOVER
from lienthong.service import Platform
from lienthong.vn.units import units
from residence.config import ResidenceSettings
from residence.domain.events import CONSUMED, EMITTED
from residence.entrypoints.api import router
from residence.service_layer.handlers import HANDLERS, Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
# A crashed instance's partitions move to its replacement within ~10 s, not librdkafka's 45 s.
CONSUMER = "residence"


def create_app(settings: ResidenceSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        bus = MessageBus(HANDLERS, Dependencies(units=units()), platform.outbox)
        app.state.pool = platform.pool
        app.state.bus = bus
        app.state.subjects = platform.subjects
        runtime = platform.runtime()
        consumer = platform.consumer(
            CONSUMER, bus.consumer_dispatch(CONSUMED), CONSUMED, **FAST_FAILOVER
        )
        runtime.workers[CONSUMER] = consumer.run
        return runtime

    app = create_service_app(
        title="lienthong reference residence register",
        description="Permanent residence (thường trú), Police: register, remove, look up.",
        settings=settings,
        startup=startup,
    )
    app.include_router(router)
    return app
