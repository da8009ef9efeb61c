"""Composition root of the intake service: the one place its parts are built and wired."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from intake.config import IntakeSettings
from intake.domain.events import EVENT_TYPES
from intake.domain.procedures import load_procedures
from intake.domain.units import load_units
from intake.entrypoints import api
from intake.service_layer.handlers import HANDLERS, Dependencies
from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.service import Platform
from lienthong.vn.working_time import WorkingCalendar

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: IntakeSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EVENT_TYPES)
        dependencies = Dependencies(
            procedures=load_procedures(),
            units=load_units(),
            calendar=WorkingCalendar(),
            subjects=platform.subjects,
        )
        app.state.pool = platform.pool
        app.state.bus = MessageBus(HANDLERS, dependencies, platform.outbox)
        return platform.runtime()

    app = create_service_app(
        title="lienthong intake",
        description="Dossiers from portal, counter and post; deadlines; status.",
        settings=settings,
        startup=startup,
    )
    app.include_router(api.router)
    return app
