"""Composition root of the reference civil registry."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from civil_registry.config import CivilRegistrySettings
from civil_registry.domain.events import CONSUMED, EMITTED
from civil_registry.entrypoints.api import router
from civil_registry.service_layer.handlers import HANDLERS, Dependencies
from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.kafka import FAST_FAILOVER
from lienthong.service import Platform
from lienthong.vn.units import units

MIGRATIONS = Path(__file__).parent / "migrations"
# A crashed instance's partitions move to its replacement within ~10 s, not librdkafka's 45 s.
CONSUMER = "civil_registry"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vietnam_today() -> date:
    return datetime.now(VIETNAM).date()


def create_app(settings: CivilRegistrySettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        bus = MessageBus(
            HANDLERS, Dependencies(vn_today=vietnam_today, units=units()), platform.outbox
        )
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
        title="lienthong reference civil registry",
        description="Civil-status register (hộ tịch): births, deaths, changes of civil status.",
        settings=settings,
        startup=startup,
    )
    app.include_router(router)
    return app
