"""National portal HTTP API: a dossier's status and history as the portal holds it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from lienthong.policy import Access, Resource, Scope, guard
from lienthong.problems import Problem
from national_portal.adapters import repository

router = APIRouter(prefix="/api/v1", tags=["dossiers"])
Reader = Annotated[
    Access,
    Depends(
        guard("portal-dossier.read", citizen=Scope.OWN, officer=Scope.UNIT, auditor=Scope.AUDITED)
    ),
]


class HistoryOut(BaseModel):
    sequence: int
    event_type: str
    status: str | None
    detail: str | None
    occurred_at: datetime
    stored_at: datetime


class PortalDossierOut(BaseModel):
    dossier_code: str
    procedure_code: str
    unit_code: str
    status: str
    appointment_at: datetime | None
    overdue: bool
    completed_on_time: bool | None
    last_sequence: int
    history: list[HistoryOut]


@router.get("/dossiers/{code}", response_model=PortalDossierOut)
async def get_dossier(code: str, request: Request, access: Reader) -> PortalDossierOut:
    """A dossier's status and its history in order, as synced from the province: a citizen
    reads the dossiers that name them, an officer those of their unit subtree."""
    async with request.app.state.pool.acquire() as conn:
        found = await repository.get_by_code(conn, code)
    if found is None:
        raise Problem(404, "dossier-not-found", "No such dossier", f"no dossier {code}")
    row, history = found
    access.require(
        Resource(
            "dossier",
            code,
            unit_code=row["unit_code"],
            parties=frozenset(row.get("party_subject_ids") or ()),
        )
    )
    return PortalDossierOut(
        dossier_code=row["dossier_code"],
        procedure_code=row["procedure_code"],
        unit_code=row["unit_code"],
        status=row["status"],
        appointment_at=row["appointment_at"],
        overdue=row["overdue"],
        completed_on_time=row["completed_on_time"],
        last_sequence=row["last_sequence"],
        history=[
            HistoryOut(
                sequence=h.sequence,
                event_type=h.event_type,
                status=h.status,
                detail=h.detail,
                occurred_at=h.occurred_at,
                stored_at=h.stored_at,
            )
            for h in history
        ],
    )
