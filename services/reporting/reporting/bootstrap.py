"""Composition root of the reporting projector."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.service import Platform
from reporting.config import ReportingSettings
from reporting.domain.events import CONSUMED
from reporting.entrypoints import api
from reporting.service_layer.projections import HANDLERS, Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMER = "reporting"
TOPICS = (
    "intake.dossier.events",
    "identity.verification.events",
    "orchestrator.bundle.events",
)


def create_app(settings: ReportingSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, {})
        bus = MessageBus(HANDLERS, Dependencies(), platform.outbox)
        app.state.pool = platform.pool
        runtime = platform.runtime()
        consumer = platform.consumer(CONSUMER, TOPICS, bus.consumer_dispatch(CONSUMED), CONSUMED)
        runtime.workers[CONSUMER] = consumer.run
        return runtime

    app = create_service_app(
        title="lienthong reporting",
        description="Streaming projections, Project 06 figures, replay and audit trail.",
        settings=settings,
        startup=startup,
    )
    app.include_router(api.router)
    return app
