"""Civil registry HTTP API: an officer registers deaths and changes of civil status."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import AfterValidator, BaseModel, Field, field_validator

from civil_registry.adapters import repository
from civil_registry.domain.events import (
    BirthRegistrationType,
    ChangeType,
    Gender,
    RegisterBirthAtCounter,
    RegisterCivilStatusChange,
    RegisterDeath,
    RegisteredPerson,
)
from civil_registry.service_layer.handlers import RegistrationRefused
from lienthong.auth import Principal
from lienthong.bounds import plausible_birth_date, plausible_event_date
from lienthong.bus import MessageBus
from lienthong.policy import Scope, as_principal, guard, require_officer_unit
from lienthong.problems import Problem
from lienthong.subjects import SubjectIds

ID_NUMBER = re.compile(r"^\d{12}$")
router = APIRouter(prefix="/api/v1", tags=["civil registry"])
Officer = Annotated[
    Principal,
    Depends(
        as_principal(guard("civil-registration.write", officer=Scope.UNIT, agencies=("JUSTICE",)))
    ),
]
Reader = Annotated[
    Principal,
    Depends(
        as_principal(
            guard(
                "civil-registration.read",
                officer=Scope.UNIT,
                auditor=Scope.AUDITED,
                agencies=("JUSTICE",),
                personal_data=True,
            )
        )
    ),
]

REFUSAL_POINTERS = {
    "UNKNOWN_ADMINISTRATIVE_UNIT": "/unit_code",
    "DEATH_ALREADY_REGISTERED": "/id_number",
    "PERSON_DECEASED": "/id_number",
    "BIRTH_DATE_MISSING": "/child/birth_date",
    "BIRTH_DATE_IN_FUTURE": "/child/birth_date",
    "REGISTERED_BEFORE_BIRTH": "/registered_at",
    "REGISTERED_IN_FUTURE": "/registered_at",
    "DATE_OF_DEATH_IN_FUTURE": "/date_of_death",
    "DATE_OF_DEATH_BEFORE_BIRTH": "/date_of_death",
    "FIELD_NOT_CHANGEABLE": "/field",
    "NEW_VALUE_EMPTY": "/new_value",
    "NOTHING_CHANGES": "/new_value",
}


BirthDate = Annotated[date, AfterValidator(plausible_birth_date)]
EventDate = Annotated[date, AfterValidator(plausible_event_date)]


class PersonIn(BaseModel):
    id_number: str = Field(description="12-digit personal ID number")
    full_name: str = Field(min_length=2, max_length=120)
    birth_date: BirthDate | None = None
    gender: Gender | None = None

    @field_validator("id_number")
    @classmethod
    def _twelve_digits(cls, value: str) -> str:
        value = value.replace(" ", "")
        if not ID_NUMBER.match(value):
            raise ValueError("must be exactly 12 digits")
        return value


class ParentIn(BaseModel):
    """A parent as the register knows them: the ID number is absent when the parent has
    none (a foreign or undocumented parent, a mother registered without papers)."""

    id_number: str | None = Field(default=None, description="12-digit personal ID number, if any")
    full_name: str = Field(min_length=2, max_length=120)
    birth_date: date | None = None
    gender: Gender | None = None

    @field_validator("id_number")
    @classmethod
    def _twelve_digits(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.replace(" ", "")
        if not ID_NUMBER.match(value):
            raise ValueError("must be exactly 12 digits")
        return value


class ChildIn(BaseModel):
    full_name: str = Field(min_length=2, max_length=120)
    birth_date: BirthDate
    gender: Gender


class BirthIn(BaseModel):
    unit_code: str = Field(pattern=r"^\d{2,5}$")
    place_of_birth: str | None = Field(
        default=None, min_length=2, max_length=200, description="Null when unknown"
    )
    child: ChildIn
    father: ParentIn | None = None
    mother: ParentIn | None = None
    registered_at: datetime | None = Field(
        default=None,
        description="When the registration took effect in the register (event time, with a "
        "time zone); defaults to now. A registry publishing an earlier entry sends its date.",
    )
    registration_type: BirthRegistrationType | None = Field(
        default=None,
        description="on_time, late or re_registration; derived from the dates when absent",
    )
    agency_record_id: str | None = Field(
        default=None, max_length=64, description="The registry's own id of this entry"
    )

    @field_validator("registered_at")
    @classmethod
    def _zoned(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("must carry a time zone")
        return value


class DeathIn(PersonIn):
    unit_code: str = Field(pattern=r"^\d{2,5}$")
    date_of_death: EventDate
    place_of_death: str = Field(min_length=2, max_length=200)


class ChangeIn(PersonIn):
    unit_code: str = Field(pattern=r"^\d{2,5}$")
    change_type: ChangeType
    field: str = Field(description="full_name, birth_date or gender")
    new_value: str = Field(min_length=1, max_length=120)
    effective_date: EventDate


class RegistrationOut(BaseModel):
    registration_id: str
    certificate_number: str
    kind: str
    unit_code: str
    registered_at: datetime


def _parent(
    body: ParentIn, subjects: SubjectIds, registration_id: str, role: str
) -> RegisteredPerson:
    subject_id = (
        subjects.for_id_number(body.id_number)
        if body.id_number
        else subjects.provisional("civil_registry", f"{registration_id}/{role}")
    )
    return RegisteredPerson(
        subject_id=subject_id,
        id_number=body.id_number,
        full_name=" ".join(body.full_name.split()),
        birth_date=body.birth_date,
        gender=body.gender,
    )


def _person(body: PersonIn, subjects: SubjectIds) -> RegisteredPerson:
    return RegisteredPerson(
        subject_id=subjects.for_id_number(body.id_number),
        id_number=body.id_number,
        full_name=" ".join(body.full_name.split()),
        birth_date=body.birth_date,
        gender=body.gender,
    )


async def _handle(request: Request, command: object) -> Any:
    bus: MessageBus[Any] = request.app.state.bus
    try:
        return await bus.handle_in_transaction(request.app.state.pool, command)
    except RegistrationRefused as refused:
        pointer = REFUSAL_POINTERS.get(refused.reason, "")
        raise Problem(
            409,
            "registration-refused",
            "The civil registry refuses this registration",
            detail=refused.reason,
            errors=[{"pointer": pointer, "detail": refused.reason}],
            reason=refused.reason,
        ) from None


@router.post("/births", status_code=201, response_model=RegistrationOut)
async def register_birth(body: BirthIn, request: Request, officer: Officer) -> RegistrationOut:
    """Register a birth (khai sinh), possibly recorded later than it took effect; starts the
    linked birth bundle."""
    require_officer_unit(officer, body.unit_code)
    subjects: SubjectIds = request.app.state.subjects
    registration_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    child = RegisteredPerson(
        subject_id=subjects.provisional("civil_registry", registration_id),
        id_number=None,
        full_name=" ".join(body.child.full_name.split()),
        birth_date=body.child.birth_date,
        gender=body.child.gender,
    )
    command = RegisterBirthAtCounter(
        registration_id=registration_id,
        unit_code=body.unit_code,
        child=child,
        father=_parent(body.father, subjects, registration_id, "father") if body.father else None,
        mother=_parent(body.mother, subjects, registration_id, "mother") if body.mother else None,
        place_of_birth=body.place_of_birth or "",
        registered_at=body.registered_at or now,
        recorded_at=now,
        registration_type=body.registration_type,
        agency_record_id=body.agency_record_id,
    )
    event = await _handle(request, command)
    return RegistrationOut(
        registration_id=event.registration_id,
        certificate_number=event.certificate_number,
        kind="birth",
        unit_code=event.unit_code,
        registered_at=event.registered_at,
    )


@router.post("/deaths", status_code=201, response_model=RegistrationOut)
async def register_death(body: DeathIn, request: Request, officer: Officer) -> RegistrationOut:
    """Register a death (khai tử); a second death of the same person is refused."""
    require_officer_unit(officer, body.unit_code)
    command = RegisterDeath(
        registration_id=str(uuid.uuid4()),
        unit_code=body.unit_code,
        deceased=_person(body, request.app.state.subjects),
        date_of_death=body.date_of_death,
        place_of_death=body.place_of_death,
        registered_at=datetime.now(UTC),
    )
    event = await _handle(request, command)
    return RegistrationOut(
        registration_id=event.registration_id,
        certificate_number=event.certificate_number,
        kind="death",
        unit_code=event.unit_code,
        registered_at=event.registered_at,
    )


@router.post("/civil-status-changes", status_code=201, response_model=RegistrationOut)
async def register_change(body: ChangeIn, request: Request, officer: Officer) -> RegistrationOut:
    """Register a change of civil status (thay đổi hộ tịch), e.g. surname after paternity."""
    require_officer_unit(officer, body.unit_code)
    command = RegisterCivilStatusChange(
        registration_id=str(uuid.uuid4()),
        unit_code=body.unit_code,
        person=_person(body, request.app.state.subjects),
        change_type=body.change_type,
        field=body.field,
        new_value=" ".join(body.new_value.split()),
        effective_date=body.effective_date,
        registered_at=datetime.now(UTC),
    )
    event = await _handle(request, command)
    return RegistrationOut(
        registration_id=event.registration_id,
        certificate_number=event.certificate_number,
        kind="change",
        unit_code=event.unit_code,
        registered_at=event.registered_at,
    )


@router.get("/registrations/{registration_id}", response_model=RegistrationOut)
async def get_registration(
    registration_id: uuid.UUID, request: Request, reader: Reader
) -> RegistrationOut:
    """One registration of the register (no personal data)."""
    async with request.app.state.pool.acquire() as conn:
        row = await repository.registration(conn, registration_id)
    if row is None:
        raise Problem(404, "not-found", "No such registration")
    return RegistrationOut(
        registration_id=str(row["registration_id"]),
        certificate_number=row["certificate_number"],
        kind=row["kind"],
        unit_code=row["unit_code"],
        registered_at=row["registered_at"],
    )
