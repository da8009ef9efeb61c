"""Real administrative units of both layouts, end to end: a 2022 dossier at a legacy
commune and a 2026 dossier at a 2025 commune both complete their birth bundle, intake
refuses a legacy code after the reform naming what it became, and the report counts 2022
dossiers per legacy district and on the 2025 communes with equal totals."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from typing import Any

import httpx

from e2e_tests.flows import eventually, submit
from e2e_tests.test_bundles_birth import bundle_of, dossier_for, rows
from lienthong.auth import Role
from lienthong_tools.devstack import Stack

VIETNAM = timezone(timedelta(hours=7))
TINH_KHE = "21211"  # Xã Tịnh Khê: Thành phố Quảng Ngãi (522) until 2025, a 2025 commune after
CAM_THANH = "21025"  # Phường Cẩm Thành, Quảng Ngãi (2025 layout)
# Parents in the population registry's demo data, not used by the other birth tests.
FAMILY_2 = (
    ("Huỳnh Ngọc Sơn", "051085117903", "1985-01-30"),
    ("Võ Thị Mỹ Linh", "051187462210", "1987-08-15"),
)


def _dated(body: dict[str, Any], unit: str, received_at: datetime) -> dict[str, Any]:
    body["unit_code"] = unit
    body["received_at"] = received_at.isoformat()
    for person in body["persons"]:
        if person["role"] == "child":
            person["full_name"] = "Huỳnh Võ Khánh An"
            person["birth_date"] = (received_at.date() - timedelta(days=3)).isoformat()
    return body


async def _completed_with_prefix(
    client: httpx.AsyncClient, stack: Stack, token: str, dossier_id: str
) -> str:
    bundle = await bundle_of(client, stack, token, dossier_id, {"completed", "compensated"})
    assert bundle["state"] == "completed", bundle
    assert {s["status"] for s in bundle["steps"]} == {"completed"}
    cards = await rows(
        stack,
        "insurance",
        "SELECT id_number FROM cards WHERE subject_id = $1",
        bundle["subject_id"],
    )
    return str(cards[0]["id_number"])[:3]


async def test_a_2022_birth_at_legacy_tinh_khe_and_a_2026_birth_at_a_2025_commune_complete(
    stack: Stack, officer_token: str, auditor_token: str
) -> None:
    rng = random.Random()
    in_2022 = datetime(2022, 3, 1, 9, tzinfo=VIETNAM) + timedelta(days=rng.randrange(270))
    in_2026 = datetime.now(VIETNAM) - timedelta(minutes=5)
    async with httpx.AsyncClient(timeout=10) as client:
        old = await submit(
            client,
            stack.url("intake"),
            officer_token,
            _dated(dossier_for(*FAMILY_2), TINH_KHE, in_2022),
        )
        new = await submit(
            client,
            stack.url("intake"),
            officer_token,
            _dated(dossier_for(*FAMILY_2), CAM_THANH, in_2026),
        )
        assert await _completed_with_prefix(client, stack, auditor_token, old["id"]) == "051"
        assert await _completed_with_prefix(client, stack, auditor_token, new["id"]) == "051"


async def test_a_legacy_district_code_after_the_reform_is_refused_naming_the_2025_communes(
    stack: Stack, officer_token: str
) -> None:
    body = dossier_for(*FAMILY_2)
    body["unit_code"] = "522"  # Thành phố Quảng Ngãi, a district until 30 June 2025
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.post(
            f"{stack.url('intake')}/api/v1/dossiers",
            json=body,
            headers={"Authorization": f"Bearer {officer_token}"},
        )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["type"].endswith("/administrative-unit-not-in-force")
    assert problem["errors"][0]["pointer"] == "/unit_code"
    assert {"code": TINH_KHE, "name": "Xã Tịnh Khê"} in problem["successors"]


async def test_2022_dossiers_per_legacy_district_and_on_2025_communes_have_equal_totals(
    stack: Stack, officer_token: str
) -> None:
    reader = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
    day = datetime(2022, 11, 14, 10, tzinfo=VIETNAM)
    async with httpx.AsyncClient(timeout=10) as client:
        await submit(
            client,
            stack.url("intake"),
            officer_token,
            _dated(dossier_for(*FAMILY_2), TINH_KHE, day),
        )
        url = f"{stack.url('reporting')}/api/v1/reports/dossiers-by-unit"
        span = {"from": "2022-01-01", "to": "2022-12-31", "unit": "51"}

        async def read(level: str, target: str) -> dict[str, Any]:
            answer = await client.get(
                url,
                params={**span, "level": level, "target": target},
                headers={"Authorization": f"Bearer {reader}"},
            )
            assert answer.status_code == 200, answer.text
            report: dict[str, Any] = answer.json()
            return report

        async def both() -> tuple[dict[str, Any], dict[str, Any]] | None:
            # Other tests' dossiers are projected meanwhile: compare the two layouts only
            # when the district view is the same before and after the commune view.
            districts = await read("district", "recorded")
            communes = await read("commune", "2025")
            again = await read("district", "recorded")
            seen = any(r["code"] == "522" for r in districts["rows"])
            steady = districts["total"] == again["total"]
            return (districts, communes) if seen and steady else None

        districts, communes = await eventually(both, timeout=30)
    city = next(r for r in districts["rows"] if r["code"] == "522")
    assert city["name_vi"] == "Thành phố Quảng Ngãi" and city["n"] >= 1
    tinh_khe = next(r for r in communes["rows"] if r["code"] == TINH_KHE)
    assert tinh_khe["name_vi"] == "Xã Tịnh Khê" and tinh_khe["n"] >= 1
    assert districts["total"] == communes["total"]
    assert districts["unit_name"] == "Tỉnh Quảng Ngãi"
    assert date.fromisoformat(districts["to"]).year == 2022
