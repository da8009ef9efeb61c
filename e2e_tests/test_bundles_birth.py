"""Birth bundles through every real process: registry, population, residence, insurance."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx

from e2e_tests.flows import birth_dossier, eventually, submit
from lienthong.auth import Role
from lienthong_tools.devstack import SERVICES, Stack

# Parents known to the population registry's demo data (so identity verifies them) and not
# used by the other e2e birth dossiers.
APART_FATHER = ("Trương Minh Tuấn", "051095001234", "1995-09-09")
APART_MOTHER = ("Lý Thị Sen", "051168000111", "1968-03-03")
FAMILY_1 = (
    ("Lê Văn Đức", "051088204417", "1988-05-20"),
    ("Phạm Thị Hoà", "051191330582", "1991-11-09"),
)


def dossier_for(father: tuple[str, str, str], mother: tuple[str, str, str]) -> dict[str, Any]:
    body = birth_dossier()
    for person in body["persons"]:
        source = father if person["role"] in ("father", "applicant") else mother
        if person["role"] == "child":
            continue
        person["full_name"], person["id_number"], person["birth_date"] = source
    return body


async def bundle_of(
    client: httpx.AsyncClient, stack: Stack, token: str, dossier_id: str, states: set[str]
) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        r = await client.get(
            f"{stack.url('orchestrator')}/api/v1/bundles",
            params={"dossier_id": dossier_id},
            headers={"Authorization": f"Bearer {token}"},
        )
        body: dict[str, Any] = r.json()
        return body if r.status_code == 200 and body["state"] in states else None

    return await eventually(probe, timeout=30)


async def rows(stack: Stack, service: str, sql: str, *args: object) -> list[asyncpg.Record]:
    spec = next(s for s in SERVICES if s.name == service)
    conn = await asyncpg.connect(stack.database_url(spec))
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def test_birth_bundle_registers_birth_number_residence_and_card_exactly_once(
    stack: Stack, officer_token: str, auditor_token: str
) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        dossier = await submit(client, stack.url("intake"), officer_token, birth_dossier())
        bundle = await bundle_of(client, stack, auditor_token, dossier["id"], {"completed"})
        child = bundle["subject_id"]
        steps = {s["step"]: s["status"] for s in bundle["steps"]}
        assert steps == {
            "birth_registration": "completed",
            "identity_checked": "completed",
            "id_number_issued": "completed",
            "permanent_residence": "completed",
            "health_insurance_card": "completed",
        }
        r = await client.get(
            f"{stack.url('residence')}/api/v1/residents/{child}/permanent-residence",
            headers={"Authorization": f"Bearer {auditor_token}"},
        )
        assert r.status_code == 200 and r.json()["status"] == "active"

    births = await rows(
        stack,
        "civil_registry",
        "SELECT 1 FROM registrations WHERE dossier_id = $1",
        uuid.UUID(dossier["id"]),
    )
    residences = await rows(
        stack, "residence", "SELECT 1 FROM residences WHERE subject_id = $1", child
    )
    cards = await rows(
        stack, "insurance", "SELECT id_number FROM cards WHERE subject_id = $1", child
    )
    assert (len(births), len(residences), len(cards)) == (1, 1, 1)

    clinic = stack.token(Role.OFFICER, agency="HEALTH", unit="51")
    async with httpx.AsyncClient(timeout=10) as client:
        lookup = await client.post(
            f"{stack.url('insurance')}/api/v1/cards/lookup",
            json={"id_number": cards[0]["id_number"]},
            headers={"Authorization": f"Bearer {clinic}"},
        )
        assert lookup.json()["found"] is True
        stats = await client.get(
            f"{stack.url('insurance')}/api/v1/lookup-stats",
            headers={"Authorization": f"Bearer {auditor_token}"},
        )
        assert stats.json()["successful"] >= 1


async def test_rejected_residence_compensates_the_bundle_and_issues_no_card(
    stack: Stack, officer_token: str, auditor_token: str
) -> None:
    police = stack.token(Role.OFFICER, agency="POLICE", unit="51")
    async with httpx.AsyncClient(timeout=10) as client:
        for (_, id_number, _), unit in ((APART_FATHER, "21025"), (APART_MOTHER, "20194")):
            r = await client.post(
                f"{stack.url('residence')}/api/v1/permanent-residences",
                json={"id_number": id_number, "unit_code": unit, "address": f"{unit} Lê Lợi"},
                headers={"Authorization": f"Bearer {police}"},
            )
            assert r.status_code in (201, 409), r.text  # 409: registered by an earlier run
        body = dossier_for(APART_FATHER, APART_MOTHER)
        dossier = await submit(client, stack.url("intake"), officer_token, body)
        bundle = await bundle_of(client, stack, auditor_token, dossier["id"], {"compensated"})
    steps = {s["step"]: (s["status"], s["detail"]) for s in bundle["steps"]}
    assert steps["permanent_residence"] == ("rejected", "PARENTS_RESIDE_APART_CHOICE_REQUIRED")
    assert "health_insurance_card" not in steps
    assert steps["id_number_issued"][0] == "completed"  # kept: the child keeps the number
    assert [h["kind"] for h in bundle["history"]][-2:] == ["step_failed", "compensated"]
    cards = await rows(
        stack, "insurance", "SELECT 1 FROM cards WHERE subject_id = $1", bundle["subject_id"]
    )
    assert cards == []


async def test_residence_killed_mid_bundle_resumes_on_restart_with_one_effect_each(
    stack: Stack, officer_token: str, auditor_token: str
) -> None:
    stack.processes["residence"].kill()
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            body = dossier_for(*FAMILY_1)
            dossier = await submit(client, stack.url("intake"), officer_token, body)

            async def waiting_for_residence() -> dict[str, Any] | None:
                r = await client.get(
                    f"{stack.url('orchestrator')}/api/v1/bundles",
                    params={"dossier_id": dossier["id"]},
                    headers={"Authorization": f"Bearer {auditor_token}"},
                )
                if r.status_code != 200:
                    return None
                steps = {s["step"]: s["status"] for s in r.json()["steps"]}
                return r.json() if steps.get("permanent_residence") == "requested" else None

            await eventually(waiting_for_residence, timeout=30)
    finally:
        await stack.restart("residence")
    async with httpx.AsyncClient(timeout=10) as client:
        bundle = await bundle_of(client, stack, auditor_token, dossier["id"], {"completed"})
    child = bundle["subject_id"]
    births = await rows(
        stack,
        "civil_registry",
        "SELECT 1 FROM registrations WHERE dossier_id = $1",
        uuid.UUID(dossier["id"]),
    )
    assert len(births) == 1
    for service, sql in (
        ("residence", "SELECT 1 FROM residences WHERE subject_id = $1"),
        ("insurance", "SELECT 1 FROM cards WHERE subject_id = $1"),
        ("population_registry", "SELECT 1 FROM citizens WHERE subject_id = $1"),
    ):
        assert len(await rows(stack, service, sql, child)) == 1, service


async def test_birth_registered_at_the_civil_registry_counter_runs_the_same_bundle(
    stack: Stack, officer_token: str, auditor_token: str
) -> None:
    body: dict[str, Any] = {
        "unit_code": "51",
        "place_of_birth": "Bệnh viện Đa khoa tỉnh Quảng Ngãi",
        "child": {
            "full_name": "Nguyễn Gia Hân",
            "birth_date": birth_dossier()["persons"][3]["birth_date"],
            "gender": "female",
        },
        "father": {"id_number": FAMILY_1[0][1], "full_name": FAMILY_1[0][0]},
        "mother": {"id_number": FAMILY_1[1][1], "full_name": FAMILY_1[1][0]},
    }
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.post(
            f"{stack.url('civil_registry')}/api/v1/births",
            json=body,
            headers={"Authorization": f"Bearer {officer_token}"},
        )
        assert r.status_code == 201, r.text
        certificate = r.json()["certificate_number"]

        async def completed() -> dict[str, Any] | None:
            got = await client.get(
                f"{stack.url('orchestrator')}/api/v1/bundles",
                params={"dossier_code": certificate},
                headers={"Authorization": f"Bearer {auditor_token}"},
            )
            view: dict[str, Any] = got.json()
            return view if got.status_code == 200 and view["state"] == "completed" else None

        bundle = await eventually(completed, timeout=30)
        bad = await client.post(
            f"{stack.url('civil_registry')}/api/v1/births",
            json={**body, "child": {**body["child"], "birth_date": "2999-01-01"}},
            headers={"Authorization": f"Bearer {officer_token}"},
        )
    assert bundle["procedure_code"] == "BIRTH_REGISTERED"
    assert (
        len(
            await rows(
                stack,
                "insurance",
                "SELECT 1 FROM cards WHERE subject_id = $1",
                bundle["subject_id"],
            )
        )
        == 1
    )
    # An implausible birth date is invalid input (422), refused before the register's rules.
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["pointer"] == "/child/birth_date"
