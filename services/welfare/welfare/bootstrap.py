"""Composition root of the reference welfare register (LĐTBXH)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.kafka import FAST_FAILOVER
from lienthong.service import Platform
from welfare.config import WelfareSettings
from welfare.domain.events import CONSUMED, EMITTED
from welfare.entrypoints.api import router
from welfare.service_layer.handlers import HANDLERS, Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
# A crashed instance's partitions move to its replacement within ~10 s, not librdkafka's 45 s.
CONSUMER = "welfare"


def create_app(settings: WelfareSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        bus = MessageBus(HANDLERS, Dependencies(), platform.outbox)
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
        title="lienthong reference welfare register",
        description="Welfare (LĐTBXH): death benefits, recurring payments stopped on death.",
        settings=settings,
        startup=startup,
    )
    app.include_router(router)
    return app
