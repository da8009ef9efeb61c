"""Composition root of the reference national public service portal."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.service import Platform
from national_portal.config import NationalPortalSettings
from national_portal.domain.events import CONSUMED, EMITTED
from national_portal.entrypoints import api
from national_portal.service_layer.handlers import HANDLERS, Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMER = "national_portal"


def create_app(settings: NationalPortalSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        bus = MessageBus(HANDLERS, Dependencies(), platform.outbox)
        app.state.pool = platform.pool
        app.state.subjects = platform.subjects
        runtime = platform.runtime()
        consumer = platform.consumer(CONSUMER, bus.consumer_dispatch(CONSUMED), CONSUMED)
        runtime.workers[CONSUMER] = consumer.run
        return runtime

    app = create_service_app(
        title="lienthong reference national public service portal",
        description="Keeps its own copy of every dossier's status history and acknowledges it.",
        settings=settings,
        startup=startup,
    )
    app.include_router(api.router)
    return app
