"""Identity HTTP API: the officers' review queue (suspected duplicates, and the ranked
candidates of people without a usable number), the correction queue (likely data-entry
errors and their suggested fixes), bulk checks and the reconciliation counts.

Who may do what: officers, auditors and admins read the queues; officers and admins decide.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from identity.adapters import repository
from identity.domain.commands import (
    AddBulkRows,
    BulkRow,
    DecideCorrection,
    DecideReviewCase,
    ReviewError,
    StartBulkCheck,
)
from identity.domain.events import CorrectionDecision, Gender, MismatchCategory, ReviewDecision
from identity.domain.report_categories import BirthIdNumberError, classify
from identity.service_layer.handlers import MAX_BULK_ROWS
from lienthong.bus import MessageBus
from lienthong.policy import Access, Resource, Scope, guard
from lienthong.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["identity"])
#: Population data belongs to the Police; civil-registry officers see the queue they feed.
REVIEWING_AGENCIES = ("POLICE", "JUSTICE")
Reader = Annotated[
    Access,
    Depends(
        guard(
            "identity.read",
            officer=Scope.ALL,
            auditor=Scope.AUDITED,
            agencies=REVIEWING_AGENCIES,
        )
    ),
]
#: A same_person decision merges citizen records in the population data: Police only.
Decider = Annotated[
    Access, Depends(guard("review-case.decide", officer=Scope.ALL, agencies=("POLICE",)))
]
#: The correction queue shows stated and registered names and dates (personal data): the
#: agencies that correct them, and auditors, every read recorded.
CorrectionReader = Annotated[
    Access,
    Depends(
        guard(
            "correction-case.read",
            officer=Scope.ALL,
            auditor=Scope.AUDITED,
            agencies=REVIEWING_AGENCIES,
            personal_data=True,
        )
    ),
]
#: Accepting a correction corrects the stated data (the dossier's or the registration's).
CorrectionDecider = Annotated[
    Access,
    Depends(guard("correction-case.decide", officer=Scope.ALL, agencies=REVIEWING_AGENCIES)),
]
#: Bulk checks reconcile any agency's dataset against the population data.
BulkChecker = Annotated[Access, Depends(guard("bulk-check.run", officer=Scope.ALL))]
BulkReader = Annotated[
    Access, Depends(guard("bulk-check.read", officer=Scope.ALL, auditor=Scope.AUDITED))
]

MASKED = "***"
DIFFERING_DATA = ("NAME_MISMATCH", "BIRTH_DATE_MISMATCH", "GENDER_MISMATCH")
NEEDS_VERIFICATION = ("NEEDS_VERIFICATION", "NOT_FOUND", "INVALID_ID_NUMBER")


class FieldScoreOut(BaseModel):
    field: str = Field(description="full_name, birth_date, gender, mother or birth_place")
    score: float = Field(description="0 contradicts, 1 the same, 0.5 unknown on either side")


class CandidateOut(BaseModel):
    subject_id: str
    score: float = Field(description="demographic score, 0-1")
    field_scores: list[FieldScoreOut]


class ReviewCaseOut(BaseModel):
    case_id: uuid.UUID
    subject_id: str
    candidate_subject_id: str
    verification_id: uuid.UUID
    name_score: float
    reason: str
    status: str
    opened_at: datetime
    decided_by: str | None
    decided_by_unit: str | None
    decided_at: datetime | None
    candidates: list[CandidateOut] = Field(
        description="ranked records a person without a usable number may be (best first)"
    )
    references: int = Field(description="later checks that found the same pair")


class FieldCorrectionOut(BaseModel):
    field: str
    stated: str
    suggested: str
    kind: str = Field(description="TYPO, TONE, SWAPPED_DAY_MONTH, ONE_DIGIT or GENDER")


class CorrectionCaseOut(BaseModel):
    case_id: uuid.UUID
    subject_id: str
    record_subject_id: str = Field(description="the population record the person most likely is")
    verification_id: uuid.UUID
    dossier_id: uuid.UUID | None
    corrections: list[FieldCorrectionOut]
    score: float
    status: str
    opened_at: datetime
    decided_by: str | None
    decided_by_unit: str | None
    decided_at: datetime | None
    references: int = Field(description="later checks that found the same suggestion")


class CorrectionDecisionIn(BaseModel):
    decision: Literal["accepted", "rejected"] = Field(
        description="accepted: the stated data are corrected to the record's; rejected: not so"
    )


class DecisionIn(BaseModel):
    decision: Literal["same_person", "different_persons"] = Field(
        description="same_person merges the candidate record; different_persons clears the case"
    )


class ReconciliationOut(BaseModel):
    by_source: dict[str, dict[str, int]]
    report: dict[str, int]
    birth_id_number_errors: dict[str, int] = Field(
        description=(
            "The Project 06 report's three categories of birth ID-number requests that failed: "
            "civil_registry_population_mismatch, suspected_duplicate, child_needs_verification"
        )
    )
    waiting_for_population_registry: int


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _case(row: Any) -> ReviewCaseOut:
    fields = {k: row[k] for k in ReviewCaseOut.model_fields if k != "candidates"}
    return ReviewCaseOut(**fields, candidates=_json(row["candidates"]))


def _correction(row: Any, access: Access) -> CorrectionCaseOut:
    fields = {k: row[k] for k in CorrectionCaseOut.model_fields if k != "corrections"}
    corrections = [
        FieldCorrectionOut.model_validate(
            c if access.reveals(c["field"]) else {**c, "stated": MASKED, "suggested": MASKED}
        )
        for c in _json(row["corrections"])
    ]
    return CorrectionCaseOut(**fields, corrections=corrections)


@router.get("/review-cases", response_model=list[ReviewCaseOut])
async def list_review_cases(
    request: Request,
    principal: Reader,
    status: Annotated[
        Literal["OPEN", "SAME_PERSON", "DIFFERENT_PERSONS"], Query(description="case status")
    ] = "OPEN",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ReviewCaseOut]:
    """The review queue: suspected duplicates and ranked candidates, oldest first."""
    async with request.app.state.pool.acquire() as conn:
        rows = await repository.list_cases(conn, status, limit)
    return [_case(r) for r in rows]


@router.post("/review-cases/{case_id}/decision", response_model=ReviewCaseOut)
async def decide_review_case(
    case_id: uuid.UUID, body: DecisionIn, request: Request, principal: Decider
) -> ReviewCaseOut:
    """Decide a case: each decision is a DuplicateReviewDecided event with who and when."""
    bus: MessageBus[Any] = request.app.state.bus
    command = DecideReviewCase(
        case_id=case_id,
        decision=ReviewDecision[body.decision.upper()],
        officer=principal.principal.subject,
        unit=principal.principal.unit,
    )
    try:
        await bus.handle_in_transaction(request.app.state.pool, command)
    except ReviewError as exc:
        raise Problem(exc.status, exc.type, exc.title, str(exc)) from exc
    async with request.app.state.pool.acquire() as conn:
        row = await repository.get_case(conn, case_id)
    return _case(row)


@router.get("/correction-cases", response_model=list[CorrectionCaseOut])
async def list_correction_cases(
    request: Request,
    access: CorrectionReader,
    status: Annotated[
        Literal["OPEN", "ACCEPTED", "REJECTED"], Query(description="case status")
    ] = "OPEN",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CorrectionCaseOut]:
    """The correction queue: likely data-entry errors with the record and the fix, oldest
    first; values of fields the caller's agency does not need come back masked."""
    async with request.app.state.pool.acquire() as conn:
        rows = await repository.list_corrections(conn, status, limit)
        cases = [_correction(r, access) for r in rows]
        for case in cases:
            shown = {c.field for c in case.corrections if access.reveals(c.field)}
            await access.record_read(conn, Resource("correction-case", str(case.case_id)), shown)
    return cases


@router.post("/correction-cases/{case_id}/decision", response_model=CorrectionCaseOut)
async def decide_correction_case(
    case_id: uuid.UUID, body: CorrectionDecisionIn, request: Request, access: CorrectionDecider
) -> CorrectionCaseOut:
    """Accept or reject a suggested correction: a CorrectionDecided event with who and when."""
    bus: MessageBus[Any] = request.app.state.bus
    command = DecideCorrection(
        case_id=case_id,
        decision=CorrectionDecision[body.decision.upper()],
        officer=access.principal.subject,
        unit=access.principal.unit,
    )
    try:
        await bus.handle_in_transaction(request.app.state.pool, command)
    except ReviewError as exc:
        raise Problem(exc.status, exc.type, exc.title, str(exc)) from exc
    async with request.app.state.pool.acquire() as conn:
        row = await repository.get_correction(conn, case_id)
    return _correction(row, access)


@router.get("/reconciliation", response_model=ReconciliationOut)
async def reconciliation(request: Request, principal: Reader) -> ReconciliationOut:
    """Counts of every check by source (dossier, civil_registry) and outcome, and the
    report's categories: differing data, suspected duplicates, needs verification; and the
    three categories of failed birth ID-number requests (``report_categories``)."""
    async with request.app.state.pool.acquire() as conn:
        rows = await repository.reconciliation_counts(conn)
        births = await repository.birth_request_counts(conn)
        waiting = await repository.pending_count(conn)
    errors = {category.value: 0 for category in BirthIdNumberError}
    for row in births:
        if row["category"] == "VERIFIED":
            continue
        report_category = classify(MismatchCategory[row["category"]])
        if report_category is not None:
            errors[report_category.value] += row["n"]
    by_source: dict[str, dict[str, int]] = {}
    report = {"verified": 0, "differing_data": 0, "suspected_duplicates": 0}
    report |= {"needs_verification": 0, "deceased": 0}
    for row in rows:
        by_source.setdefault(row["source"], {})[row["category"]] = row["n"]
        category = row["category"]
        if category == "VERIFIED":
            report["verified"] += row["n"]
        elif category in DIFFERING_DATA:
            report["differing_data"] += row["n"]
        elif category == "SUSPECTED_DUPLICATE":
            report["suspected_duplicates"] += row["n"]
        elif category == "DECEASED":
            report["deceased"] += row["n"]
        elif category in NEEDS_VERIFICATION:
            report["needs_verification"] += row["n"]
    return ReconciliationOut(
        by_source=by_source,
        report=report,
        birth_id_number_errors=errors,
        waiting_for_population_registry=waiting,
    )


class BulkCheckIn(BaseModel):
    dataset: str = Field(min_length=1, max_length=200, description="e.g. vaccination register")


class BulkRowIn(BaseModel):
    id_number: str | None = Field(default=None, max_length=20)
    full_name: str = Field(min_length=1, max_length=200)
    birth_date: date | None = None
    gender: Literal["male", "female"] | None = None


class BulkRowsIn(BaseModel):
    first_row: int = Field(ge=0, description="number of the first row (0-based)")
    rows: list[BulkRowIn] = Field(min_length=1, max_length=MAX_BULK_ROWS)


class BulkProgressOut(BaseModel):
    job_id: uuid.UUID
    dataset: str
    created_by: str
    created_at: datetime
    received: int
    next_row: int
    concluded: int
    verified: int
    wrong: int
    missing: int


async def _progress(request: Request, job_id: uuid.UUID) -> BulkProgressOut:
    async with request.app.state.pool.acquire() as conn:
        row = await repository.job_progress(conn, job_id)
    if row is None:
        raise Problem(404, "bulk-check-not-found", "No such bulk check")
    return BulkProgressOut(**{k: row[k] for k in BulkProgressOut.model_fields})


@router.post("/bulk-checks", status_code=201, response_model=BulkProgressOut)
async def start_bulk_check(
    body: BulkCheckIn, request: Request, principal: BulkChecker
) -> BulkProgressOut:
    """Start reconciling an agency dataset against the population data."""
    bus: MessageBus[Any] = request.app.state.bus
    job_id = uuid.uuid4()
    await bus.handle_in_transaction(
        request.app.state.pool, StartBulkCheck(job_id, body.dataset, principal.principal.subject)
    )
    return await _progress(request, job_id)


@router.post("/bulk-checks/{job_id}/rows", response_model=BulkProgressOut)
async def add_bulk_rows(
    job_id: uuid.UUID, body: BulkRowsIn, request: Request, principal: BulkChecker
) -> BulkProgressOut:
    """Add rows (at most 1000 a call); rows already received are skipped, so an interrupted
    upload resumes by sending from ``next_row`` again."""
    bus: MessageBus[Any] = request.app.state.bus
    command = AddBulkRows(
        job_id,
        body.first_row,
        tuple(
            BulkRow(
                r.id_number,
                r.full_name,
                r.birth_date,
                Gender[r.gender.upper()] if r.gender else None,
            )
            for r in body.rows
        ),
    )
    try:
        await bus.handle_in_transaction(request.app.state.pool, command)
    except ReviewError as exc:
        raise Problem(exc.status, exc.type, exc.title, str(exc)) from exc
    return await _progress(request, job_id)


@router.get("/bulk-checks/{job_id}", response_model=BulkProgressOut)
async def bulk_check_progress(
    job_id: uuid.UUID, request: Request, principal: BulkReader
) -> BulkProgressOut:
    """Progress and counts: verified, wrong (the data differ), missing (not in the
    population data or no usable number)."""
    return await _progress(request, job_id)
