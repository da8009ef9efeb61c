"""Population registry HTTP API: an officer's look-up of one citizen."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, field_validator

from lienthong.policy import Access, Resource, Scope, guard
from lienthong.problems import Problem
from lienthong.vn import names
from population_registry.adapters import repository
from population_registry.domain.model import is_cmnd, is_id_number

router = APIRouter(prefix="/api/v1", tags=["citizens"])
#: Population data is the Police's; auditors read it through the audit trail, not here.
Reader = Annotated[
    Access,
    Depends(
        guard(
            "citizen.read",
            citizen=Scope.OWN,
            officer=Scope.ALL,
            agencies=("POLICE",),
            personal_data=True,
        )
    ),
]
PERSONAL_FIELDS = ("full_name", "id_number", "birth_date", "gender")


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
async def get_citizen(number: str, request: Request, access: Reader) -> CitizenOut:
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
        if row is not None:
            resource = Resource(
                "citizen", row["subject_id"], parties=frozenset({row["subject_id"]})
            )
            access.require(resource)
            await access.record_read(conn, resource, PERSONAL_FIELDS)
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


#: A clinic's check at the counter: any officer (clinic staff hold officer tokens).
Clinic = Annotated[Access, Depends(guard("health-insurance.lookup", officer=Scope.ALL))]


class InsuranceLookupIn(BaseModel):
    id_number: str = Field(description="12-digit personal ID number (CCCD) or 9-digit CMND")
    full_name: str = Field(
        min_length=1, max_length=200, description="as read from the card, any encoding"
    )
    on_date: date | None = Field(default=None, description="day of the visit; default today")

    @field_validator("id_number")
    @classmethod
    def _number(cls, value: str) -> str:
        value = "".join(value.split())
        if not (is_id_number(value) or is_cmnd(value)):
            raise ValueError("must be a 12-digit personal ID number or a 9-digit CMND")
        return value


class InsuranceLookupOut(BaseModel):
    identity: Literal["MATCH", "NAME_MISMATCH", "NOT_FOUND", "DECEASED"]
    name_level: str
    insured: bool
    card_number: str | None
    valid_until: date | None


@router.post("/health-insurance/lookups", response_model=InsuranceLookupOut)
async def health_insurance_lookup(
    body: InsuranceLookupIn, request: Request, principal: Clinic
) -> InsuranceLookupOut:
    """Is the holder of this CCCD insured today? The name sent with it may be in a legacy
    TCVN3/VNI font, with old tone placement, NFD, any case, or without diacritics."""
    day = body.on_date or date.today()
    async with request.app.state.pool.acquire() as conn:
        if is_id_number(body.id_number):
            row = await repository.citizen_by_id_number(conn, body.id_number)
        else:
            row = await repository.citizen_by_cmnd(conn, body.id_number)
        if row is not None and row["merged_into"] is not None:
            row = await repository.citizen_by_id_number(conn, row["merged_into"]) or row
        cards = await repository.cards_of(conn, row["subject_id"]) if row is not None else []
    if row is None:
        return InsuranceLookupOut(
            identity="NOT_FOUND", name_level="NOT_CHECKED", insured=False,
            card_number=None, valid_until=None,
        )  # fmt: skip
    match = names.compare_names(body.full_name, row["full_name"])
    if not names.same_name(body.full_name, row["full_name"], match):
        return InsuranceLookupOut(
            identity="NAME_MISMATCH", name_level=match.level.name, insured=False,
            card_number=None, valid_until=None,
        )  # fmt: skip
    valid = [c for c in cards if c.valid_on(day)]
    return InsuranceLookupOut(
        identity="DECEASED" if row["status"] == "deceased" else "MATCH",
        name_level=match.level.name,
        insured=bool(valid) and row["status"] != "deceased",
        card_number=valid[0].card_number if valid else None,
        valid_until=valid[0].valid_until if valid else None,
    )
