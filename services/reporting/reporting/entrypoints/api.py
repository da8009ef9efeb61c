"""Read-model API: a dossier's linked-procedure status and the platform summary."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from lienthong.auth import Principal, Role, require_roles
from lienthong.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["read models"])
Reader = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.AUDITOR, Role.ADMIN))]


class DossierView(BaseModel):
    dossier_id: uuid.UUID
    dossier_code: str
    procedure_code: str
    channel: str
    unit_code: str
    submitted_at: datetime
    identity_checks: int
    identity_mismatches: int
    bundle_id: uuid.UUID | None
    bundle_type: str | None
    bundle_status: str | None
    bundle_started_at: datetime | None
    bundle_deadline_at: datetime | None
    bundle_completed_at: datetime | None
    bundle_on_time: bool | None


class CountRow(BaseModel):
    key: dict[str, str]
    value: dict[str, int]


class Summary(BaseModel):
    dossiers: list[CountRow]
    identity_outcomes: dict[str, int]
    bundles: list[CountRow]


@router.get("/dossiers/{dossier_id}", response_model=DossierView)
async def dossier(dossier_id: uuid.UUID, request: Request, principal: Reader) -> DossierView:
    """What reporting knows of one dossier, including its linked bundle."""
    async with request.app.state.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM dossier_view WHERE dossier_id = $1", dossier_id)
    if row is None or not row["dossier_code"]:
        raise Problem(404, "dossier-not-found", "Reporting has not seen this dossier yet")
    return DossierView(**dict(row))


@router.get("/reports/summary", response_model=Summary)
async def summary(request: Request, principal: Reader) -> Summary:
    """Dossiers by procedure, channel and unit; identity outcomes; linked bundles by unit."""
    async with request.app.state.pool.acquire() as conn:
        dossiers = await conn.fetch("SELECT * FROM dossier_counts ORDER BY 1, 2, 3")
        outcomes = await conn.fetch("SELECT outcome, persons FROM identity_outcomes ORDER BY 1")
        bundles = await conn.fetch("SELECT * FROM bundle_counts ORDER BY 1, 2")
    return Summary(
        dossiers=[
            CountRow(
                key={
                    "procedure_code": r["procedure_code"],
                    "channel": r["channel"],
                    "unit_code": r["unit_code"],
                },
                value={"dossiers": r["dossiers"]},
            )
            for r in dossiers
        ],
        identity_outcomes={r["outcome"]: r["persons"] for r in outcomes},
        bundles=[
            CountRow(
                key={"bundle_type": r["bundle_type"], "unit_code": r["unit_code"]},
                value={
                    "started": r["started"],
                    "completed": r["completed"],
                    "on_time": r["on_time"],
                },
            )
            for r in bundles
        ],
    )
