"""Composition root of the reference residence register (Police)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from lienthong.agency import AgencyApp, create_agency_app
from lienthong.vn.units import units
from residence.config import ResidenceSettings
from residence.domain.events import CONSUMED, EMITTED
from residence.entrypoints.api import router
from residence.service_layer.handlers import HANDLERS, Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
RESIDENCE = AgencyApp(
    name="residence",
    title="lienthong reference residence register",
    description="Permanent residence (thường trú), Police: register, remove, look up.",
    migrations=MIGRATIONS,
    emitted=EMITTED,
    consumed=CONSUMED,
    handlers=HANDLERS,
    dependencies=lambda _: Dependencies(units=units()),
    router=router,
)


def create_app(settings: ResidenceSettings) -> FastAPI:
    return create_agency_app(settings, RESIDENCE)
