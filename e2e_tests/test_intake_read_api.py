"""Intake's read side, black box: the citizen's look-up, the officer's work queue, the
8-working-hour acknowledgement rule for online dossiers, and the request-size limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from e2e_tests.flows import FATHER_ID, eventually, simple_dossier, submit
from lienthong.auth import Role
from lienthong_tools.devstack import Stack

UNIT = "21025"  # Phường Cẩm Thành, Quảng Ngãi (2025 layout)
OTHER_UNIT = "21211"  # Xã Tịnh Khê, Quảng Ngãi (2025 layout)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_online_dossier_not_acknowledged_in_8_working_hours_is_flagged_and_synced(
    stack: Stack,
) -> None:
    citizen = stack.token(Role.CITIZEN, subject=FATHER_ID)
    officer = stack.token(Role.OFFICER, agency="POLICE", unit=UNIT)
    async with httpx.AsyncClient(timeout=10) as client:
        body = simple_dossier("RESIDENCE_PERMANENT", UNIT)  # 7 working days to decide
        body["received_at"] = (datetime.now(UTC) - timedelta(days=4)).isoformat()
        late = await submit(client, stack.url("intake"), citizen, body)
        assert late["acknowledgement_due_at"] is not None
        on_time = await submit(
            client, stack.url("intake"), citizen, simple_dossier("RESIDENCE_TEMPORARY", UNIT)
        )

        async def flagged_and_in_sync() -> dict[str, Any] | None:
            r = await client.get(
                f"{stack.url('intake')}/api/v1/dossiers/{late['id']}", headers=_auth(officer)
            )
            view: dict[str, Any] = r.json()
            done = view["acknowledgement_overdue"] and view["portal_in_sync"]
            return view if done and view["event_sequence"] == 2 else None

        await eventually(flagged_and_in_sync, timeout=15)
        fresh = await client.get(
            f"{stack.url('intake')}/api/v1/dossiers/{on_time['id']}", headers=_auth(officer)
        )
        assert fresh.json()["acknowledgement_overdue"] is False
        portal = await client.get(
            f"{stack.url('national_portal')}/api/v1/dossiers/{late['code']}",
            headers=_auth(officer),
        )
        history = portal.json()["history"]
        assert [h["detail"] for h in history] == [None, "ACKNOWLEDGEMENT_OVERDUE"]
        assert history[1]["occurred_at"][:16] == late["acknowledgement_due_at"][:16]


async def test_citizen_looks_up_status_by_code_and_id_number_without_personal_data(
    stack: Stack,
) -> None:
    citizen = stack.token(Role.CITIZEN, subject=FATHER_ID)
    async with httpx.AsyncClient(timeout=10) as client:
        dossier = await submit(
            client, stack.url("intake"), citizen, simple_dossier("RESIDENCE_TEMPORARY", UNIT)
        )
        url = f"{stack.url('intake')}/api/v1/dossier-lookups"
        found = await client.post(url, json={"code": dossier["code"], "id_number": FATHER_ID})
        assert found.status_code == 200, found.text
        view = found.json()
        assert view["status"] == "received"
        assert view["current_appointment_at"] == dossier["appointment_at"]
        assert FATHER_ID not in found.text and "Hùng" not in found.text
        assert found.headers["cache-control"] == "no-store"

        wrong_id = await client.post(url, json={"code": dossier["code"], "id_number": "0" * 12})
        wrong_code = await client.post(
            url, json={"code": f"{UNIT}-20000101-999999", "id_number": FATHER_ID}
        )
        assert wrong_id.status_code == wrong_code.status_code == 404
        assert wrong_id.json() == {**wrong_code.json(), "instance": wrong_id.json()["instance"]}
        malformed = await client.post(url, json={"code": dossier["code"], "id_number": "12"})
        assert malformed.status_code == 422
        assert malformed.json()["errors"][0]["pointer"] == "/id_number"


async def test_work_queue_lists_unit_and_sub_units_overdue_first_page_by_page(
    stack: Stack,
) -> None:
    officer = stack.token(Role.OFFICER, agency="POLICE", unit=UNIT)
    provincial = stack.token(Role.OFFICER, agency="POLICE", unit="51")
    stranger = stack.token(Role.OFFICER, agency="POLICE", unit=OTHER_UNIT)
    async with httpx.AsyncClient(timeout=10) as client:
        old = simple_dossier("RESIDENCE_TEMPORARY", UNIT)
        old["channel"] = "counter"
        old["received_at"] = (datetime.now(UTC) - timedelta(days=60)).isoformat()
        overdue = await submit(client, stack.url("intake"), officer, old)
        await submit(
            client, stack.url("intake"), officer, simple_dossier("RESIDENCE_TEMPORARY", UNIT)
        )
        url = f"{stack.url('intake')}/api/v1/work-queue"

        first = await client.get(url, params={"limit": 1}, headers=_auth(provincial))
        assert first.status_code == 200, first.text
        page = first.json()
        assert page["items"][0]["overdue"] is True
        assert page["next_cursor"]
        second = await client.get(
            url, params={"limit": 1, "cursor": page["next_cursor"]}, headers=_auth(provincial)
        )
        assert second.json()["items"][0]["id"] != page["items"][0]["id"]

        only_overdue = await client.get(
            url, params={"due": "overdue", "limit": 200}, headers=_auth(officer)
        )
        items = only_overdue.json()["items"]
        assert overdue["id"] in {i["id"] for i in items}
        assert all(i["overdue"] and i["unit_code"] == UNIT for i in items)
        deadlines = [i["appointment_at"] for i in items]
        assert deadlines == sorted(deadlines)

        forbidden = await client.get(url, params={"unit_code": UNIT}, headers=_auth(stranger))
        assert forbidden.status_code == 403
        bad_cursor = await client.get(url, params={"cursor": "nope"}, headers=_auth(officer))
        assert bad_cursor.status_code == 422
        assert bad_cursor.json()["errors"][0]["pointer"] == "/cursor"


async def test_oversized_submission_is_a_413_problem(stack: Stack) -> None:
    officer = stack.token(Role.OFFICER, agency="POLICE", unit=UNIT)
    body = simple_dossier("RESIDENCE_TEMPORARY", UNIT)
    body["padding"] = "x" * 200_000
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            f"{stack.url('intake')}/api/v1/dossiers", json=body, headers=_auth(officer)
        )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/payload-too-large")


async def test_look_ups_cannot_enumerate_a_persons_dossier_codes(stack: Stack) -> None:
    """One known ID number and sequential codes: the look-up stops answering after the
    per-person limit (429 with Retry-After), found or not, and answers take the same time."""
    known_id = "051185003217"
    url = f"{stack.url('intake')}/api/v1/dossier-lookups"
    answers: list[httpx.Response] = []
    async with httpx.AsyncClient(timeout=10) as client:
        for n in range(1, 16):
            body = {"code": f"{UNIT}-20261205-{n:06d}", "id_number": known_id}
            answers.append(await client.post(url, json=body))
    statuses = [a.status_code for a in answers]
    assert statuses[:10] == [404] * 10
    assert set(statuses[10:]) == {429}
    refused = answers[10]
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    timings = [a.elapsed.total_seconds() for a in answers[:10]]
    assert min(timings) >= 0.15
