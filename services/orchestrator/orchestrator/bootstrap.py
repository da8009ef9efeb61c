"""Composition root of the orchestrator."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.service import Platform
from lienthong.vn.working_time import WorkingCalendar
from orchestrator.config import OrchestratorSettings
from orchestrator.domain.events import CONSUMED, EMITTED
from orchestrator.service_layer.handlers import HANDLERS, Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMER = "orchestrator"
TOPICS = ("intake.dossier.events", "identity.verification.events", "agency.population.events")


def create_app(settings: OrchestratorSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        bus = MessageBus(HANDLERS, Dependencies(calendar=WorkingCalendar()), platform.outbox)
        app.state.pool = platform.pool
        runtime = platform.runtime()
        consumer = platform.consumer(CONSUMER, TOPICS, bus.consumer_dispatch(CONSUMED), CONSUMED)
        runtime.workers[CONSUMER] = consumer.run
        return runtime

    return create_service_app(
        title="lienthong orchestrator",
        description="Linked-procedure sagas across agencies: birth, death, civil-status changes.",
        settings=settings,
        startup=startup,
    )
