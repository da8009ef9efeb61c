"""Residence HTTP API: register at the counter; look a person's permanent residence up."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, field_validator

from lienthong.auth import Principal
from lienthong.bus import MessageBus
from lienthong.policy import Scope, as_principal, guard
from lienthong.problems import Problem
from residence.adapters import repository
from residence.domain.events import RegisterByOfficer
from residence.service_layer.handlers import AlreadyRegistered, UnknownUnit

ID_NUMBER = re.compile(r"^\d{12}$")
router = APIRouter(prefix="/api/v1", tags=["residence"])
Officer = Annotated[
    Principal,
    Depends(as_principal(guard("residence.write", officer=Scope.ALL, agencies=("POLICE",)))),
]
Reader = Annotated[
    Principal,
    Depends(
        as_principal(
            guard(
                "residence.read",
                officer=Scope.ALL,
                auditor=Scope.AUDITED,
                agencies=("POLICE",),
                personal_data=True,
            )
        )
    ),
]


class ResidenceIn(BaseModel):
    id_number: str = Field(description="12-digit personal ID number of the resident")
    unit_code: str = Field(pattern=r"^\d{2,5}$")
    address: str = Field(min_length=3, max_length=200)

    @field_validator("id_number")
    @classmethod
    def _twelve_digits(cls, value: str) -> str:
        value = value.replace(" ", "")
        if not ID_NUMBER.match(value):
            raise ValueError("must be exactly 12 digits")
        return value


class ResidenceOut(BaseModel):
    residence_id: str
    subject_id: str
    unit_code: str
    address: str | None
    address_pending: bool
    basis: str
    status: str
    registered_at: datetime
    removed_from: date | None = None
    removed_reason: str | None = None
    particulars: dict[str, str] = Field(default_factory=dict)


@router.post("/permanent-residences", status_code=201)
async def register(body: ResidenceIn, request: Request, officer: Officer) -> dict[str, str]:
    """Register a person's permanent residence (at most one per person)."""
    subject_id = request.app.state.subjects.for_id_number(body.id_number)
    bus: MessageBus[Any] = request.app.state.bus
    command = RegisterByOfficer(subject_id, body.unit_code, body.address, datetime.now(UTC))
    try:
        residence_id = await bus.handle_in_transaction(request.app.state.pool, command)
    except AlreadyRegistered:
        raise Problem(
            409,
            "already-registered",
            "The person already has a permanent residence",
            errors=[{"pointer": "/id_number", "detail": "ALREADY_HAS_PERMANENT_RESIDENCE"}],
        ) from None
    except UnknownUnit:
        raise Problem(
            422,
            "unknown-administrative-unit",
            "No such administrative unit today",
            errors=[{"pointer": "/unit_code", "detail": "UNKNOWN_ADMINISTRATIVE_UNIT"}],
        ) from None
    return {"residence_id": residence_id, "subject_id": subject_id}


@router.get("/residents/{subject_id}/permanent-residence", response_model=ResidenceOut)
async def permanent_residence(subject_id: str, request: Request, reader: Reader) -> ResidenceOut:
    """A person's permanent residence (the latest, active or removed) by subject id."""
    async with request.app.state.pool.acquire() as conn:
        view = await repository.residence_view(conn, subject_id)
    if view is None:
        raise Problem(404, "not-found", "No permanent residence recorded for this person")
    view["residence_id"] = str(view["residence_id"])
    if not reader.may_see_personal_data():
        view["address"] = None
        view["particulars"] = {}
    return ResidenceOut(**view)
