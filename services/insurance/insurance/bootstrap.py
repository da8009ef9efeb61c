"""Composition root of the reference health-insurance register (BHXH)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from insurance.config import InsuranceSettings
from insurance.domain.events import CONSUMED, EMITTED
from insurance.entrypoints.api import router
from insurance.service_layer.handlers import HANDLERS, Dependencies
from lienthong.agency import AgencyApp, create_agency_app
from lienthong.vn.units import units

MIGRATIONS = Path(__file__).parent / "migrations"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vietnam_today() -> date:
    return datetime.now(VIETNAM).date()


INSURANCE = AgencyApp(
    name="insurance",
    title="lienthong reference health insurance",
    description="BHYT cards (BHXH): free cards for children under 6, end of cover, look-ups.",
    migrations=MIGRATIONS,
    emitted=EMITTED,
    consumed=CONSUMED,
    handlers=HANDLERS,
    dependencies=lambda _: Dependencies(vn_today=vietnam_today, units=units()),
    router=router,
    state=lambda _: {"vn_today": vietnam_today},
)


def create_app(settings: InsuranceSettings) -> FastAPI:
    return create_agency_app(settings, INSURANCE)
