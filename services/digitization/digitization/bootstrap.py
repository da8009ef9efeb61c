"""Composition root of the digitization store."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from digitization.config import DigitizationSettings
from lienthong.http import Runtime, create_service_app
from lienthong.service import Platform

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: DigitizationSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, {})
        app.state.pool = platform.pool
        return platform.runtime()

    return create_service_app(
        title="lienthong digitization",
        description="Signed, content-addressed documents and results, reused once-only.",
        settings=settings,
        startup=startup,
    )
