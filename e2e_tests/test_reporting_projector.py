"""Reporting as a black box: events published as the agencies would, figures read over HTTP.

The scripted events carry 2022 event times, so the figures for a 2022 month count exactly
them — never what the other services of the stack derive from them (stamped now).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from e2e_tests.flows import eventually
from lienthong.service import load_codec
from lienthong_tools.bench.reporting import Mix, encode, publish, scripted_mix
from lienthong_tools.devstack import REPO, Stack


def _lienthong(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": stack.database_url(stack.processes["reporting"].spec),
        "KAFKA_TOPIC_PREFIX": stack.topic_prefix,
    }
    return subprocess.run(
        [str(Path(sys.executable).with_name("lienthong")), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def _report(
    client: httpx.AsyncClient, stack: Stack, token: str, month: str
) -> dict[str, Any]:
    r = await client.get(
        f"{stack.url('reporting')}/api/v1/reports/project06",
        params={"from": f"{month}-01", "to": f"{month}-28"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def _complete(
    client: httpx.AsyncClient, stack: Stack, token: str, month: str, mix: Mix
) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        report = await _report(client, stack, token, month)
        bundles = report["linked_bundles"].get("BIRTH", {})
        done = (
            report["dossiers"]["submitted"] >= mix.expected["submitted"]
            and report["identity"]["checked"] >= mix.expected["identity_checked"]
            and bundles.get("completed", 0) >= mix.expected["bundles"]["completed"]
            and bundles.get("breached", 0) >= mix.expected["bundles"]["breached"]
        )
        return report if done else None

    report = await eventually(probe, timeout=60)
    await asyncio.sleep(1)  # a duplicate would have landed by now
    return report


def _assert_matches(report: dict[str, Any], mix: Mix) -> None:
    expected = mix.expected
    assert report["dossiers"]["submitted"] == expected["submitted"]
    assert report["dossiers"]["by_unit"] == expected["by_unit"]
    assert report["dossiers"]["by_procedure"] == expected["by_procedure"]
    assert report["dossiers"]["by_channel"] == expected["by_channel"]
    assert report["identity"]["checked"] == expected["identity_checked"]
    assert report["identity"]["mismatches"] == expected["mismatches"]
    bundle = report["linked_bundles"]["BIRTH"]
    assert {k: bundle[k] for k in expected["bundles"]} == expected["bundles"]


async def test_project06_figures_after_a_scripted_mix_equal_the_expected_counts(
    stack: Stack, auditor_token: str
) -> None:
    mix = scripted_mix(datetime(2022, 3, 2, 2, tzinfo=UTC))
    await asyncio.to_thread(publish, encode(load_codec(), stack.topic_prefix, mix.events))
    async with httpx.AsyncClient(timeout=10) as client:
        report = await _complete(client, stack, auditor_token, "2022-03", mix)
    _assert_matches(report, mix)


async def test_killing_the_projector_mid_stream_gives_the_same_figures(
    stack: Stack, auditor_token: str
) -> None:
    mix = scripted_mix(datetime(2022, 4, 2, 2, tzinfo=UTC))
    messages = encode(load_codec(), stack.topic_prefix, mix.events)
    half = len(messages) // 2
    await asyncio.to_thread(publish, messages[:half])
    async with httpx.AsyncClient(timeout=10) as client:

        async def some() -> bool | None:
            report = await _report(client, stack, auditor_token, "2022-04")
            return True if report["dossiers"]["submitted"] >= 3 else None

        await eventually(some, interval=0.05)
        stack.processes["reporting"].kill()
        await asyncio.to_thread(publish, messages[half:])
        await stack.restart("reporting")
        report = await _complete(client, stack, auditor_token, "2022-04", mix)
    _assert_matches(report, mix)


async def test_replay_rebuilds_a_projection_equal_to_the_live_one(
    stack: Stack, auditor_token: str
) -> None:
    mix = scripted_mix(datetime(2022, 5, 2, 2, tzinfo=UTC))
    await asyncio.to_thread(publish, encode(load_codec(), stack.topic_prefix, mix.events))
    async with httpx.AsyncClient(timeout=10) as client:
        before = await _complete(client, stack, auditor_token, "2022-05", mix)
        result = await asyncio.to_thread(_lienthong, stack, "replay", "run", "--no-progress")
        assert result.returncode == 0, result.stdout + result.stderr
        assert ": equal" in result.stdout
        after = await _report(client, stack, auditor_token, "2022-05")
    assert after["projection"] != before["projection"]
    assert {k: v for k, v in after.items() if k != "projection"} == {
        k: v for k, v in before.items() if k != "projection"
    }


async def test_tampering_with_one_stored_audit_record_is_named_by_verify(
    stack: Stack, auditor_token: str
) -> None:
    async with httpx.AsyncClient(timeout=10) as client:

        async def some() -> bool | None:
            report = await _report(client, stack, auditor_token, "2022-03")
            return True if report["dossiers"]["submitted"] else None

        await eventually(some)
    assert _lienthong(stack, "replay", "verify-audit").returncode == 0
    conn = await asyncpg.connect(stack.database_url(stack.processes["reporting"].spec))
    try:
        seq, body = await conn.fetchrow("SELECT seq, body FROM audit_log ORDER BY seq LIMIT 1")
        await conn.execute(
            "UPDATE audit_log SET body = jsonb_set(body, '{tampered}', 'true') WHERE seq = $1", seq
        )
        tampered = await asyncio.to_thread(_lienthong, stack, "replay", "verify-audit")
        await conn.execute("UPDATE audit_log SET body = $2::jsonb WHERE seq = $1", seq, body)
    finally:
        await conn.close()
    assert tampered.returncode == 1
    assert f"modified record seq {seq}" in tampered.stderr
    assert _lienthong(stack, "replay", "verify-audit").returncode == 0
