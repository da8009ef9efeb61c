"""Composition root of the reference welfare register (LĐTBXH)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from lienthong.agency import AgencyApp, create_agency_app
from lienthong.vn.units import units
from welfare.config import WelfareSettings
from welfare.domain.events import CONSUMED, EMITTED
from welfare.entrypoints.api import router
from welfare.service_layer.handlers import HANDLERS, Dependencies

MIGRATIONS = Path(__file__).parent / "migrations"
WELFARE = AgencyApp(
    name="welfare",
    title="lienthong reference welfare register",
    description="Welfare (LĐTBXH): death benefits, recurring payments stopped on death.",
    migrations=MIGRATIONS,
    emitted=EMITTED,
    consumed=CONSUMED,
    handlers=HANDLERS,
    dependencies=lambda _: Dependencies(units=units()),
    router=router,
)


def create_app(settings: WelfareSettings) -> FastAPI:
    return create_agency_app(settings, WELFARE)
