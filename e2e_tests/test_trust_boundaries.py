"""Trust boundaries, black box: who may read whose data, who may act on what, and what
input that would break a store gets — each hole reported on the real services."""

from __future__ import annotations

from typing import Any

import httpx

from e2e_tests.flows import FATHER_ID, birth_dossier, eventually, simple_dossier, submit
from lienthong.auth import Role
from lienthong_tools.devstack import Stack

UNIT = "21211"  # Tịnh Khê, Thành phố Quảng Ngãi, Quảng Ngãi (51)
STRANGER_ID = "051185003217"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_dossier_is_read_only_within_its_agency_unit_subtree_and_by_its_parties(
    stack: Stack,
) -> None:
    justice_51 = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
    async with httpx.AsyncClient(timeout=10) as client:
        dossier = await submit(
            client, stack.url("intake"), justice_51, simple_dossier("BIRTH_REGISTRATION", UNIT)
        )
        url = f"{stack.url('intake')}/api/v1/dossiers/{dossier['id']}"
        outsiders = {
            "HEALTH/01": stack.token(Role.OFFICER, agency="HEALTH", unit="01"),
            "POLICE/79": stack.token(Role.OFFICER, agency="POLICE", unit="79"),
            "JUSTICE/524": stack.token(Role.OFFICER, agency="JUSTICE", unit="524"),
        }
        for who, token in outsiders.items():
            for path in ("", "/history"):
                r = await client.get(url + path, headers=auth(token))
                assert r.status_code == 403, (who, path, r.text)
                assert FATHER_ID not in r.text
        stranger = stack.token(Role.CITIZEN, subject=STRANGER_ID)
        assert (await client.get(url, headers=auth(stranger))).status_code == 404
        assert (await client.get(url + "/history", headers=auth(stranger))).status_code == 404
        applicant = stack.token(Role.CITIZEN, subject=FATHER_ID)
        own = await client.get(url, headers=auth(applicant))
        assert own.status_code == 200 and own.json()["persons"][0]["id_number"] == FATHER_ID
        assert (await client.get(url, headers=auth(justice_51))).status_code == 200

        async def on_portal() -> httpx.Response | None:
            r = await client.get(
                f"{stack.url('national_portal')}/api/v1/dossiers/{dossier['code']}",
                headers=auth(applicant),
            )
            return r if r.status_code == 200 else None

        await eventually(on_portal, timeout=20)
        portal = f"{stack.url('national_portal')}/api/v1/dossiers/{dossier['code']}"
        assert (await client.get(portal, headers=auth(stranger))).status_code == 404


async def test_submissions_are_scoped_to_the_citizen_and_the_officers_unit(stack: Stack) -> None:
    intake = f"{stack.url('intake')}/api/v1/dossiers"
    async with httpx.AsyncClient(timeout=10) as client:
        stranger = stack.token(Role.CITIZEN, subject=STRANGER_ID)
        as_someone_else = await client.post(
            intake, json=simple_dossier("RESIDENCE_TEMPORARY", UNIT), headers=auth(stranger)
        )
        assert as_someone_else.status_code == 403, as_someone_else.text
        assert as_someone_else.json()["errors"][0]["pointer"] == "/persons/0/id_number"
        other_unit = stack.token(Role.OFFICER, agency="JUSTICE", unit="524")
        r = await client.post(
            intake,
            json={**simple_dossier("BIRTH_REGISTRATION", UNIT), "channel": "counter"},
            headers=auth(other_unit),
        )
        assert r.status_code == 403, r.text


async def test_an_officer_of_another_agency_and_unit_cannot_cancel_or_retry_a_bundle(
    stack: Stack,
) -> None:
    justice_51 = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
    admin = stack.token(Role.ADMIN)
    async with httpx.AsyncClient(timeout=10) as client:
        dossier = await submit(client, stack.url("intake"), justice_51, birth_dossier(UNIT))

        async def bundle() -> dict[str, Any] | None:
            r = await client.get(
                f"{stack.url('orchestrator')}/api/v1/bundles",
                params={"dossier_id": dossier["id"]},
                headers=auth(admin),
            )
            return r.json() if r.status_code == 200 else None

        found = await eventually(bundle, timeout=30)
        base = f"{stack.url('orchestrator')}/api/v1/bundles/{found['bundle_id']}"
        health_01 = stack.token(Role.OFFICER, agency="HEALTH", unit="01")
        justice_79 = stack.token(Role.OFFICER, agency="JUSTICE", unit="79")
        for token in (health_01, justice_79):
            cancel = await client.post(
                f"{base}/cancel", json={"reason": "không thuộc thẩm quyền"}, headers=auth(token)
            )
            assert cancel.status_code == 403, cancel.text
            retry = await client.post(
                f"{base}/steps/permanent_residence/retry",
                json={"reason": "gửi lại"},
                headers=auth(token),
            )
            assert retry.status_code == 403, retry.text
            assert (await client.get(base, headers=auth(token))).status_code == 403


async def test_an_auditor_and_other_agencies_do_not_read_the_population_data_directly(
    stack: Stack,
) -> None:
    url = f"{stack.url('population_registry')}/api/v1/citizens/{FATHER_ID}"
    async with httpx.AsyncClient(timeout=10) as client:
        for token in (
            stack.token(Role.AUDITOR),
            stack.token(Role.OFFICER, agency="HEALTH", unit="01"),
            stack.token(Role.CITIZEN, subject=STRANGER_ID),
        ):
            r = await client.get(url, headers=auth(token))
            assert r.status_code in (403, 404), r.text
            assert "1990" not in r.text
        police = stack.token(Role.OFFICER, agency="POLICE", unit="51")
        assert (await client.get(url, headers=auth(police))).status_code == 200


async def test_a_nul_byte_or_a_birth_in_the_year_136_is_422_naming_the_field(
    stack: Stack,
) -> None:
    justice_51 = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
    admin = stack.token(Role.ADMIN)
    async with httpx.AsyncClient(timeout=10) as client:
        body = simple_dossier("BIRTH_REGISTRATION", UNIT)
        body["persons"][0]["full_name"] = "Nguyễn\u0000Văn Hùng"
        r = await client.post(
            f"{stack.url('intake')}/api/v1/dossiers", json=body, headers=auth(justice_51)
        )
        assert r.status_code == 422, r.text
        assert r.json()["errors"] == [
            {"pointer": "/persons/0/full_name", "detail": "must not contain control characters"}
        ]
        search = await client.get(
            f"{stack.url('orchestrator')}/api/v1/bundles",
            params={"dossier_code": "51-\x00"},
            headers=auth(admin),
        )
        assert (
            search.status_code == 422 and search.json()["errors"][0]["pointer"] == "/dossier_code"
        )
        job = await client.post(
            f"{stack.url('identity')}/api/v1/bulk-checks",
            json={"dataset": "tiêm chủng\u0000"},
            headers=auth(admin),
        )
        assert job.status_code == 422 and job.json()["errors"][0]["pointer"] == "/dataset"
        birth = await client.post(
            f"{stack.url('civil_registry')}/api/v1/births",
            json={
                "unit_code": UNIT,
                "place_of_birth": "Trạm Y tế xã Tịnh Khê",
                "child": {
                    "full_name": "Nguyễn Gia Bảo",
                    "birth_date": "0136-05-01",
                    "gender": "male",
                },
            },
            headers=auth(justice_51),
        )
        assert birth.status_code == 422, birth.text
        assert birth.json()["errors"][0]["pointer"] == "/child/birth_date"
