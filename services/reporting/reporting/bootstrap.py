"""Composition root of the reporting projector."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from lienthong.bus import MessageBus
from lienthong.contracts.catalog import load_catalog
from lienthong.contracts.schemas import default_schemas_dir, load_schema_set
from lienthong.dev_identity_provider import DevIdentityProvider
from lienthong.dev_identity_provider import router as dev_identity_provider_router
from lienthong.http import Runtime, create_service_app
from lienthong.inbox import Dispatch, InboxConsumer
from lienthong.service import Platform
from reporting.config import ReportingSettings
from reporting.domain.catalogue import Catalogue
from reporting.domain.events import CONSUMED
from reporting.domain.report import UnitTree
from reporting.entrypoints import api, dashboard, export
from reporting.entrypoints.consumer import projector_dispatch
from reporting.service_layer.projections import HANDLERS, Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMER = "reporting"


def consumed_topics() -> list[str]:
    """Every topic the catalog lists reporting as a consumer of (unprefixed)."""
    catalog = load_catalog(load_schema_set(default_schemas_dir()))
    return [t.name for t in catalog.topics_consumed_by(CONSUMER)]


def projector(platform: Platform, dispatch: Dispatch) -> InboxConsumer:
    """The projector's consumer. No handled-types filter: every event on these topics joins
    the audit chain. Batched transactions: facts are appended, so a batch shares one commit.
    A short session timeout: a crashed projector's partitions go to its successor within
    seconds (the dashboard must not freeze for the default 45 s)."""
    return platform.consumer(
        CONSUMER,
        dispatch,
        None,
        batch_transactions=True,
        **{"session.timeout.ms": 6000, "heartbeat.interval.ms": 1500},
    )


def create_app(settings: ReportingSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, {})
        bus = MessageBus(HANDLERS, Dependencies(), platform.outbox)
        app.state.pool = platform.pool
        app.state.personal = platform.personal
        app.state.subjects = platform.subjects
        app.state.units = UnitTree.load(settings.province_codes())
        app.state.catalogue = Catalogue.load()
        runtime = platform.runtime()
        keys = platform.personal.keys if platform.personal else None
        consumer = projector(platform, projector_dispatch(bus, CONSUMED, keys))
        runtime.workers[CONSUMER] = consumer.run
        return runtime

    app = create_service_app(
        title="lienthong reporting",
        description="Streaming projections, Project 06 figures, replay and audit trail.",
        settings=settings,
        startup=startup,
    )
    app.include_router(export.router)
    app.include_router(api.router)
    app.include_router(dashboard.router)
    if settings.dev_identity_provider and settings.auth_jwt_secret:
        app.include_router(
            dev_identity_provider_router(
                DevIdentityProvider(
                    secret=settings.auth_jwt_secret,
                    password=settings.dev_identity_provider_password,
                    token_issuer=settings.auth_issuer,
                    audience=settings.auth_audience,
                )
            )
        )
    return app
