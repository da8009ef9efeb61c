"""Composition root of the identity service."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from identity.config import IdentitySettings
from identity.domain.events import CONSUMED, EMITTED
from identity.entrypoints import api
from identity.service_layer.handlers import HANDLERS, Dependencies
from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.service import Platform

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMER = "identity"


def create_app(settings: IdentitySettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        bus = MessageBus(HANDLERS, Dependencies(subjects=platform.subjects), platform.outbox)
        app.state.pool = platform.pool
        app.state.subjects = platform.subjects
        app.state.bus = bus
        runtime = platform.runtime()
        # One commit per fetched batch: each message is a dossier's or an answer's few rows;
        # a durable commit per message was most of the cost (ADR 0133).
        consumer = platform.consumer(
            CONSUMER, bus.consumer_dispatch(CONSUMED), CONSUMED, batch_transactions=True
        )
        runtime.workers[CONSUMER] = consumer.run
        return runtime

    app = create_service_app(
        title="lienthong identity",
        description=(
            "Verifies ID numbers, names and birth dates against the population registry; "
            "mismatches, suspected duplicates and their review queue; reconciliation."
        ),
        settings=settings,
        startup=startup,
    )
    app.include_router(api.router)
    return app
