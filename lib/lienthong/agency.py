"""One factory for the composition roots of the reference agency systems.

Why this exists: the civil registry, population registry, residence, insurance and welfare
stand-ins are wired the same way — platform, one bus, one consumer of the agency's command
topics (from the catalog), its router — and their ``bootstrap.py`` files differed only in
names. Each now declares an ``AgencyApp`` (what differs) and calls ``create_agency_app``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI

from lienthong.bus import Handler, MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.kafka import FAST_FAILOVER
from lienthong.service import Platform
from lienthong.settings import ServiceSettings


@dataclass(frozen=True)
class AgencyApp:
    """What one reference agency system declares; the factory does the rest."""

    name: str
    title: str
    description: str
    migrations: Path
    emitted: Mapping[type, str]
    consumed: Mapping[str, type]
    handlers: Mapping[type, Handler[Any]]
    dependencies: Callable[[Platform], Any]
    router: APIRouter
    consumer_options: Mapping[str, Any] = field(default_factory=lambda: dict(FAST_FAILOVER))
    """Extra consumer settings; by default a crashed instance's partitions move to its
    replacement within ~10 s, not librdkafka's 45 s."""
    prepare: Callable[[Platform], Awaitable[None]] | None = None
    """Runs after the platform connects, before the bus (e.g. demo data, backfills)."""
    state: Callable[[Platform], Mapping[str, Any]] = field(default=lambda _: {})
    """Extra ``app.state`` entries the routes read."""


def create_agency_app(settings: ServiceSettings, spec: AgencyApp) -> FastAPI:
    """The FastAPI app of a reference agency system: its bus, consumer and routes."""

    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, spec.migrations, spec.emitted)
        if spec.prepare is not None:
            await spec.prepare(platform)
        bus = MessageBus(spec.handlers, spec.dependencies(platform), platform.outbox)
        app.state.pool = platform.pool
        app.state.bus = bus
        app.state.subjects = platform.subjects
        for key, value in spec.state(platform).items():
            setattr(app.state, key, value)
        runtime = platform.runtime()
        consumer = platform.consumer(
            spec.name,
            bus.consumer_dispatch(spec.consumed),
            spec.consumed,
            **spec.consumer_options,
        )
        runtime.workers[spec.name] = consumer.run
        return runtime

    app = create_service_app(
        title=spec.title, description=spec.description, settings=settings, startup=startup
    )
    app.include_router(spec.router)
    return app
