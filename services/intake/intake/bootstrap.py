"""Composition root of the intake service: the one place its parts are built and wired."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from intake.config import IntakeSettings
from intake.domain.events import CONSUMED, EMITTED, RESIDENCE_CONSUMED
from intake.domain.procedures import load_procedures
from intake.entrypoints import api
from intake.entrypoints.deadline_timer import deadline_timer
from intake.entrypoints.limits import BodySizeLimit, PayloadTooLarge, on_payload_too_large
from intake.service_layer.handlers import HANDLERS, Dependencies, now
from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.service import Platform
from lienthong.vn.units import units
from lienthong.vn.working_time import WorkingCalendar

MIGRATIONS = Path(__file__).parent / "migrations"
PORTAL_SYNC_CONSUMER = "intake-portal-sync"
RESIDENCE_CONSUMER = "intake-residence-register"


def create_app(settings: IntakeSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        dependencies = Dependencies(
            procedures=load_procedures(),
            units=units(),
            calendar=WorkingCalendar(),
            subjects=platform.subjects,
            served_provinces=settings.served_province_codes(),
        )
        bus = MessageBus(HANDLERS, dependencies, platform.outbox)
        app.state.pool = platform.pool
        app.state.bus = bus
        app.state.units = dependencies.units
        app.state.procedures = dependencies.procedures
        app.state.subjects = platform.subjects
        runtime = platform.runtime()
        portal_sync = platform.consumer(
            PORTAL_SYNC_CONSUMER, bus.consumer_dispatch(CONSUMED), CONSUMED
        )
        runtime.workers[PORTAL_SYNC_CONSUMER] = portal_sync.run
        residences = platform.consumer(
            RESIDENCE_CONSUMER,
            bus.consumer_dispatch(RESIDENCE_CONSUMED),
            RESIDENCE_CONSUMED,
        )
        runtime.workers[RESIDENCE_CONSUMER] = residences.run
        runtime.workers["deadline-timer"] = deadline_timer(
            platform.pool, bus, now, settings.overdue_scan_interval_s
        )
        return runtime

    app = create_service_app(
        title="lienthong intake",
        description="Dossiers from portal, counter and post; deadlines; status.",
        settings=settings,
        startup=startup,
    )
    app.include_router(api.router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_exception_handler(PayloadTooLarge, on_payload_too_large)
    return app
