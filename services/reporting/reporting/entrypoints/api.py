"""Read-model API: dossier status, the Project 06 report (as of any date), the audit trail."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from lienthong.auth import Principal, Role
from lienthong.personal import PersonalData
from lienthong.policy import Scope, as_principal, guard
from lienthong.problems import Problem
from lienthong.vn.units import Level
from reporting.adapters import figures, repository
from reporting.domain.audit import StoredEntry, json_safe, masked, without_boxes
from reporting.domain.report import UnitTree, Window, window
from reporting.domain.units import Target
from reporting.service_layer.by_unit import counts_by_unit
from reporting.service_layer.project06 import ReportRequest, build

router = APIRouter(prefix="/api/v1", tags=["read models"])
Reader = Annotated[
    Principal, Depends(as_principal(guard("report.read", officer=Scope.ALL, auditor=Scope.ALL)))
]


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
    """What reporting knows of one dossier, including its linked bundle (live version)."""
    async with (
        request.app.state.pool.acquire() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
        row = await figures.dossier_view(conn, await repository.live_schema(conn), dossier_id)
    if row is None:
        raise Problem(404, "dossier-not-found", "Reporting has not seen this dossier yet")
    return DossierView(**row)


@router.get("/reports/summary", response_model=Summary)
async def summary(request: Request, principal: Reader) -> Summary:
    """Dossiers by procedure, channel and unit; identity outcomes; linked bundles by unit."""
    async with (
        request.app.state.pool.acquire() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
        counted = await figures.summary(conn, await repository.live_schema(conn))
    return Summary(
        dossiers=[
            CountRow(
                key={"procedure_code": procedure, "channel": channel, "unit_code": unit},
                value={"dossiers": n},
            )
            for procedure, channel, unit, n in counted.dossiers
        ],
        identity_outcomes=counted.identity_outcomes,
        bundles=[
            CountRow(
                key={"bundle_type": kind, "unit_code": unit},
                value={"started": started, "completed": completed, "on_time": on_time},
            )
            for kind, unit, started, completed, on_time in counted.bundles
        ],
    )


def _window(first: date, last: date, as_of: date | None, corrections: bool) -> Window:
    errors = []
    if last < first:
        errors.append({"pointer": "/to", "detail": "must not be before 'from'"})
    if as_of is not None and as_of < first:
        errors.append({"pointer": "/as_of", "detail": "must not be before 'from'"})
    if errors:
        raise Problem(422, "validation-error", "The request has invalid fields", errors=errors)
    return window(first, last, as_of, corrections)


def _units(tree: UnitTree, unit: str | None) -> list[str] | None:
    if unit is None:
        return None
    if not tree.knows(unit):
        raise Problem(
            422,
            "validation-error",
            "The request has invalid fields",
            errors=[{"pointer": "/unit", "detail": f"unknown administrative unit {unit!r}"}],
        )
    return tree.with_descendants(unit)


class ReportQuery(BaseModel):
    first: date
    last: date
    as_of: date | None
    include_corrections: bool
    unit: str | None


def report_query(
    first: Annotated[date, Query(alias="from", description="first day (event time, UTC+7)")],
    last: Annotated[date, Query(alias="to", description="last day, inclusive")],
    as_of: Annotated[date | None, Query(description="what was known by the end of it")] = None,
    include_corrections: Annotated[
        bool, Query(description="also count what was recorded after 'as_of'")
    ] = False,
    unit: Annotated[str | None, Query(description="province, district or commune code")] = None,
) -> ReportQuery:
    return ReportQuery(
        first=first, last=last, as_of=as_of, include_corrections=include_corrections, unit=unit
    )


Report = Annotated[ReportQuery, Depends(report_query)]


def report_request(request: Request, query: ReportQuery) -> ReportRequest:
    """The validated window and unit set of a report query (problem document if invalid)."""
    tree: UnitTree = request.app.state.units
    return ReportRequest(
        first=query.first,
        last=query.last,
        as_of=query.as_of,
        include_corrections=query.include_corrections,
        unit=query.unit,
        window=_window(query.first, query.last, query.as_of, query.include_corrections),
        units=_units(tree, query.unit),
    )


@router.get("/reports/project06")
async def project06(request: Request, query: Report, principal: Reader) -> dict[str, Any]:
    """Every Project 06 figure, for a range and unit, as of a date, by event time: dossiers
    per essential service with decisions, on time / overdue / late-recorded, pending within
    due / overdue at the end of the range; births, ID-number errors, BHYT look-ups and valid
    cards, linked bundles, digitization; monthly trend; Vietnamese names."""
    return await build(
        request.app.state.pool,
        report_request(request, query),
        request.app.state.units,
        request.app.state.catalogue,
    )


@router.get("/reports/dossiers-by-unit")
async def dossiers_by_unit(
    request: Request,
    query: Report,
    principal: Reader,
    level: Annotated[
        Literal["province", "district", "commune"], Query(description="level of the rows")
    ] = "district",
    target: Annotated[
        Target,
        Query(
            description="'recorded': the layout in force on each dossier's day (legacy "
            "districts for 2022); '2025': re-aggregated onto today's units"
        ),
    ] = Target.RECORDED,
) -> dict[str, Any]:
    """Dossiers submitted in the range per province, district or commune, with Vietnamese
    names: in the layout of their day, or re-aggregated onto the 2025 units (a legacy
    commune counts in the 2025 commune it became). The total is the same for both targets;
    dossiers that have no unit at the asked level are counted as ``unallocated``."""
    if target is Target.REFORM_2025 and level == "district":
        raise Problem(
            422,
            "validation-error",
            "The request has invalid fields",
            errors=[{"pointer": "/level", "detail": "the 2025 layout has no district level"}],
        )
    return await counts_by_unit(
        request.app.state.pool,
        report_request(request, query),
        request.app.state.units,
        Level(level),
        target,
    )


@router.get("/reports/units")
async def units(request: Request, principal: Reader) -> list[dict[str, Any]]:
    """The administrative units figures can be asked for: the deployment's provinces in the
    legacy layout (province, districts, communes) and in the 2025 layout (province,
    communes), with Vietnamese names."""
    tree: UnitTree = request.app.state.units
    return [
        {"code": u.code, "name_vi": u.name_vi, "level": u.level, "parent_code": u.parent_code}
        for u in tree.units.values()
    ]


Auditor = Annotated[
    Principal,
    Depends(
        as_principal(
            guard("audit-trail.read", officer=Scope.ALL, auditor=Scope.AUDITED, personal_data=True)
        )
    ),
]


async def _trail(
    entries: list[StoredEntry], principal: Principal, request: Request
) -> list[dict[str, Any]]:
    # Officers are scoped to one unit but a trail spans agencies: only auditors and admins
    # see the personal data in it (Decree 13/2023: least privilege). Stored bodies hold it
    # sealed; it is opened here, per request, with the key service's audit of who asked.
    personal = principal.role in (Role.AUDITOR, Role.ADMIN) and principal.may_see_personal_data()
    sealed: PersonalData | None = getattr(request.app.state, "personal", None)
    bodies: list[Any] = []
    for s in entries:
        if not personal:
            bodies.append(masked(s.entry.body))
        elif sealed is None:
            bodies.append(without_boxes(s.entry.body))
        else:
            purpose = f"audit trail shown to {principal.role.value} {principal.subject}"
            shown = await sealed.reveal(s.entry.event_type, dict(s.entry.body), purpose)
            bodies.append(without_boxes(json_safe(shown)))
    return [
        {
            "seq": s.entry.seq,
            "event_id": s.entry.event_id,
            "what": s.entry.event_type,
            "who": {"source": s.entry.source, "actor": s.entry.actor},
            "when": {
                "event_time": s.entry.event_time.isoformat(),
                "recorded_at": s.entry.recorded_at.isoformat(),
            },
            "topic": s.entry.topic,
            "dossier_id": s.entry.dossier_id,
            "subjects": list(s.entry.subjects),
            "body": body,
            "hash": s.hash,
        }
        for s, body in zip(entries, bodies, strict=True)
    ]


@router.get("/audit/dossiers/{dossier_id}")
async def dossier_trail(
    dossier_id: uuid.UUID, request: Request, principal: Auditor
) -> list[dict[str, Any]]:
    """Every event about a dossier across topics, in event-time order: who, when, what."""
    async with request.app.state.pool.acquire() as conn:
        entries = await repository.audit_trail(conn, dossier_id=str(dossier_id))
    return await _trail(entries, principal, request)


@router.get("/audit/subjects/{subject_id}")
async def citizen_trail(
    subject_id: str, request: Request, principal: Auditor
) -> list[dict[str, Any]]:
    """Every event about a citizen (by pseudonymous subject id) across topics, in order."""
    if not subject_id.startswith("sub_") or len(subject_id) > 80:
        raise Problem(
            422,
            "validation-error",
            "The request has invalid fields",
            errors=[{"pointer": "/subject_id", "detail": "a pseudonymous subject id (sub_...)"}],
        )
    async with request.app.state.pool.acquire() as conn:
        entries = await repository.audit_trail(conn, subject_id=subject_id)
    return await _trail(entries, principal, request)
