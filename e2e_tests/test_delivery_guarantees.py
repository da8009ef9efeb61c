"""Poison messages are dead-lettered without blocking; crashes lose and duplicate nothing."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
from confluent_kafka import Consumer, Producer

from e2e_tests.flows import eventually, simple_dossier, submit
from lienthong.contracts.catalog import load_catalog
from lienthong.contracts.schemas import load_schema_set
from lienthong_tools.devstack import Stack, kafka_bootstrap


def _read_dead_letters(topic: str, want: int, timeout: float = 30.0) -> list[dict[str, bytes]]:
    consumer = Consumer(
        {
            "bootstrap.servers": kafka_bootstrap(),
            "group.id": f"e2e-dlq-reader-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    found: list[dict[str, bytes]] = []
    try:
        deadline = time.monotonic() + timeout
        while len(found) < want and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error():
                continue
            headers = dict(msg.headers() or [])
            headers["__value__"] = msg.value() or b""
            found.append(headers)
    finally:
        consumer.close()
    return found


async def test_malformed_message_is_dead_lettered_and_the_next_good_one_still_flows(
    stack: Stack, officer_token: str, auditor_token: str
) -> None:
    topic = stack.topic("intake.dossier.events")
    garbage = b"\xc3\x01not-avro-at-all"
    producer = Producer({"bootstrap.servers": kafka_bootstrap()})
    # Same key as the good dossier would not matter: dead-lettering must not block any partition.
    for partition in range(3):
        producer.produce(
            topic,
            garbage,
            key=b"poison",
            partition=partition,
            headers=[("ce_type", b"vn.lienthong.intake.DossierSubmitted")],
        )
    assert producer.flush(10) == 0

    async with httpx.AsyncClient(timeout=10) as client:
        dossier = await submit(
            client, stack.url("intake"), officer_token, simple_dossier("RESIDENCE_TEMPORARY", "51")
        )

        async def projected() -> dict[str, Any] | None:
            r = await client.get(
                f"{stack.url('reporting')}/api/v1/dossiers/{dossier['id']}",
                headers={"Authorization": f"Bearer {auditor_token}"},
            )
            return r.json() if r.status_code == 200 and r.json()["identity_checks"] == 1 else None

        await eventually(projected)

    # Every consumer of the topic that runs in the stack dead-letters the three messages.
    consumers = {
        name.encode()
        for name in load_catalog(load_schema_set()).topic("intake.dossier.events").consumers
        if name in stack.processes
    }
    assert {b"identity", b"orchestrator", b"reporting"} <= consumers
    letters = await asyncio.to_thread(_read_dead_letters, topic + ".dlq", 3 * len(consumers))
    assert len(letters) == 3 * len(consumers)
    assert {h["dlq_consumer"] for h in letters} == consumers
    assert all(h["__value__"] == garbage for h in letters)
    assert all(h["dlq_reason"] for h in letters)


async def test_killing_consumers_mid_stream_loses_and_duplicates_nothing(
    stack: Stack, officer_token: str, auditor_token: str
) -> None:
    unit = "21025"  # Phường Cẩm Thành, Quảng Ngãi (2025 layout)
    count = 40
    auth = {"Authorization": f"Bearer {auditor_token}"}
    async with httpx.AsyncClient(timeout=20) as client:
        ids: list[str] = []

        async def submit_batch(n: int) -> None:
            ids.extend(
                d["id"]
                for d in await asyncio.gather(
                    *(
                        submit(
                            client,
                            stack.url("intake"),
                            officer_token,
                            simple_dossier("RESIDENCE_PERMANENT", unit),
                        )
                        for _ in range(n)
                    )
                )
            )

        await submit_batch(count // 2)

        async def some_projected() -> bool | None:
            r = await client.get(f"{stack.url('reporting')}/api/v1/reports/summary", headers=auth)
            total = sum(
                row["value"]["dossiers"]
                for row in r.json()["dossiers"]
                if row["key"]["unit_code"] == unit
            )
            return True if total >= 3 else None

        await eventually(some_projected, interval=0.05)
        stack.processes["reporting"].kill()
        stack.processes["identity"].kill()
        await submit_batch(count - count // 2)
        await stack.restart("identity")
        await stack.restart("reporting")

        async def all_projected() -> int | None:
            r = await client.get(f"{stack.url('reporting')}/api/v1/reports/summary", headers=auth)
            total = sum(
                row["value"]["dossiers"]
                for row in r.json()["dossiers"]
                if row["key"]["unit_code"] == unit
            )
            return total if total >= count else None

        assert await eventually(all_projected, timeout=90) == count

        async def all_checked() -> bool | None:
            for dossier_id in ids:
                r = await client.get(
                    f"{stack.url('reporting')}/api/v1/dossiers/{dossier_id}", headers=auth
                )
                if r.status_code != 200 or r.json()["identity_checks"] < 1:
                    return None
            return True

        await eventually(all_checked, timeout=90)
        await asyncio.sleep(2)  # anything duplicated would have landed by now
        for dossier_id in ids:
            r = await client.get(
                f"{stack.url('reporting')}/api/v1/dossiers/{dossier_id}", headers=auth
            )
            assert r.json()["identity_checks"] == 1, dossier_id
        assert await all_projected() == count
