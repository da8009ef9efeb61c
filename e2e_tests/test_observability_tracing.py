"""One trace id follows a life event from the HTTP request through every Kafka hop.

This test runs its own stack (its own ports, topic prefix and databases) with the file span
exporter switched on in every process, submits a linked birth registration, waits for the
projection, and reads the spans every process wrote.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest_asyncio

from e2e_tests.flows import birth_dossier, eventually, submit
from lienthong.auth import Role
from lienthong_tools.devstack import Stack

_ID_NUMBER = re.compile(r"(?<![\d-])\d{12}(?![\d-])")  # not the tail of a UUID


@pytest_asyncio.fixture(scope="module")
async def traced_stack(tmp_path_factory: Any) -> AsyncIterator[tuple[Stack, Path]]:
    spans = tmp_path_factory.mktemp("traces") / "spans.jsonl"
    stack = Stack(
        port_base=18500,
        extra_env={"OTEL_TRACES_EXPORTER": "file", "OTEL_EXPORTER_FILE_PATH": str(spans)},
    )
    async with stack:
        yield stack, spans


def read_spans(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


async def test_one_trace_follows_a_birth_from_the_counter_through_every_kafka_hop_to_reporting(
    traced_stack: tuple[Stack, Path],
) -> None:
    stack, spans_file = traced_stack
    officer = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
    auditor = stack.token(Role.AUDITOR)
    async with httpx.AsyncClient(timeout=10) as client:
        dossier = await submit(client, stack.url("intake"), officer, birth_dossier())

        async def projected() -> dict[str, Any] | None:
            r = await client.get(
                f"{stack.url('reporting')}/api/v1/dossiers/{dossier['id']}",
                headers={"Authorization": f"Bearer {auditor}"},
            )
            view: dict[str, Any] = r.json()
            return view if r.status_code == 200 and view["bundle_status"] == "COMPLETED" else None

        await eventually(projected)

    request_span = next(
        s
        for s in read_spans(spans_file)
        if s["service"] == "intake" and s["kind"] == "SERVER" and s["name"].startswith("POST ")
    )
    trace_id = request_span["trace_id"]

    def hop(topic: str, service: str) -> tuple[str, str]:
        return (stack.topic(topic), service)

    expected_hops = {
        hop("intake.dossier.events", "identity"),
        hop("intake.dossier.events", "orchestrator"),
        hop("identity.verification.events", "orchestrator"),
        hop("agency.population.commands", "population_registry"),
        hop("agency.population.events", "orchestrator"),
        hop("orchestrator.bundle.events", "reporting"),
    }

    async def every_hop_traced() -> list[dict[str, Any]] | None:
        spans = [s for s in read_spans(spans_file) if s["trace_id"] == trace_id]
        hops = {
            (s["attributes"].get("messaging.destination.name"), s["service"])
            for s in spans
            if s["kind"] == "CONSUMER"
        }
        return spans if expected_hops <= hops else None

    trace = await eventually(every_hop_traced, timeout=30)

    by_id = {s["span_id"]: s for s in trace}
    for span in trace:
        if span["span_id"] == request_span["span_id"]:
            continue
        assert span["parent_id"] in by_id, f"{span['service']} {span['name']} is cut off the trace"
    roots = [s for s in trace if s["parent_id"] not in by_id]
    assert [r["span_id"] for r in roots] == [request_span["span_id"]]
    assert {s["service"] for s in trace} >= {
        "intake",
        "identity",
        "orchestrator",
        "population_registry",
        "reporting",
    }
    for span in trace:
        assert not _ID_NUMBER.search(json.dumps(span["attributes"])), span["name"]
