"""Population registry HTTP API: an officer's look-up of one citizen."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from lienthong.auth import Principal, Role, require_roles
from lienthong.problems import Problem
from population_registry.adapters import repository
from population_registry.domain.model import is_cmnd, is_id_number

router = APIRouter(prefix="/api/v1", tags=["citizens"])
Reader = Annotated[Principal, Depends(require_roles(Role.OFFICER, Role.AUDITOR, Role.ADMIN))]


class CitizenOut(BaseModel):
    subject_id: str
    id_number: str
    full_name: str
    birth_date: date
    gender: str
    status: str
    date_of_death: date | None
    merged_into: str | None


@router.get("/citizens/{number}", response_model=CitizenOut)
async def get_citizen(number: str, request: Request, principal: Reader) -> CitizenOut:
    """A citizen by 12-digit personal ID number or 9-digit old CMND number."""
    number = "".join(number.split())
    async with request.app.state.pool.acquire() as conn:
        if is_id_number(number):
            row = await repository.citizen_by_id_number(conn, number)
        elif is_cmnd(number):
            row = await repository.citizen_by_cmnd(conn, number)
        else:
            raise Problem(
                422,
                "validation-error",
                "The request has invalid fields",
                "1 field(s) are invalid",
                errors=[
                    {
                        "pointer": "/number",
                        "detail": "must be a 12-digit personal ID number or a 9-digit CMND",
                    }
                ],
            )
    if row is None:
        raise Problem(404, "citizen-not-found", "No such citizen in the population data")
    return CitizenOut(
        subject_id=row["subject_id"],
        id_number=row["id_number"],
        full_name=row["full_name"],
        birth_date=row["birth_date"],
        gender=row["gender"],
        status=str(row["status"]).upper(),
        date_of_death=row["date_of_death"],
        merged_into=row["merged_into"],
    )
