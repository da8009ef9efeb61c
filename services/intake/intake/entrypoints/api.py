"""Intake HTTP API: submit a dossier on any channel, read its status."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import json
import re
import time
import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel, Field, field_validator

from intake.adapters import repository
from intake.domain import errors, rules
from intake.domain.commands import ActOnDossier, PersonInput, SubmitDossier
from intake.domain.lifecycle import OPEN, Action
from intake.domain.model import (
    Channel,
    DocumentRef,
    Dossier,
    DossierStatus,
    Gender,
    PersonRole,
)
from intake.domain.procedures import ProcedureCatalog
from intake.service_layer.handlers import CLOCK_SKEW, ActionRecorded, now
from lienthong.auth import Role
from lienthong.bounds import plausible_birth_date
from lienthong.bus import MessageBus
from lienthong.policy import Access, Resource, Scope, guard, public
from lienthong.problems import Problem
from lienthong.ratelimit import RateLimits
from lienthong.subjects import SubjectIds
from lienthong.vn.units import UnitDirectory, day_in_vietnam

ID_NUMBER = re.compile(r"^[0-9]{12}$")
# A dossier may state the person's 12-digit personal ID number or, for someone who has not
# moved to a CCCD yet, the old 9-digit CMND number; identity resolves the latter through
# the population registry's aliases.
STATED_NUMBER = re.compile(r"^(?:[0-9]{12}|[0-9]{9})$")
router = APIRouter(prefix="/api/v1", tags=["dossiers"])


class PersonIn(BaseModel):
    role: PersonRole
    full_name: str = Field(min_length=2, max_length=120)
    id_number: str | None = Field(
        default=None, description="12-digit personal ID number, or the old 9-digit CMND number"
    )
    birth_date: date | None = None
    gender: Gender | None = None

    @field_validator("id_number")
    @classmethod
    def _twelve_or_nine_digits(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = "".join(value.split())
        if not STATED_NUMBER.match(value):
            raise ValueError("must be a 12-digit ID number or a 9-digit CMND number")
        return value

    @field_validator("full_name")
    @classmethod
    def _name(cls, value: str) -> str:
        # isdecimal, not isdigit: a name typed in the legacy TCVN3 font arrives with "ạ"
        # read as "¹" (superscript one), which isdigit() counts as a digit.
        value = " ".join(value.split())
        if any(ch.isdecimal() for ch in value):
            raise ValueError("a name has no digits")
        return value

    @field_validator("birth_date")
    @classmethod
    def _plausible(cls, value: date | None) -> date | None:
        return plausible_birth_date(value)


class DocumentIn(BaseModel):
    code: str = Field(min_length=2, max_length=64, description="document code in the catalog")
    ref: str = Field(
        min_length=4,
        max_length=80,
        description="doc:<uuid> (digitized document) or sha256:<hex> (reuse of a result)",
    )


class DossierIn(BaseModel):
    procedure_code: str = Field(min_length=2, max_length=64)
    channel: Channel
    unit_code: str = Field(pattern=r"^\d{2,5}$", description="province, district or commune code")
    persons: list[PersonIn] = Field(min_length=1, max_length=10)
    document_refs: list[str] = Field(default_factory=list, max_length=50)
    documents: list[DocumentIn] | None = Field(
        default=None,
        max_length=50,
        description=(
            "the dossier's components by catalog code; when given, every required document "
            "of the procedure must be present and each reference well-formed"
        ),
    )
    received_at: datetime | None = Field(
        default=None, description="when the counter received it (event time); default now"
    )

    @field_validator("received_at")
    @classmethod
    def _received_not_future(cls, value: datetime | None) -> datetime | None:
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("needs a UTC offset")
            if value > now() + CLOCK_SKEW:
                raise ValueError("is in the future")
        return value


class ActionIn(BaseModel):
    action: Action
    occurred_at: datetime | None = Field(
        default=None,
        description="when the officer really acted (event time); default now. A late entry "
        "gives the earlier time.",
    )
    reason: str | None = Field(default=None, max_length=2000)
    new_appointment_at: datetime | None = Field(
        default=None, description="apologize only: the new appointment date"
    )
    correction_of: uuid.UUID | None = Field(
        default=None, description="correct only: change_id of the change being corrected"
    )

    @field_validator("occurred_at", "new_appointment_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a UTC offset")
        return value


class ActionOut(BaseModel):
    change_id: uuid.UUID
    status: str
    sequence: int


class StatusChangeOut(BaseModel):
    change_id: uuid.UUID
    sequence: int
    action: Action
    from_status: str
    to_status: str
    occurred_at: datetime
    recorded_at: datetime
    officer_id: str | None
    officer_unit_code: str | None
    reason: str | None
    new_appointment_at: datetime | None
    correction_of: uuid.UUID | None


class PersonOut(BaseModel):
    role: PersonRole
    subject_id: str
    full_name: str
    id_number: str | None
    birth_date: date | None


class DossierOut(BaseModel):
    id: uuid.UUID
    code: str
    procedure_code: str
    channel: Channel
    unit_code: str
    status: str
    submitted_at: datetime
    appointment_at: datetime
    persons: list[PersonOut]
    current_appointment_at: datetime | None = None
    completed_at: datetime | None = None
    overdue: bool = False
    documents: list[DocumentIn] = Field(default_factory=list)
    event_sequence: int = 1
    portal_synced_sequence: int = 0
    portal_in_sync: bool = False
    acknowledgement_due_at: datetime | None = None
    acknowledgement_overdue: bool = False


def _resource(request: Request, dossier: Dossier) -> Resource:
    catalog: ProcedureCatalog = request.app.state.procedures
    agencies = (
        frozenset(a.value for a in catalog.get(dossier.procedure_code).participating_agencies)
        if dossier.procedure_code in catalog
        else frozenset()
    )
    return Resource(
        "dossier",
        str(dossier.id),
        unit_code=dossier.unit_code,
        agencies=agencies,
        parties=frozenset(p.subject_id for p in dossier.persons),
    )


PERSONAL_FIELDS = ("full_name", "id_number", "birth_date")


def _out(dossier: Dossier, access: Access) -> DossierOut:
    name, number, birth = (access.reveals(f) for f in PERSONAL_FIELDS)
    return DossierOut(
        id=dossier.id,
        code=dossier.code,
        procedure_code=dossier.procedure_code,
        channel=dossier.channel,
        unit_code=dossier.unit_code,
        status=dossier.status.value,
        submitted_at=dossier.submitted_at,
        appointment_at=dossier.appointment_at,
        persons=[
            PersonOut(
                role=p.role,
                subject_id=p.subject_id,
                full_name=p.full_name if name else _mask(p.full_name),
                id_number=p.id_number if number else None,
                birth_date=p.birth_date if birth else None,
            )
            for p in dossier.persons
        ],
        current_appointment_at=dossier.current_appointment_at,
        completed_at=dossier.completed_at,
        overdue=dossier.overdue_flagged_at is not None,
        documents=[DocumentIn(code=d.code, ref=d.ref) for d in dossier.documents],
        event_sequence=dossier.event_sequence,
        portal_synced_sequence=dossier.portal_synced_sequence,
        portal_in_sync=dossier.portal_synced_sequence >= dossier.event_sequence,
        acknowledgement_due_at=dossier.acknowledgement_due_at,
        acknowledgement_overdue=dossier.acknowledgement_overdue_at is not None,
    )


def _mask(name: str) -> str:
    return " ".join(part[0] + "." for part in name.split())


def _problem(exc: errors.IntakeError) -> Problem:
    field_errors = [{"pointer": exc.pointer, "detail": exc.detail}] if exc.pointer else None
    if isinstance(exc, errors.InvalidDocuments):
        field_errors = [{"pointer": p, "detail": d} for p, d in exc.field_errors]
    if isinstance(exc, errors.UnknownUnit) and exc.successors:
        became = [{"code": u.code, "name": u.name} for u in exc.successors]
        return Problem(
            exc.status, exc.type, exc.title, exc.detail, errors=field_errors, successors=became
        )
    return Problem(exc.status, exc.type, exc.title, exc.detail, errors=field_errors)


def _bus(request: Request) -> MessageBus[Any]:
    bus: MessageBus[Any] = request.app.state.bus
    return bus


Submitter = Annotated[
    Access, Depends(guard("dossier.submit", citizen=Scope.OWN, officer=Scope.UNIT))
]
Actor = Annotated[Access, Depends(guard("dossier.act", officer=Scope.UNIT))]
Reader = Annotated[
    Access,
    Depends(
        guard(
            "dossier.read",
            citizen=Scope.OWN,
            officer=Scope.UNIT,
            auditor=Scope.AUDITED,
            personal_data=True,
        )
    ),
]


def _submits_as_themselves(body: DossierIn, access: Access) -> None:
    """A citizen submits only as the dossier's applicant, named by their own ID number."""
    subjects = access.subjects
    applicants = [(i, p) for i, p in enumerate(body.persons) if p.role is PersonRole.APPLICANT]
    for _, person in applicants:
        if (
            person.id_number is not None
            and subjects is not None
            and subjects.for_id_number(person.id_number) == access.subject
        ):
            return
    pointer = f"/persons/{applicants[0][0]}/id_number" if applicants else "/persons"
    raise Problem(
        403,
        "not-yourself",
        "A citizen submits only as the applicant, with their own ID number",
        errors=[{"pointer": pointer, "detail": "is not the ID number of the signed-in citizen"}],
    )


@router.post(
    "/dossiers",
    status_code=201,
    response_model=DossierOut,
    responses={
        422: {
            "description": (
                "application/problem+json with field errors: unknown-procedure, "
                "unknown-administrative-unit (no such unit on the day of receipt), "
                "administrative-unit-not-in-force (a legacy code after 1 July 2025 or a "
                "dissolved commune; `successors` lists the `{code, name}` of the unit(s) it "
                "became), administrative-unit-not-served, procedure-not-accepted-at-unit, "
                "invalid-documents, validation-error"
            ),
            "content": {"application/problem+json": {}},
        }
    },
)
async def submit_dossier(
    body: DossierIn,
    request: Request,
    access: Submitter,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> DossierOut:
    """Submit a dossier; a retried request with the same Idempotency-Key returns the same one.

    A citizen submits on the portal, as the applicant; an officer for their unit subtree."""
    principal = access.principal
    if principal.role is Role.CITIZEN:
        if body.channel is not Channel.PORTAL:
            raise Problem(403, "forbidden", "Citizens submit on the portal channel only")
        _submits_as_themselves(body, access)
    access.require_unit(body.unit_code)
    fingerprint = hashlib.sha256(
        json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()
    command = SubmitDossier(
        procedure_code=body.procedure_code,
        channel=body.channel,
        unit_code=body.unit_code,
        persons=tuple(
            PersonInput(p.role, p.full_name, p.id_number, p.birth_date, p.gender)
            for p in body.persons
        ),
        received_at=body.received_at or now(),
        document_refs=tuple(body.document_refs),
        documents=(
            None
            if body.documents is None
            else tuple(DocumentRef(d.code, d.ref) for d in body.documents)
        ),
        officer_id=principal.subject if principal.role is Role.OFFICER else None,
        idempotency_key=f"{principal.subject}:{idempotency_key}" if idempotency_key else None,
        request_fingerprint=fingerprint,
    )
    try:
        dossier = await _bus(request).handle_in_transaction(request.app.state.pool, command)
    except errors.IntakeError as exc:
        raise _problem(exc) from exc
    return _out(dossier, access)


@router.get("/dossiers/{dossier_id}", response_model=DossierOut)
async def get_dossier(dossier_id: uuid.UUID, request: Request, access: Reader) -> DossierOut:
    """A dossier and its current status (personal fields as the caller's agency needs them;
    the read is recorded)."""
    async with request.app.state.pool.acquire() as conn:
        dossier = await repository.get(conn, dossier_id)
        if dossier is None:
            raise _problem(errors.DossierNotFound(f"dossier {dossier_id}"))
        resource = _resource(request, dossier)
        access.require(resource)
        await access.record_read(conn, resource, [f for f in PERSONAL_FIELDS if access.reveals(f)])
    return _out(dossier, access)


@router.post("/dossiers/{dossier_id}/actions", status_code=201, response_model=ActionOut)
async def act_on_dossier(
    dossier_id: uuid.UUID, body: ActionIn, request: Request, access: Actor
) -> ActionOut:
    """Record an officer's action (transition, apology, correction) at the time it happened."""
    principal = access.principal
    command = ActOnDossier(
        dossier_id=dossier_id,
        action=body.action,
        occurred_at=body.occurred_at or now(),
        officer_id=principal.subject,
        officer_unit_code=principal.unit,
        scoped_to_unit=principal.role is Role.OFFICER,
        reason=body.reason,
        new_appointment_at=body.new_appointment_at,
        correction_of=body.correction_of,
    )
    try:
        result: ActionRecorded = await _bus(request).handle_in_transaction(
            request.app.state.pool, command
        )
    except errors.IntakeError as exc:
        raise _problem(exc) from exc
    return ActionOut(
        change_id=result.change_id, status=result.status.value, sequence=result.sequence
    )


@router.get("/dossiers/{dossier_id}/history", response_model=list[StatusChangeOut])
async def dossier_history(
    dossier_id: uuid.UUID, request: Request, access: Reader
) -> list[StatusChangeOut]:
    """Every action on a dossier in order, corrections included (nothing is overwritten)."""
    async with request.app.state.pool.acquire() as conn:
        dossier = await repository.get(conn, dossier_id)
        if dossier is None:
            raise _problem(errors.DossierNotFound(f"dossier {dossier_id}"))
        access.require(_resource(request, dossier))
        changes = await repository.history(conn, dossier_id)
    return [
        StatusChangeOut(
            change_id=c.change_id,
            sequence=c.sequence,
            action=c.action,
            from_status=c.from_status.value,
            to_status=c.to_status.value,
            occurred_at=c.occurred_at,
            recorded_at=c.recorded_at,
            officer_id=c.officer_id,
            officer_unit_code=c.officer_unit_code,
            reason=c.reason,
            new_appointment_at=c.new_appointment_at,
            correction_of=c.correction_of,
        )
        for c in changes
    ]


class LookupIn(BaseModel):
    """What the citizen holds: the receipt's dossier code and their own ID number."""

    code: str = Field(min_length=8, max_length=40, pattern=r"^\d{2,5}-\d{8}-\d{6,}$")
    id_number: str = Field(description="12-digit personal ID number of a person of the dossier")

    @field_validator("id_number")
    @classmethod
    def _twelve_digits(cls, value: str) -> str:
        value = value.replace(" ", "")
        if not ID_NUMBER.match(value):
            raise ValueError("must be exactly 12 digits")
        return value


#: Every look-up answers after at least this long (found or not), so timing reveals nothing.
LOOKUP_ANSWER_SECONDS = 0.15


class LookupOut(BaseModel):
    """A dossier's status as the citizen may see it: no personal data at all."""

    code: str
    procedure_code: str
    channel: Channel
    unit_code: str
    status: str
    submitted_at: datetime
    appointment_at: datetime
    current_appointment_at: datetime
    completed_at: datetime | None
    overdue: bool


@router.post(
    "/dossier-lookups",
    response_model=LookupOut,
    tags=["citizen"],
    responses={404: {"description": "no dossier with this code and ID number"}},
)
async def look_up_dossier(
    body: LookupIn,
    request: Request,
    response: Response,
    _: Annotated[None, Depends(public("dossier.lookup"))],
) -> LookupOut:
    """Public status look-up by dossier code + ID number (no token).

    The ID number travels in the body, never the URL (URLs end up in access logs and
    traces). A wrong code and a wrong ID number give the same 404, so the answer reveals
    nothing about which dossiers exist; the answer carries no personal data and is not cached.
    Look-ups are limited per client and per person looked up (429 with Retry-After), so
    codes cannot be enumerated, and every answer takes the same minimum time, so its timing
    does not tell a found dossier from a missing one.
    """
    response.headers["Cache-Control"] = "no-store"
    started = time.perf_counter()
    limits: RateLimits = request.app.state.rate_limits
    subjects: SubjectIds = request.app.state.subjects
    await limits.check("subject", subjects.for_id_number(body.id_number))
    async with request.app.state.pool.acquire() as conn:
        dossier = await repository.find_for_citizen(conn, body.code, body.id_number)
    await asyncio.sleep(max(0.0, LOOKUP_ANSWER_SECONDS - (time.perf_counter() - started)))
    if dossier is None:
        raise Problem(
            404,
            "dossier-not-found",
            "No dossier matches this code and ID number",
            "check the code on the receipt and the ID number of a person of the dossier",
        )
    return LookupOut(
        code=dossier.code,
        procedure_code=dossier.procedure_code,
        channel=dossier.channel,
        unit_code=dossier.unit_code,
        status=dossier.status.value,
        submitted_at=dossier.submitted_at,
        appointment_at=dossier.appointment_at,
        current_appointment_at=dossier.current_appointment_at,
        completed_at=dossier.completed_at,
        overdue=dossier.overdue_flagged_at is not None,
    )


class QueueItemOut(BaseModel):
    id: uuid.UUID
    code: str
    procedure_code: str
    channel: Channel
    unit_code: str
    status: str
    submitted_at: datetime
    appointment_at: datetime
    current_appointment_at: datetime
    overdue: bool
    acknowledgement_due_at: datetime | None


class WorkQueueOut(BaseModel):
    items: list[QueueItemOut]
    next_cursor: str | None = Field(
        default=None, description="pass as `cursor` for the next page; absent on the last"
    )


Officer = Annotated[
    Access, Depends(guard("work-queue.read", officer=Scope.UNIT, auditor=Scope.AUDITED))
]
#: "Due soon" = the statutory deadline falls within this window (overdue ones included).
DUE_SOON = timedelta(hours=24)


def _encode_cursor(at: datetime, dossier_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{dossier_id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        at, dossier_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        parsed = datetime.fromisoformat(at)
        if parsed.tzinfo is None:
            raise ValueError("naive")
        return parsed, uuid.UUID(dossier_id)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise Problem(
            422,
            "validation-error",
            "The request has invalid fields",
            "1 field(s) are invalid",
            errors=[{"pointer": "/cursor", "detail": "not a cursor this API returned"}],
        ) from exc


@router.get("/work-queue", response_model=WorkQueueOut, tags=["officer"])
async def work_queue(
    request: Request,
    access: Officer,
    unit_code: Annotated[str | None, Query(pattern=r"^\d{2,5}$")] = None,
    include_sub_units: bool = True,
    status: Annotated[list[DossierStatus] | None, Query()] = None,
    procedure_code: Annotated[str | None, Query(max_length=64)] = None,
    due: Literal["any", "soon", "overdue"] = "any",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> WorkQueueOut:
    """An officer's work queue: the dossiers of a unit (and the units below it), earliest
    statutory deadline first — so overdue ones lead — paginated by an opaque cursor.

    Defaults: the officer's own unit, open statuses. An officer may only list their unit or
    a unit below it (403 otherwise); an auditor or admin names the unit.
    """
    principal = access.principal
    units: UnitDirectory = request.app.state.units
    today = day_in_vietnam(now())
    unit = unit_code or principal.unit
    if unit is None:
        raise Problem(
            422,
            "validation-error",
            "The request has invalid fields",
            "1 field(s) are invalid",
            errors=[{"pointer": "/unit_code", "detail": "required without an officer's unit"}],
        )
    if units.get(unit, today) is None:
        raise _problem(errors.UnknownUnit(f"unit {unit!r} is not in force today", "/unit_code"))
    if principal.role is Role.OFFICER and not rules.may_act_on(principal.unit, unit, units, today):
        raise _problem(
            errors.NotYourUnit(f"unit {unit} is outside the officer's unit {principal.unit}")
        )
    statuses = [s.value for s in status] if status else sorted(s.value for s in OPEN)
    clock = now()
    due_before = {"any": None, "soon": clock + DUE_SOON, "overdue": clock}[due]
    async with request.app.state.pool.acquire() as conn:
        rows = await repository.work_queue(
            conn,
            unit_codes=rules.units_within(unit, units, today) if include_sub_units else [unit],
            statuses=statuses,
            procedure_code=procedure_code,
            due_before=due_before,
            after=_decode_cursor(cursor) if cursor else None,
            limit=limit + 1,
        )
    page = rows[:limit]
    return WorkQueueOut(
        items=[
            QueueItemOut(
                id=r.id,
                code=r.code,
                procedure_code=r.procedure_code,
                channel=r.channel,
                unit_code=r.unit_code,
                status=r.status.value,
                submitted_at=r.submitted_at,
                appointment_at=r.appointment_at,
                current_appointment_at=r.current_appointment_at,
                overdue=r.status in OPEN and r.appointment_at <= clock,
                acknowledgement_due_at=r.acknowledgement_due_at,
            )
            for r in page
        ],
        next_cursor=(
            _encode_cursor(page[-1].appointment_at, page[-1].id) if len(rows) > limit else None
        ),
    )
