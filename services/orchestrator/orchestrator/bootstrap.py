"""Composition root of the orchestrator."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.kafka import FAST_FAILOVER
from lienthong.service import Platform
from lienthong.vn.working_time import WorkingCalendar
from orchestrator.config import OrchestratorSettings
from orchestrator.domain.events import CONSUMED, EMITTED
from orchestrator.entrypoints.api import router
from orchestrator.service_layer.deadlines import deadline_worker
from orchestrator.service_layer.handlers import HANDLERS, Dependencies
from orchestrator.service_layer.officer import OFFICER_HANDLERS

MIGRATIONS = Path(__file__).parent / "migrations"
# A crashed instance's partitions move to its replacement within ~10 s, not librdkafka's 45 s.
CONSUMER = "orchestrator"


def create_app(settings: OrchestratorSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        deps = Dependencies(
            calendar=WorkingCalendar(),
            retry_after_s=settings.step_retry_after_s,
            max_attempts=settings.step_max_attempts,
        )
        bus = MessageBus({**HANDLERS, **OFFICER_HANDLERS}, deps, platform.outbox)
        app.state.pool = platform.pool
        app.state.subjects = platform.subjects
        app.state.bus = bus
        runtime = platform.runtime()
        # Several members of one consumer group in this process: each owns some partitions,
        # so one bundle's database round trips overlap another's. Handlers lock per bundle
        # and do not depend on arrival order, so this is safe (see domain/saga.py). A fetched
        # batch commits once: a handler that would wait for a dossier while its batch holds
        # others raises DossierBusy instead, and the inbox applies that event alone (ADR 0033).
        for i in range(settings.consumer_instances):
            consumer = platform.consumer(
                CONSUMER,
                bus.consumer_dispatch(CONSUMED),
                CONSUMED,
                batch_transactions=settings.batch_transactions,
                **FAST_FAILOVER,
            )
            runtime.workers[f"{CONSUMER}-{i}" if i else CONSUMER] = consumer.run
        runtime.workers["deadlines"] = deadline_worker(
            platform.pool, platform.outbox, deps, settings.deadline_scan_interval_s
        )
        return runtime

    app = create_service_app(
        title="lienthong orchestrator",
        description="Linked-procedure sagas across agencies: birth, death, civil-status changes.",
        settings=settings,
        startup=startup,
    )
    app.include_router(router)
    return app
