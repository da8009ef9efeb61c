"""A birth registered at the counter reaches identity, the population registry and reporting."""

from __future__ import annotations

from typing import Any

import httpx

from e2e_tests.flows import birth_dossier, eventually, submit
from lienthong_tools.devstack import Stack


async def test_birth_registration_reaches_reporting_with_a_completed_bundle(
    stack: Stack, officer_token: str, auditor_token: str
) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        dossier = await submit(client, stack.url("intake"), officer_token, birth_dossier())
        assert dossier["code"].startswith("51-")
        assert dossier["appointment_at"] > dossier["submitted_at"]

        async def completed() -> dict[str, Any] | None:
            r = await client.get(
                f"{stack.url('reporting')}/api/v1/dossiers/{dossier['id']}",
                headers={"Authorization": f"Bearer {auditor_token}"},
            )
            view: dict[str, Any] = r.json()
            return view if r.status_code == 200 and view["bundle_status"] == "COMPLETED" else None

        view = await eventually(completed)
        assert view["procedure_code"] == "BIRTH_LINKED"
        assert view["bundle_type"] == "BIRTH"
        assert view["identity_checks"] == 4
        assert view["identity_mismatches"] == 0
        assert view["bundle_on_time"] is True


async def test_retried_submission_with_same_idempotency_key_returns_the_same_dossier(
    stack: Stack, officer_token: str
) -> None:
    headers = {"Authorization": f"Bearer {officer_token}", "Idempotency-Key": "retry-e2e-1"}
    async with httpx.AsyncClient(timeout=10) as client:
        first = await client.post(
            f"{stack.url('intake')}/api/v1/dossiers", json=birth_dossier(), headers=headers
        )
        second = await client.post(
            f"{stack.url('intake')}/api/v1/dossiers", json=birth_dossier(), headers=headers
        )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]


async def test_invalid_submission_gets_a_problem_document_naming_the_field(
    stack: Stack, officer_token: str
) -> None:
    body = birth_dossier()
    body["persons"][1]["id_number"] = "05109012"
    async with httpx.AsyncClient(timeout=10) as client:
        r = await client.post(
            f"{stack.url('intake')}/api/v1/dossiers",
            json=body,
            headers={"Authorization": f"Bearer {officer_token}"},
        )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["type"].endswith("/validation-error")
    assert problem["errors"][0]["pointer"] == "/persons/1/id_number"


async def test_every_service_answers_health_and_readiness(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        for name in stack.processes:
            assert (await client.get(stack.url(name) + "/healthz")).status_code == 200
            assert (await client.get(stack.url(name) + "/readyz")).status_code == 200
            metrics = await client.get(stack.url(name) + "/metrics")
            assert "lienthong_outbox_published_total" in metrics.text
