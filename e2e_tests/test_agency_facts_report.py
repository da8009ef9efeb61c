"""Agencies publish their own facts — backdated, recorded late, with their own ids — and the
Project 06 report counts them by event time; the spreadsheet holds the API's figures.

The facts are dated September 2021 (a month no other test uses) at Xã Tịnh Khê (21211,
Thành phố Quảng Ngãi), recorded today: "as of 30/09/2021" the report knew none of them;
with what was recorded later, it counts each in the month it happened.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
from openpyxl import load_workbook

from e2e_tests.flows import eventually, simple_dossier, submit
from lienthong.auth import Role
from lienthong_tools.devstack import Stack

COMMUNE = "21211"
PERIOD = {"from": "2021-09-01", "to": "2021-09-30", "unit": "522"}


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _publish_september_facts(client: httpx.AsyncClient, stack: Stack) -> None:
    justice = _headers(stack.token(Role.OFFICER, agency="JUSTICE", unit="51"))
    birth = await client.post(
        f"{stack.url('civil_registry')}/api/v1/births",
        json={
            "unit_code": COMMUNE,
            "place_of_birth": None,  # the register does not know it
            "child": {"full_name": "Phạm Gia Hân", "birth_date": "2021-05-02", "gender": "female"},
            "mother": {"full_name": "Phạm Thị Lan", "gender": "female"},  # no ID number
            "registered_at": "2021-09-14T09:30:00+07:00",
            "agency_record_id": f"HT-{COMMUNE}-2021-{uuid.uuid4().hex[:6]}",
        },
        headers=justice,
    )
    assert birth.status_code == 201, birth.text
    assert birth.json()["registered_at"].startswith("2021-09-14")

    social_insurance = _headers(stack.token(Role.OFFICER, agency="BHXH", unit="51"))
    id_number = f"0511920{uuid.uuid4().int % 100000:05d}"
    card = await client.post(
        f"{stack.url('insurance')}/api/v1/cards",
        json={
            "id_number": id_number,
            "full_name": "Võ Thị Mai",
            "birth_date": "1992-04-11",
            "object_code": "GD",
            "unit_code": COMMUNE,
            "valid_from": "2021-01-01",
            "valid_until": "2021-12-31",
            "synced_at": "2021-09-03T08:00:00+07:00",
        },
        headers=social_insurance,
    )
    assert card.status_code == 201, card.text
    clinic = _headers(stack.token(Role.OFFICER, agency="HEALTH", unit="51"))
    lookup = await client.post(
        f"{stack.url('insurance')}/api/v1/cards/lookup",
        json={
            "id_number": id_number,
            "facility_code": "51001",
            "unit_code": COMMUNE,
            "stated_birth_date": "1992-11-04",
            "looked_up_at": "2021-09-20T10:00:00+07:00",
        },
        headers=clinic,
    )
    assert lookup.status_code == 200, lookup.text
    assert lookup.json()["outcome"] == "BIRTH_DATE_MISMATCH"

    police = stack.token(Role.OFFICER, agency="POLICE", unit="51")
    notice = await submit(
        client,
        stack.url("intake"),
        police,
        simple_dossier("STAY_NOTIFICATION", COMMUNE) | {"received_at": "2021-09-07T08:00:00+07:00"},
    )
    acknowledged = await client.post(
        f"{stack.url('intake')}/api/v1/dossiers/{notice['id']}/actions",
        json={"action": "acknowledge", "occurred_at": "2021-09-07T09:00:00+07:00"},
        headers={**_headers(police), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert acknowledged.status_code == 201, acknowledged.text
    # received in September, never decided: pending and overdue at the end of the month
    await submit(
        client,
        stack.url("intake"),
        police,
        simple_dossier("RESIDENCE_TEMPORARY", COMMUNE)
        | {"received_at": "2021-09-06T08:00:00+07:00"},
    )


async def _report(client: httpx.AsyncClient, stack: Stack, token: str, **extra: str) -> Any:
    r = await client.get(
        f"{stack.url('reporting')}/api/v1/reports/project06",
        params=PERIOD | extra,
        headers=_headers(token),
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_backdated_late_recorded_agency_facts_count_by_event_time_and_export_equally(
    stack: Stack, auditor_token: str
) -> None:
    async with httpx.AsyncClient(timeout=20) as client:
        await _publish_september_facts(client, stack)

        async def counted() -> Any:
            report = await _report(client, stack, auditor_token)
            ready = (
                report["births"]["registered"] >= 1
                and report["procedures"]["STAY_NOTIFICATION"]["acknowledged"] >= 1
                and report["procedures"]["RESIDENCE_TEMPORARY"]["submitted"] >= 1
                and report["insurance"]["clinic_lookups"]["total"] >= 1
                and report["insurance"]["cccd_with_valid_bhyt"]["total"] >= 1
            )
            return report if ready else None

        report = await eventually(counted, timeout=90)
        known_then = await _report(client, stack, auditor_token, as_of="2021-09-30")
        xlsx = await client.get(
            f"{stack.url('reporting')}/api/v1/reports/project06.xlsx",
            params=PERIOD,
            headers=_headers(auditor_token),
        )

    births = report["births"]
    assert births["by_registration_type"]["LATE"] >= 1  # born in May, registered in September
    assert births["late_recorded"] >= 1
    stay = report["procedures"]["STAY_NOTIFICATION"]
    assert stay["name_vi"] == "Thông báo lưu trú" and stay["late_recorded"] >= 1
    assert report["procedures"]["RESIDENCE_TEMPORARY"]["pending_overdue"] >= 1
    assert report["insurance"]["clinic_lookups"]["by_outcome"].get("BIRTH_DATE_MISMATCH", 0) >= 1
    assert report["units"][COMMUNE]["name_vi"] == "Xã Tịnh Khê"
    assert report["names"]["procedures"]["BIRTH_LINKED"].startswith("Liên thông")
    # on 30/09/2021 none of it had been recorded
    assert known_then["births"]["registered"] == 0
    assert known_then["procedures"]["STAY_NOTIFICATION"]["submitted"] == 0

    assert xlsx.status_code == 200, xlsx.text
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = [[c.value for c in r] for r in book["Biểu 01 - DVC thiết yếu"].iter_rows()]
    header = next(r for r in rows if r[0] == "STT")
    for code in ("STAY_NOTIFICATION", "RESIDENCE_TEMPORARY"):
        row = dict(zip(header, next(r for r in rows if r[1] == code), strict=True))
        figures = report["procedures"][code]
        assert row["Số hồ sơ tiếp nhận"] == figures["submitted"]
        assert row["Đã tiếp nhận thông báo"] == figures["acknowledged"]
        assert row["Ghi nhận muộn"] == figures["late_recorded"]
        assert row["Đang giải quyết quá hạn"] == figures["pending_overdue"]
    data = [[c.value for c in r] for r in book["Biểu 04 - Dữ liệu dân cư"].iter_rows()]
    assert [
        "Khai sinh",
        "Đăng ký khai sinh quá hạn",
        births["by_registration_type"]["LATE"],
    ] in data
    assert [
        "BHYT",
        "CCCD đã đồng bộ với thẻ BHYT còn hiệu lực",
        report["insurance"]["cccd_with_valid_bhyt"]["total"],
    ] in data


async def test_a_judicial_record_dossier_is_routed_by_the_looked_up_residence(
    stack: Stack,
) -> None:
    police = _headers(stack.token(Role.OFFICER, agency="POLICE", unit="51"))
    justice = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
    id_number = f"0510900{uuid.uuid4().int % 100000:05d}"
    dossier = simple_dossier("JUDICIAL_RECORD", "51", id_number=id_number)
    async with httpx.AsyncClient(timeout=20) as client:
        refused = await client.post(
            f"{stack.url('intake')}/api/v1/dossiers",
            json=dossier,
            headers={**_headers(justice), "Idempotency-Key": str(uuid.uuid4())},
        )
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert problem["type"].endswith("residence-not-found")
        assert "no permanent or temporary residence" in problem["detail"]

        registered = await client.post(
            f"{stack.url('residence')}/api/v1/permanent-residences",
            json={"id_number": id_number, "unit_code": COMMUNE, "address": "Thôn Trung Sơn"},
            headers=police,
        )
        assert registered.status_code == 201, registered.text

        async def routed() -> Any:
            r = await client.post(
                f"{stack.url('intake')}/api/v1/dossiers",
                json=dossier,
                headers={**_headers(justice), "Idempotency-Key": str(uuid.uuid4())},
            )
            return r.json() if r.status_code == 201 else None

        received = await eventually(routed, timeout=60, interval=0.5)
    assert received["unit_code"] == "51"  # Quảng Ngãi's Department of Justice
    assert received["procedure_code"] == "JUDICIAL_RECORD"
