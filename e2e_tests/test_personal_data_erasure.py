"""Erasure by key destruction through every real process: a birth dossier's mother asks to
be erased; her personal fields read `erased` everywhere reporting shows them, the audit
chain still verifies, and a replay from offset 0 gives every figure unchanged."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from confluent_kafka import Consumer

from e2e_tests.flows import birth_dossier, eventually, submit
from lienthong.subjects import SubjectIds
from lienthong_tools.devstack import REPO, Stack, kafka_bootstrap

FATHER = ("Huỳnh Ngọc Sơn", "051085117903", "1985-01-30")
MOTHER = ("Võ Thị Mỹ Linh", "051187462210", "1987-08-15")
SECTIONS = ("dossiers", "linked_bundles", "identity", "civil_registry", "insurance", "residence")


def lienthong(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": stack.database_url(stack.processes["reporting"].spec),
        "KEYS_DATABASE_URL": stack.keys_database_url,
        "PERSONAL_DATA_MASTER_KEYS": stack.master_keys,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap(),
        "KAFKA_TOPIC_PREFIX": stack.topic_prefix,
    }
    return subprocess.run(
        [str(Path(sys.executable).with_name("lienthong")), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def dossier() -> dict[str, Any]:
    body = birth_dossier()
    for person in body["persons"]:
        if person["role"] == "child":
            person["full_name"] = "Huỳnh Võ Gia Bảo"
            continue
        source = FATHER if person["role"] in ("father", "applicant") else MOTHER
        person["full_name"], person["id_number"], person["birth_date"] = source
    return body


async def figures(client: httpx.AsyncClient, stack: Stack, token: str) -> dict[str, Any]:
    today = datetime.now(UTC) + timedelta(hours=7)
    r = await client.get(
        f"{stack.url('reporting')}/api/v1/reports/project06",
        params={
            "from": (today - timedelta(days=1)).date().isoformat(),
            "to": today.date().isoformat(),
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    report = r.json()
    return {section: report[section] for section in SECTIONS}


async def trail(
    client: httpx.AsyncClient, stack: Stack, token: str, subject: str
) -> list[dict[str, Any]]:
    r = await client.get(
        f"{stack.url('reporting')}/api/v1/audit/subjects/{subject}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    entries: list[dict[str, Any]] = r.json()
    return entries


def people_in(body: Any) -> list[dict[str, Any]]:
    """Every person record in an audit body (those with a subject and a name)."""
    found: list[dict[str, Any]] = []
    if isinstance(body, dict):
        if "subject_id" in body and "full_name" in body:
            found.append(body)
        for value in body.values():
            found += people_in(value)
    elif isinstance(body, list):
        for value in body:
            found += people_in(value)
    return found


def raw_values(topic: str) -> list[bytes]:
    consumer = Consumer(
        {
            "bootstrap.servers": kafka_bootstrap(),
            "group.id": f"raw-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    values: list[bytes] = []
    quiet_until = time.monotonic() + 5
    while time.monotonic() < quiet_until:
        msg = consumer.poll(0.5)
        if msg is not None and not msg.error():
            values.append(msg.value() or b"")
            quiet_until = time.monotonic() + 1.5
    consumer.close()
    return values


async def test_an_erased_citizen_reads_erased_while_replay_and_every_count_stay_right(
    stack: Stack, officer_token: str, auditor_token: str
) -> None:
    subjects = SubjectIds(stack.subject_key)
    mother, father = subjects.for_id_number(MOTHER[1]), subjects.for_id_number(FATHER[1])
    async with httpx.AsyncClient(timeout=30) as client:
        submitted = await submit(client, stack.url("intake"), officer_token, dossier())

        async def bundle_done() -> dict[str, Any] | None:
            r = await client.get(
                f"{stack.url('orchestrator')}/api/v1/bundles",
                params={"dossier_id": submitted["id"]},
                headers={"Authorization": f"Bearer {officer_token}"},
            )
            return r.json() if r.status_code == 200 and r.json()["state"] == "completed" else None

        await eventually(bundle_done, timeout=90)

        async def settled() -> dict[str, Any] | None:
            first = await figures(client, stack, auditor_token)
            await asyncio.sleep(2)
            return first if first == await figures(client, stack, auditor_token) else None

        before = await eventually(settled, timeout=60)
        shown = [
            p
            for e in await trail(client, stack, auditor_token, mother)
            for p in people_in(e["body"])
        ]
        assert any(p["full_name"] == MOTHER[0] for p in shown if p["subject_id"] == mother)

        for value in await asyncio.to_thread(raw_values, stack.topic("intake.dossier.events")):
            for secret in (*MOTHER, *FATHER, "Huỳnh Võ Gia Bảo"):
                assert secret.encode() not in value

        erased = await asyncio.to_thread(
            lienthong,
            stack,
            "keys",
            "erase",
            mother,
            "--requested-by",
            "officer-tinh-khe-07",
            "--legal-basis",
            "SUBJECT_REQUEST",
            "--reason",
            "QĐ 118/2026/QĐ-UBND",
            "--unit",
            "21211",
        )
        assert erased.returncode == 0, erased.stderr

        async def erasure_audited() -> list[dict[str, Any]] | None:
            entries = await trail(client, stack, auditor_token, mother)
            kinds = [e["what"] for e in entries]
            return entries if "vn.lienthong.keys.PersonalDataErased" in kinds else None

        entries = await eventually(erasure_audited, timeout=30)
        erasure = next(e for e in entries if e["what"].endswith("PersonalDataErased"))
        assert erasure["who"]["actor"] == "officer-tinh-khe-07"
        assert erasure["body"]["legal_basis"] == "SUBJECT_REQUEST"
        hers = [p for e in entries for p in people_in(e["body"]) if p["subject_id"] == mother]
        assert hers and all(p["full_name"] == "erased" for p in hers)
        assert all(p.get("id_number") in ("erased", None) for p in hers)
        assert all(p.get("birth_date") is None for p in hers)
        his = [
            p
            for e in await trail(client, stack, auditor_token, father)
            for p in people_in(e["body"])
            if p["subject_id"] == father
        ]
        assert his and all(p["full_name"] == FATHER[0] for p in his)

        replay = await asyncio.to_thread(lienthong, stack, "replay", "run", "--no-progress")
        assert replay.returncode == 0, replay.stdout + replay.stderr
        assert await figures(client, stack, auditor_token) == before
        verified = await asyncio.to_thread(lienthong, stack, "replay", "verify-audit")
        assert verified.returncode == 0, verified.stdout + verified.stderr
