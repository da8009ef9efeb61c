"""Death and civil-status bundles, started by the civil registry, through every process."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

import asyncpg
import httpx

from e2e_tests.flows import eventually
from lienthong.auth import Role
from lienthong.vn.id_numbers import build_id_number
from lienthong_tools.devstack import SERVICES, Stack


def new_person(born: date, gender: str = "MALE") -> str:
    """A fresh ID number nobody else in the stack uses (not in the demo population)."""
    return build_id_number("051", gender, born, secrets.randbelow(10**6))


async def db_rows(stack: Stack, service: str, sql: str, *args: object) -> list[asyncpg.Record]:
    spec = next(s for s in SERVICES if s.name == service)
    conn = await asyncpg.connect(stack.database_url(spec))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def post(client: httpx.AsyncClient, url: str, token: str, body: dict[str, Any]) -> Any:
    r = await client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    return r.json()


async def bundle_by_certificate(
    client: httpx.AsyncClient, stack: Stack, token: str, certificate: str
) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        r = await client.get(
            f"{stack.url('orchestrator')}/api/v1/bundles",
            params={"dossier_code": certificate},
            headers={"Authorization": f"Bearer {token}"},
        )
        body: dict[str, Any] = r.json()
        return body if r.status_code == 200 and body["state"] == "completed" else None

    return await eventually(probe, timeout=30)


async def test_death_removes_residence_ends_card_decides_benefits_and_stops_payments(
    stack: Stack, auditor_token: str
) -> None:
    officer = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
    # Each agency's officer writes its own register (the policy refuses the others).
    police = stack.token(Role.OFFICER, agency="POLICE", unit="51")
    bhxh = stack.token(Role.OFFICER, agency="BHXH", unit="51")
    labour = stack.token(Role.OFFICER, agency="LDTBXH", unit="51")
    born = date(1948, 5, 1)
    id_number = new_person(born)
    death_day = date.today() - timedelta(days=20)
    async with httpx.AsyncClient(timeout=10) as client:
        residence = await post(
            client,
            f"{stack.url('residence')}/api/v1/permanent-residences",
            police,
            {"id_number": id_number, "unit_code": "21025", "address": "7 Trần Hưng Đạo"},
        )
        subject = residence["subject_id"]
        await post(
            client,
            f"{stack.url('insurance')}/api/v1/cards",
            bhxh,
            {
                "id_number": id_number,
                "full_name": "Đinh Văn Tâm",
                "birth_date": born.isoformat(),
                "object_code": "HT",
                "unit_code": "51",
                "valid_from": "2026-01-01",
                "valid_until": "2026-12-31",
            },
        )
        welfare = f"{stack.url('welfare')}/api/v1"
        await post(
            client,
            f"{welfare}/beneficiaries",
            labour,
            {
                "id_number": id_number,
                "category": "meritorious_person",
                "monthly_amount_vnd": 2_000_000,
            },
        )
        for paid_on in (death_day - timedelta(days=10), death_day + timedelta(days=5)):
            await post(
                client,
                f"{welfare}/payments",
                labour,
                {"id_number": id_number, "paid_on": paid_on.isoformat(), "amount_vnd": 2_000_000},
            )
        death = {
            "id_number": id_number,
            "full_name": "Đinh Văn Tâm",
            "birth_date": born.isoformat(),
            "gender": "male",
            "unit_code": "51",
            "date_of_death": death_day.isoformat(),
            "place_of_death": "Quảng Ngãi",
        }
        registered = await post(
            client, f"{stack.url('civil_registry')}/api/v1/deaths", officer, death
        )
        again = await client.post(
            f"{stack.url('civil_registry')}/api/v1/deaths",
            json=death,
            headers={"Authorization": f"Bearer {officer}"},
        )
        assert again.status_code == 409
        assert again.json()["errors"] == [
            {"pointer": "/id_number", "detail": "DEATH_ALREADY_REGISTERED"}
        ]
        bundle = await bundle_by_certificate(
            client, stack, auditor_token, registered["certificate_number"]
        )
        assert [s["step"] for s in bundle["steps"] if s["status"] == "completed"] == [
            "death_registration",
            "residence_removed",
            "insurance_ended",
            "death_benefits_decided",
        ]
        view = (
            await client.get(
                f"{welfare}/beneficiaries/{subject}",
                headers={"Authorization": f"Bearer {auditor_token}"},
            )
        ).json()
    assert (view["status"], view["payments_status"]) == ("deceased", "stopped")
    assert {d["kind"]: d["amount_vnd"] for d in view["decisions"]} == {
        "FUNERAL_ALLOWANCE": 23_400_000,
        "SURVIVOR_BENEFIT": 6_000_000,
    }
    assert [o["paid_on"] for o in view["overpayments"]] == [
        (death_day + timedelta(days=5)).isoformat()
    ]
    residences = await db_rows(
        stack, "residence", "SELECT status FROM residences WHERE subject_id = $1", subject
    )
    cards = await db_rows(
        stack, "insurance", "SELECT status FROM cards WHERE subject_id = $1", subject
    )
    assert [r["status"] for r in residences] == ["removed"]
    assert [c["status"] for c in cards] == ["ended"]


async def test_name_change_reaches_residence_and_insurance(
    stack: Stack, auditor_token: str
) -> None:
    officer = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
    # Each agency's officer writes its own register (the policy refuses the others).
    police = stack.token(Role.OFFICER, agency="POLICE", unit="51")
    bhxh = stack.token(Role.OFFICER, agency="BHXH", unit="51")
    born = date(2025, 2, 1)
    id_number = new_person(born, "FEMALE")
    async with httpx.AsyncClient(timeout=10) as client:
        subject = (
            await post(
                client,
                f"{stack.url('residence')}/api/v1/permanent-residences",
                police,
                {"id_number": id_number, "unit_code": "21025", "address": "9 Quang Trung"},
            )
        )["subject_id"]
        await post(
            client,
            f"{stack.url('insurance')}/api/v1/cards",
            bhxh,
            {
                "id_number": id_number,
                "full_name": "Phạm Ngọc Hân",
                "birth_date": born.isoformat(),
                "object_code": "TE",
                "unit_code": "51",
                "valid_from": born.isoformat(),
                "valid_until": "2031-01-31",
            },
        )
        change = await post(
            client,
            f"{stack.url('civil_registry')}/api/v1/civil-status-changes",
            officer,
            {
                "id_number": id_number,
                "full_name": "Phạm Ngọc Hân",
                "birth_date": born.isoformat(),
                "unit_code": "51",
                "change_type": "surname_after_paternity",
                "field": "full_name",
                "new_value": "Võ Ngọc Hân",
                "effective_date": date.today().isoformat(),
            },
        )
        bundle = await bundle_by_certificate(
            client, stack, auditor_token, change["certificate_number"]
        )
        assert {s["step"] for s in bundle["steps"]} >= {
            "population_notified",
            "residence_particulars",
            "insurance_particulars",
        }
        residence = (
            await client.get(
                f"{stack.url('residence')}/api/v1/residents/{subject}/permanent-residence",
                headers={"Authorization": f"Bearer {auditor_token}"},
            )
        ).json()
        bad = await client.post(
            f"{stack.url('residence')}/api/v1/permanent-residences",
            json={"id_number": "05109012", "unit_code": "21025", "address": "9 Quang Trung"},
            headers={"Authorization": f"Bearer {police}"},
        )
        card = (
            await client.post(
                f"{stack.url('insurance')}/api/v1/cards/lookup",
                json={"id_number": id_number},
                headers={"Authorization": f"Bearer {officer}"},
            )
        ).json()
    assert residence["particulars"] == {"full_name": "Võ Ngọc Hân"}
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["pointer"] == "/id_number"
    assert [c["full_name"] for c in card["cards"]] == ["Võ Ngọc Hân"]
