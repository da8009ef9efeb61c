"""Welfare HTTP API: enrol beneficiaries, report payments, read beneficiaries and stops."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, field_validator

from lienthong.auth import Principal
from lienthong.bus import MessageBus
from lienthong.policy import Scope, as_principal, guard
from lienthong.problems import Problem
from welfare.adapters import repository
from welfare.domain.events import EnrolBeneficiary, RecordPayment
from welfare.domain.rules import Category
from welfare.service_layer.handlers import Conflict, NotFound

ID_NUMBER = re.compile(r"^\d{12}$")
router = APIRouter(prefix="/api/v1", tags=["welfare"])
Officer = Annotated[
    Principal,
    Depends(as_principal(guard("welfare.write", officer=Scope.ALL, agencies=("LDTBXH",)))),
]
Reader = Annotated[
    Principal,
    Depends(
        as_principal(
            guard(
                "welfare.read",
                officer=Scope.ALL,
                auditor=Scope.AUDITED,
                agencies=("LDTBXH",),
                personal_data=True,
            )
        )
    ),
]


class _ByIdNumber(BaseModel):
    id_number: str

    @field_validator("id_number")
    @classmethod
    def _twelve_digits(cls, value: str) -> str:
        value = value.replace(" ", "")
        if not ID_NUMBER.match(value):
            raise ValueError("must be exactly 12 digits")
        return value


class BeneficiaryIn(_ByIdNumber):
    category: Category
    monthly_amount_vnd: int = Field(gt=0, le=100_000_000)


class PaymentIn(_ByIdNumber):
    paid_on: date
    amount_vnd: int = Field(gt=0, le=100_000_000)


async def _handle(request: Request, command: object) -> Any:
    bus: MessageBus[Any] = request.app.state.bus
    try:
        return await bus.handle_in_transaction(request.app.state.pool, command)
    except Conflict as conflict:
        raise Problem(
            409,
            "conflict",
            "The welfare register refuses this",
            errors=[{"pointer": "/id_number", "detail": conflict.reason}],
        ) from None
    except NotFound:
        raise Problem(
            404,
            "not-a-beneficiary",
            "No beneficiary with this ID number",
            errors=[{"pointer": "/id_number", "detail": "NOT_A_BENEFICIARY"}],
        ) from None


@router.post("/beneficiaries", status_code=201)
async def enrol(body: BeneficiaryIn, request: Request, officer: Officer) -> dict[str, str]:
    """Enrol a beneficiary with a monthly recurring payment."""
    subject_id = request.app.state.subjects.for_id_number(body.id_number)
    command = EnrolBeneficiary(
        subject_id, body.category, body.monthly_amount_vnd, datetime.now(UTC)
    )
    beneficiary_id = await _handle(request, command)
    return {"beneficiary_id": beneficiary_id, "subject_id": subject_id}


@router.post("/payments", status_code=201)
async def record_payment(body: PaymentIn, request: Request, officer: Officer) -> dict[str, str]:
    """Report a payment made to a beneficiary (one after the death is recorded for recovery)."""
    subject_id = request.app.state.subjects.for_id_number(body.id_number)
    command = RecordPayment(subject_id, body.paid_on, body.amount_vnd, datetime.now(UTC))
    return {"payment_id": await _handle(request, command)}


@router.get("/beneficiaries/{subject_id}")
async def beneficiary(subject_id: str, request: Request, reader: Reader) -> dict[str, Any]:
    """A beneficiary: category, payment status, decisions on death, overpayments."""
    async with request.app.state.pool.acquire() as conn:
        view = await repository.beneficiary_view(conn, subject_id)
    if view is None:
        raise Problem(404, "not-found", "No such beneficiary")
    return view


@router.get("/stopped-payments")
async def stopped_payments(
    request: Request, reader: Reader, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[dict[str, Any]]:
    """Recurring payments stopped because the beneficiary died, newest first."""
    async with request.app.state.pool.acquire() as conn:
        return await repository.stopped_payments(conn, limit)
