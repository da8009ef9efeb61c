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
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock
from typing import Any

import httpx

from lienthong.vn.units import LAYOUT_2022, Level, units

VIETNAM = timezone(timedelta(hours=7), "ICT")

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


def birth_dossier(
    unit_code: str = "51", family: int = 0, received_at: datetime | None = None
) -> dict[str, Any]:
    """A counter birth dossier; ``received_at`` (default now) dates it, the child being
    born three days before."""
    father, mother, child = FAMILIES[family % len(FAMILIES)]
    father_id, father_born, mother_id, mother_born = PARENTS[family % len(PARENTS)]
    day = received_at.astimezone(VIETNAM).date() if received_at else date.today()
    body: dict[str, Any] = {
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
                "birth_date": (day - timedelta(days=3)).isoformat(),
                "gender": "male",
            },
        ],
    }
    if received_at is not None:
        body["received_at"] = received_at.isoformat()
    return body


def simple_dossier(
    procedure_code: str,
    unit_code: str,
    channel: str = "portal",
    received_at: datetime | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
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
    if received_at is not None:
        body["received_at"] = received_at.isoformat()
    return body


DEMO_PROVINCE = "51"  # Quảng Ngãi: the Project 06 report's province


def demo_units(on: date, province: str = DEMO_PROVINCE, level: Level | None = None) -> list[str]:
    """Real unit codes of a province on a day (its districts and communes before the
    2025 reform, its communes after), from the units API."""
    found = [u.code for u in units().iter_units(on, level, province)]
    return [code for code in found if code != province]


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


def bodies(births: int = 6, others: int = 24, seed: int = 6) -> list[dict[str, Any]]:
    """A mix of dossiers to submit. About a third are dated in 2022 at
    the legacy districts and communes (the layout of the Project 06 reports), the rest
    today at the 2025 communes; birth dossiers alternate between the two."""
    rng = random.Random(seed)
    today = date.today()
    legacy, current = demo_units(LAYOUT_2022), demo_units(today)
    legacy_districts = demo_units(LAYOUT_2022, level=Level.DISTRICT)

    def in_2022() -> datetime:
        day = date(2022, 1, 3) + timedelta(days=rng.randrange(360))
        return datetime.combine(day, clock(9, rng.randrange(60)), VIETNAM)

    legacy_communes = demo_units(LAYOUT_2022, level=Level.COMMUNE)
    found = [
        birth_dossier(rng.choice(legacy_communes), i, in_2022())
        if i % 2
        else birth_dossier(rng.choice(current), i)
        for i in range(births)
    ]
    for i in range(others):
        old = i % 3 == 0
        procedure = rng.choice(DEMO_PROCEDURES)
        # In the legacy layout a commune does not receive district-only procedures.
        where = current if not old else legacy_districts if procedure == "CCCD_REISSUE" else legacy
        found.append(
            simple_dossier(
                procedure,
                rng.choice(where),
                rng.choice(("portal", "counter", "postal")),
                in_2022() if old else None,
            )
        )
    return found


async def load(
    intake_url: str, token: str, births: int = 6, others: int = 24, seed: int = 6
) -> list[str]:
    """Submit :func:`bodies` through the intake API; returns the dossiers' codes."""
    codes: list[str] = []
    async with httpx.AsyncClient(timeout=10) as client:
        for body in bodies(births, others, seed):
            r = await client.post(
                f"{intake_url}/api/v1/dossiers",
                json=body,
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
            )
            r.raise_for_status()
            codes.append(r.json()["code"])
    return codes
