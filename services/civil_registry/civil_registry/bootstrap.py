"""Composition root of the reference civil registry."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from civil_registry.config import CivilRegistrySettings
from civil_registry.domain.events import CONSUMED, EMITTED
from civil_registry.entrypoints.api import router
from civil_registry.service_layer.handlers import HANDLERS, Dependencies
from lienthong.agency import AgencyApp, create_agency_app
from lienthong.vn.units import units

MIGRATIONS = Path(__file__).parent / "migrations"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vietnam_today() -> date:
    return datetime.now(VIETNAM).date()


CIVIL_REGISTRY = AgencyApp(
    name="civil_registry",
    title="lienthong reference civil registry",
    description="Civil-status register (hộ tịch): births, deaths, changes of civil status.",
    migrations=MIGRATIONS,
    emitted=EMITTED,
    consumed=CONSUMED,
    handlers=HANDLERS,
    dependencies=lambda _: Dependencies(vn_today=vietnam_today, units=units()),
    router=router,
)


def create_app(settings: CivilRegistrySettings) -> FastAPI:
    return create_agency_app(settings, CIVIL_REGISTRY)
