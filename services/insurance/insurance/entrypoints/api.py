"""Insurance HTTP API: clinics look cards up by ID number; officers enrol insured people."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from prometheus_client import Counter
from pydantic import BaseModel, Field, field_validator, model_validator

from insurance.adapters import repository
from insurance.domain import rules
from insurance.domain.events import EnrolInsured, LookupOutcome, RecordLookup
from insurance.service_layer.handlers import AlreadyInsured, UnknownUnit
from lienthong.auth import Principal
from lienthong.bus import MessageBus
from lienthong.policy import Scope, as_principal, guard
from lienthong.problems import Problem

ID_NUMBER = re.compile(r"^\d{12}$")
router = APIRouter(prefix="/api/v1", tags=["health insurance"])
Officer = Annotated[
    Principal,
    Depends(as_principal(guard("insurance-card.write", officer=Scope.ALL, agencies=("BHXH",)))),
]
Reader = Annotated[
    Principal,
    Depends(
        as_principal(
            guard(
                "insurance-card.read", officer=Scope.ALL, auditor=Scope.AUDITED, personal_data=True
            )
        )
    ),
]
LOOKUPS = Counter(
    "lienthong_insurance_card_lookups_total", "Card look-ups by ID number", ["outcome"]
)


class EnrolIn(BaseModel):
    id_number: str
    full_name: str = Field(min_length=2, max_length=120)
    birth_date: date
    object_code: str = Field(pattern=r"^[A-Z]{2}$", description="BHYT object code, e.g. HT, GD")
    unit_code: str = Field(pattern=r"^\d{2,5}$")
    valid_from: date
    valid_until: date
    card_number: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}\d{13}$",
        description="BHXH's own card number (15 characters); generated when absent",
    )
    synced_at: datetime | None = Field(
        default=None, description="When BHXH synced the card with the ID number (event time)"
    )
    agency_record_id: str | None = Field(default=None, max_length=64)

    @field_validator("id_number")
    @classmethod
    def _twelve_digits(cls, value: str) -> str:
        value = value.replace(" ", "")
        if not ID_NUMBER.match(value):
            raise ValueError("must be exactly 12 digits")
        return value

    @model_validator(mode="after")
    def _period(self) -> EnrolIn:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class CardOut(BaseModel):
    card_number: str
    subject_id: str
    full_name: str | None
    birth_date: date | None
    object_code: str
    valid_from: date
    valid_until: date
    status: str
    ended_on: date | None
    valid_today: bool


class LookupOut(BaseModel):
    found: bool
    outcome: str = Field(description="FOUND_VALID, NO_VALID_CARD, NOT_FOUND, NAME_MISMATCH, ...")
    cards: list[CardOut]


@router.post("/cards", status_code=201)
async def enrol(body: EnrolIn, request: Request, officer: Officer) -> dict[str, str]:
    """Enrol an insured person or sync BHXH's card with the ID number (one active card per
    person); publishes HealthInsuranceCardSynced."""
    subject_id = request.app.state.subjects.for_id_number(body.id_number)
    bus: MessageBus[Any] = request.app.state.bus
    now = datetime.now(UTC)
    command = EnrolInsured(
        subject_id,
        body.id_number,
        body.full_name,
        body.birth_date,
        body.object_code,
        body.unit_code,
        body.valid_from,
        body.valid_until,
        body.synced_at or now,
        card_number=body.card_number,
        agency_record_id=body.agency_record_id,
        recorded_at=now if body.synced_at is not None and body.synced_at < now else None,
    )
    try:
        card_number = await bus.handle_in_transaction(request.app.state.pool, command)
    except AlreadyInsured:
        raise Problem(
            409,
            "already-insured",
            "The person already holds an active card",
            errors=[{"pointer": "/id_number", "detail": "ALREADY_INSURED"}],
        ) from None
    except UnknownUnit:
        raise Problem(
            422,
            "unknown-administrative-unit",
            "No such administrative unit today",
            errors=[{"pointer": "/unit_code", "detail": "UNKNOWN_ADMINISTRATIVE_UNIT"}],
        ) from None
    return {"card_number": card_number, "subject_id": subject_id}


class LookupIn(BaseModel):
    id_number: str = Field(description="12-digit personal ID number (CCCD)")
    facility_code: str | None = Field(
        default=None, pattern=r"^\d{5}$", description="BHXH code of the medical facility"
    )
    unit_code: str | None = Field(default=None, pattern=r"^\d{2,5}$")
    stated_birth_date: date | None = Field(
        default=None, description="Date of birth the patient stated at the clinic"
    )
    stated_full_name: str | None = Field(default=None, min_length=2, max_length=120)
    looked_up_at: datetime | None = Field(
        default=None, description="When the clinic looked the card up (event time)"
    )
    agency_record_id: str | None = Field(default=None, max_length=64)

    @field_validator("id_number")
    @classmethod
    def _twelve_digits(cls, value: str) -> str:
        value = value.replace(" ", "")
        if not ID_NUMBER.match(value):
            raise ValueError("must be exactly 12 digits")
        return value


@router.post("/cards/lookup", response_model=LookupOut)
async def look_up(body: LookupIn, request: Request, reader: Reader) -> LookupOut:
    """A clinic's look-up by ID number (in the body, never in a URL); every look-up and its
    outcome is counted."""
    id_number = body.id_number
    today = request.app.state.vn_today()
    now = datetime.now(UTC)
    async with request.app.state.pool.acquire() as conn:
        rows = await repository.cards_by_id_number(conn, id_number)
    cards = [
        CardOut(
            **{**r, "full_name": r["full_name"] if reader.may_see_personal_data() else None},
            valid_today=rules.card_is_valid(r["status"], r["valid_from"], r["valid_until"], today),
        )
        for r in rows
    ]
    outcome = LookupOutcome[
        rules.lookup_outcome(
            [
                (r["status"], r["valid_from"], r["valid_until"], r["birth_date"], r["full_name"])
                for r in rows
            ],
            today,
            body.stated_birth_date,
            body.stated_full_name,
        )
    ]
    found = outcome is LookupOutcome.FOUND_VALID
    bus: MessageBus[Any] = request.app.state.bus
    await bus.handle_in_transaction(
        request.app.state.pool,
        RecordLookup(
            lookup_id=str(uuid.uuid4()),
            subject_id=request.app.state.subjects.for_id_number(id_number),
            facility_code=body.facility_code,
            unit_code=body.unit_code,
            stated_birth_date=body.stated_birth_date,
            outcome=outcome,
            looked_up_at=body.looked_up_at or now,
            recorded_at=now,
            agency_record_id=body.agency_record_id,
        ),
    )
    LOOKUPS.labels("found" if found else "not_found").inc()
    return LookupOut(found=found, outcome=outcome.name, cards=cards)


@router.get("/lookup-stats")
async def lookup_stats(request: Request, reader: Reader) -> dict[str, int]:
    """How many card look-ups clinics made and how many found a valid card."""
    async with request.app.state.pool.acquire() as conn:
        total, found = await repository.lookup_counts(conn)
    return {"lookups": total, "successful": found}
