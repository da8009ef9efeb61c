"""Demo data: a province's morning at the counters, submitted through the public API.

Why this exists: ``make run`` should show a living system — linked birth bundles
completing, residence and CCCD dossiers counted per unit — using the same API a portal or
counter client uses, never by writing into a database behind a service's back.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from datetime import date, timedelta
from typing import Any

import httpx

FATHER_ID = "051090123456"  # registered in Quảng Ngãi (051), male, born 1990
MOTHER_ID = "051192654321"  # registered in Quảng Ngãi (051), female, born 1992

FAMILIES = (
    ("Nguyễn Văn Hùng", "Trần Thị Thuỷ", "Nguyễn Trần Minh Khôi"),
    ("Lê Văn Đức", "Phạm Thị Hoà", "Lê Phạm Gia Bảo"),
    ("Huỳnh Ngọc Sơn", "Võ Thị Mỹ Linh", "Huỳnh Võ Khánh An"),
)
# Each family's parents as the reference population registry's demo population holds them
# (services/population_registry/population_registry/data/demo_population.yaml):
# (father's ID number, father's birth date, mother's ID number, mother's birth date).
PARENTS = (
    (FATHER_ID, "1990-03-14", MOTHER_ID, "1992-07-02"),
    ("051088204417", "1988-05-20", "051191330582", "1991-11-09"),
    ("051085117903", "1985-01-30", "051187462210", "1987-08-15"),
)


def birth_dossier(unit_code: str = "51", family: int = 0) -> dict[str, Any]:
    father, mother, child = FAMILIES[family % len(FAMILIES)]
    father_id, father_born, mother_id, mother_born = PARENTS[family % len(PARENTS)]
    return {
        "procedure_code": "BIRTH_LINKED",
        "channel": "counter",
        "unit_code": unit_code,
        "persons": [
            {
                "role": "applicant",
                "full_name": father,
                "id_number": father_id,
                "birth_date": father_born,
                "gender": "male",
            },
            {
                "role": "father",
                "full_name": father,
                "id_number": father_id,
                "birth_date": father_born,
                "gender": "male",
            },
            {
                "role": "mother",
                "full_name": mother,
                "id_number": mother_id,
                "birth_date": mother_born,
                "gender": "female",
            },
            {
                "role": "child",
                "full_name": child,
                "birth_date": (date.today() - timedelta(days=3)).isoformat(),
                "gender": "male",
            },
        ],
    }


def simple_dossier(procedure_code: str, unit_code: str, channel: str = "portal") -> dict[str, Any]:
    return {
        "procedure_code": procedure_code,
        "channel": channel,
        "unit_code": unit_code,
        "persons": [
            {
                "role": "applicant",
                "full_name": "Nguyễn Văn Hùng",
                "id_number": FATHER_ID,
                "birth_date": "1990-03-14",
                "gender": "male",
            },
        ],
    }


DEMO_UNITS = ("51", "522", "524", "527", "528", "534")
DEMO_PROCEDURES = (
    "RESIDENCE_PERMANENT",
    "RESIDENCE_TEMPORARY",
    "CCCD_REISSUE",
    "STAY_NOTIFICATION",
)


async def wait_ready(urls: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        for url in urls:
            while True:
                try:
                    if (await client.get(url + "/readyz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{url} not ready within {timeout:.0f}s")
                await asyncio.sleep(0.5)


async def load(
    intake_url: str, token: str, births: int = 6, others: int = 24, seed: int = 6
) -> list[str]:
    """Submit a mix of dossiers; returns their codes."""
    rng = random.Random(seed)
    bodies = [birth_dossier(rng.choice(DEMO_UNITS), i) for i in range(births)]
    bodies += [
        simple_dossier(
            rng.choice(DEMO_PROCEDURES),
            rng.choice(DEMO_UNITS),
            rng.choice(("portal", "counter", "postal")),
        )
        for _ in range(others)
    ]
    codes: list[str] = []
    async with httpx.AsyncClient(timeout=10) as client:
        for body in bodies:
            r = await client.post(
                f"{intake_url}/api/v1/dossiers",
                json=body,
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
            )
            r.raise_for_status()
            codes.append(r.json()["code"])
    return codes
