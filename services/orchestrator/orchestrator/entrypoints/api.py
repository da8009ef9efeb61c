"""Orchestrator HTTP API: saga status and history; stuck and breached lists; officer acts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from lienthong.bus import MessageBus
from lienthong.policy import SYSTEM_AGENCY, Access, Resource, Scope, guard
from lienthong.problems import Problem
from orchestrator.adapters import repository
from orchestrator.domain.saga import PLANS, STEP_AGENCY, Step
from orchestrator.service_layer.officer import CancelBundle, OfficerRefused, RetryStep

router = APIRouter(prefix="/api/v1", tags=["bundles"])
Officer = Annotated[Access, Depends(guard("bundle.act", officer=Scope.UNIT))]
Reader = Annotated[Access, Depends(guard("bundle.read", officer=Scope.UNIT, auditor=Scope.AUDITED))]


def _agencies(bundle_type: str, steps: tuple[Step, ...] | None = None) -> frozenset[str]:
    """The agencies whose officers may see or act on a bundle (or on some of its steps)."""
    chosen = steps if steps is not None else tuple(PLANS.get(bundle_type, {}))
    return frozenset(
        SYSTEM_AGENCY[STEP_AGENCY[s]] for s in chosen if STEP_AGENCY[s] in SYSTEM_AGENCY
    )


def _resource(bundle: repository.BundleRow, steps: tuple[Step, ...] | None = None) -> Resource:
    return Resource(
        "bundle",
        str(bundle.bundle_id),
        unit_code=bundle.unit_code,
        agencies=_agencies(bundle.bundle_type, steps),
    )


class StepOut(BaseModel):
    step: str
    agency: str
    status: str
    attempts: int
    requested_at: datetime | None
    completed_at: datetime | None
    deadline_at: datetime | None
    detail: str | None


class BundleOut(BaseModel):
    bundle_id: str
    bundle_type: str
    dossier_id: str
    dossier_code: str | None
    procedure_code: str
    unit_code: str
    subject_id: str
    state: str
    started_at: datetime
    deadline_at: datetime
    completed_at: datetime | None
    steps: list[StepOut]
    history: list[dict[str, Any]]


class ReasonIn(BaseModel):
    reason: str = Field(min_length=3, max_length=300)


async def _view(request: Request, bundle: repository.BundleRow | None, access: Access) -> BundleOut:
    if bundle is None:
        raise Problem(404, "not-found", "No such bundle")
    access.require(_resource(bundle))
    async with request.app.state.pool.acquire() as conn:
        steps = await repository.steps(conn, bundle.bundle_id)
        history = await repository.history(conn, bundle.bundle_id)
    return BundleOut(
        bundle_id=str(bundle.bundle_id),
        bundle_type=bundle.bundle_type,
        dossier_id=str(bundle.dossier_id),
        dossier_code=bundle.dossier_code,
        procedure_code=bundle.procedure_code,
        unit_code=bundle.unit_code,
        subject_id=bundle.subject_id,
        state=bundle.state.value,
        started_at=bundle.started_at,
        deadline_at=bundle.deadline_at,
        completed_at=bundle.completed_at,
        steps=[
            StepOut(
                step=s.step.value,
                agency=s.agency,
                status=s.status,
                attempts=s.attempts,
                requested_at=s.requested_at,
                completed_at=s.completed_at,
                deadline_at=s.deadline_at,
                detail=s.detail,
            )
            for s in steps
        ],
        history=history,
    )


@router.get("/bundles/{bundle_id}", response_model=BundleOut)
async def get_bundle(bundle_id: uuid.UUID, request: Request, reader: Reader) -> BundleOut:
    """A bundle's status, steps and full history."""
    async with request.app.state.pool.acquire() as conn:
        bundle = await repository.bundle(conn, bundle_id)
    return await _view(request, bundle, reader)


@router.get("/bundles", response_model=BundleOut)
async def find_bundle(
    request: Request,
    reader: Reader,
    dossier_id: uuid.UUID | None = None,
    dossier_code: str | None = None,
) -> BundleOut:
    """The bundle of a dossier, by dossier id or code (a certificate number for bundles
    started by the civil registry)."""
    if dossier_id is None and dossier_code is None:
        raise Problem(
            422,
            "validation-error",
            "Give dossier_id or dossier_code",
            errors=[{"pointer": "/dossier_id", "detail": "dossier_id or dossier_code required"}],
        )
    async with request.app.state.pool.acquire() as conn:
        if dossier_id is not None:
            bundle = await repository.bundle_for_dossier(conn, str(dossier_id))
        else:
            bundle = await repository.bundle_by_code(conn, str(dossier_code))
    return await _view(request, bundle, reader)


@router.get("/attention")
async def attention(
    request: Request,
    reader: Reader,
    kind: Literal["stuck", "breached"] = "stuck",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """Bundles needing an officer: stuck (failed, under review, overdue) or breached."""
    async with request.app.state.pool.acquire() as conn:
        rows = await repository.listing(conn, kind, datetime.now(UTC), limit)
    return [
        {**r, "bundle_id": str(r["bundle_id"]), "dossier_id": str(r["dossier_id"])}
        for r in rows
        if reader.allows(
            Resource(
                "bundle",
                str(r["bundle_id"]),
                unit_code=r.get("unit_code"),
                agencies=_agencies(str(r.get("bundle_type", ""))),
            )
        )
    ]


async def _act(
    request: Request, command: object, access: Access, bundle_id: uuid.UUID, step: Step | None
) -> dict[str, str]:
    """Act on a bundle as an officer of the registering agency (or, for a step, of the step's
    agency) whose unit subtree holds the bundle."""
    async with request.app.state.pool.acquire() as conn:
        bundle = await repository.bundle(conn, bundle_id)
    if bundle is None:
        raise Problem(404, "not-found", "No such bundle")
    registering = next(iter(PLANS.get(bundle.bundle_type, {})), None)
    acting = tuple(s for s in (registering, step) if s is not None)
    access.require(_resource(bundle, acting))
    bus: MessageBus[Any] = request.app.state.bus
    try:
        result: dict[str, str] = await bus.handle_in_transaction(request.app.state.pool, command)
    except OfficerRefused as refused:
        raise Problem(
            409, "not-allowed-now", "This bundle cannot do that now", detail=refused.reason
        ) from None
    return result


@router.post("/bundles/{bundle_id}/steps/{step}/retry")
async def retry_step(
    bundle_id: uuid.UUID, step: Step, body: ReasonIn, request: Request, officer: Officer
) -> dict[str, str]:
    """Resend a step's command (a rejected step gets a new command); recorded with the officer.

    Allowed to an officer of the step's agency or of the registering agency, in the bundle's
    unit subtree."""
    command = RetryStep(bundle_id, step, body.reason, officer.principal.subject)
    return await _act(request, command, officer, bundle_id, step)


@router.post("/bundles/{bundle_id}/cancel")
async def cancel_bundle(
    bundle_id: uuid.UUID, body: ReasonIn, request: Request, officer: Officer
) -> dict[str, str]:
    """Cancel a bundle: nothing more is requested; recorded with the officer. Allowed to an
    officer of the registering agency (civil registry) in the bundle's unit subtree."""
    command = CancelBundle(bundle_id, body.reason, officer.principal.subject)
    return await _act(request, command, officer, bundle_id, None)
