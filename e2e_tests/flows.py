"""Small black-box helpers: build requests, poll read models."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any, TypeVar

import httpx

T = TypeVar("T")

FATHER_ID = "051090123456"  # Quảng Ngãi, male, born 1990
MOTHER_ID = "051192654321"  # Quảng Ngãi, female, born 1992


def birth_dossier(unit_code: str = "51") -> dict[str, Any]:
    return {
        "procedure_code": "BIRTH_LINKED",
        "channel": "counter",
        "unit_code": unit_code,
        "persons": [
            {
                "role": "applicant",
                "full_name": "Nguyễn Văn Hùng",
                "id_number": FATHER_ID,
                "birth_date": "1990-03-14",
                "gender": "male",
            },
            {
                "role": "father",
                "full_name": "Nguyễn Văn Hùng",
                "id_number": FATHER_ID,
                "birth_date": "1990-03-14",
                "gender": "male",
            },
            {
                "role": "mother",
                "full_name": "Trần Thị Thuỷ",
                "id_number": MOTHER_ID,
                "birth_date": "1992-07-02",
                "gender": "female",
            },
            {
                "role": "child",
                "full_name": "Nguyễn Trần Minh Khôi",
                "birth_date": (date.today() - timedelta(days=3)).isoformat(),
                "gender": "male",
            },
        ],
    }


def simple_dossier(
    procedure_code: str, unit_code: str, id_number: str = FATHER_ID
) -> dict[str, Any]:
    return {
        "procedure_code": procedure_code,
        "channel": "portal",
        "unit_code": unit_code,
        "persons": [
            {
                "role": "applicant",
                "full_name": "Nguyễn Văn Hùng",
                "id_number": id_number,
                "birth_date": "1990-03-14",
                "gender": "male",
            },
        ],
    }


async def submit(
    client: httpx.AsyncClient, base: str, token: str, body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(
        f"{base}/api/v1/dossiers",
        json=body,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def eventually(
    probe: Callable[[], Awaitable[T | None]], timeout: float = 60.0, interval: float = 0.2
) -> T:
    """Poll until ``probe`` returns something other than None (or fail with the last state)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not reached within {timeout}s")
        await asyncio.sleep(interval)
