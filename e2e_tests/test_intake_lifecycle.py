"""Intake's status lifecycle, black box: officer actions, unit scoping, portal sync, overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from e2e_tests.flows import eventually, simple_dossier, submit
from lienthong.auth import Role
from lienthong_tools.devstack import Stack

UNIT = "21025"  # Phường Cẩm Thành, Quảng Ngãi (2025 layout)
OTHER_UNIT = "21211"  # Xã Tịnh Khê, Quảng Ngãi (2025 layout)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _act(
    client: httpx.AsyncClient, stack: Stack, token: str, dossier_id: str, action: str, **extra: Any
) -> httpx.Response:
    return await client.post(
        f"{stack.url('intake')}/api/v1/dossiers/{dossier_id}/actions",
        json={"action": action, **extra},
        headers=_auth(token),
    )


async def test_portal_down_catches_up_in_order_with_nothing_lost(stack: Stack) -> None:
    officer = stack.token(Role.OFFICER, agency="POLICE", unit=UNIT)
    portal = stack.processes["national_portal"]
    portal.stop()
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            approved = await submit(
                client, stack.url("intake"), officer, simple_dossier("RESIDENCE_TEMPORARY", UNIT)
            )
            for action in ("acknowledge", "start_processing", "approve", "return_result"):
                response = await _act(client, stack, officer, approved["id"], action)
                assert response.status_code == 201, response.text
            late_body = simple_dossier("RESIDENCE_TEMPORARY", UNIT)
            late_body["received_at"] = (datetime.now(UTC) - timedelta(days=30)).isoformat()
            late_body["channel"] = "counter"  # no 8-hour acknowledgement deadline at a counter
            late = await submit(client, stack.url("intake"), officer, late_body)
            supplement = await _act(
                client, stack, officer, late["id"], "request_supplement", reason="thiếu tờ khai"
            )
            assert supplement.status_code == 201, supplement.text

            async def late_flagged_overdue() -> dict[str, Any] | None:
                r = await client.get(
                    f"{stack.url('intake')}/api/v1/dossiers/{late['id']}", headers=_auth(officer)
                )
                body: dict[str, Any] = r.json()
                return body if body["overdue"] else None

            await eventually(late_flagged_overdue, timeout=15)
    finally:
        await stack.restart("national_portal")

    async with httpx.AsyncClient(timeout=10) as client:

        async def portal_view(code: str, want: int) -> dict[str, Any] | None:
            r = await client.get(
                f"{stack.url('national_portal')}/api/v1/dossiers/{code}", headers=_auth(officer)
            )
            body: dict[str, Any] = r.json()
            return body if r.status_code == 200 and len(body["history"]) == want else None

        approved_view = await eventually(lambda: portal_view(approved["code"], 6), timeout=20)
        assert [h["sequence"] for h in approved_view["history"]] == [1, 2, 3, 4, 5, 6]
        assert [h["detail"] for h in approved_view["history"]] == [
            None,
            "ACKNOWLEDGE",
            "START_PROCESSING",
            "APPROVE",
            "COMPLETED_ON_TIME",
            "RETURN_RESULT",
        ]
        assert approved_view["status"] == "result_returned"
        assert approved_view["completed_on_time"] is True

        late_view = await eventually(lambda: portal_view(late["code"], 3), timeout=20)
        assert [h["detail"] for h in late_view["history"]] == [
            None,
            "REQUEST_SUPPLEMENT",
            "OVERDUE",
        ]
        assert late_view["overdue"] is True
        assert late_view["history"][2]["occurred_at"].startswith(late["appointment_at"][:16])

        async def intake_sees_portal_in_sync() -> bool | None:
            r = await client.get(
                f"{stack.url('intake')}/api/v1/dossiers/{approved['id']}", headers=_auth(officer)
            )
            return True if r.json()["portal_in_sync"] else None

        await eventually(intake_sees_portal_in_sync, timeout=20)


async def test_officer_of_another_unit_is_forbidden_and_bad_actions_are_problems(
    stack: Stack,
) -> None:
    officer = stack.token(Role.OFFICER, agency="POLICE", unit=UNIT)
    stranger = stack.token(Role.OFFICER, agency="POLICE", unit=OTHER_UNIT)
    async with httpx.AsyncClient(timeout=10) as client:
        dossier = await submit(
            client, stack.url("intake"), officer, simple_dossier("RESIDENCE_PERMANENT", UNIT)
        )
        forbidden = await _act(client, stack, stranger, dossier["id"], "acknowledge")
        assert forbidden.status_code == 403
        assert forbidden.json()["type"].endswith("/forbidden-unit")

        assert (await _act(client, stack, officer, dossier["id"], "withdraw")).status_code == 201
        refused = await _act(client, stack, officer, dossier["id"], "approve")
        assert refused.status_code == 409
        assert refused.json()["type"].endswith("/invalid-status-transition")

        future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
        in_future = await _act(
            client,
            stack,
            officer,
            dossier["id"],
            "apologize",
            reason="x",
            new_appointment_at=future,
            occurred_at=future,
        )
        assert in_future.status_code == 422
        assert in_future.json()["errors"][0]["pointer"] == "/occurred_at"

        body = simple_dossier("RESIDENCE_PERMANENT", UNIT)
        body["documents"] = [{"code": "RESIDENCE_DECLARATION", "ref": "doc:not-a-uuid"}]
        missing = await client.post(
            f"{stack.url('intake')}/api/v1/dossiers", json=body, headers=_auth(officer)
        )
        assert missing.status_code == 422, missing.text
        pointers = {e["pointer"] for e in missing.json()["errors"]}
        assert pointers == {"/documents/0", "/documents"}
