"""End-to-end latency of the walking skeleton: counter submission → completed birth bundle
visible in reporting's read model, through every service as a real process."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx

from lienthong.auth import Role
from lienthong_tools.bench.runner import Figure
from lienthong_tools.demo import birth_dossier
from lienthong_tools.devstack import Stack


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def birth_bundle_latency(n: int = 30) -> list[Figure]:
    async with Stack(port_base=19000) as stack:
        officer = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
        auditor = stack.token(Role.AUDITOR)
        latencies: list[float] = []
        async with httpx.AsyncClient(timeout=10) as client:
            for _ in range(n):
                started = time.perf_counter()
                r = await client.post(
                    f"{stack.url('intake')}/api/v1/dossiers",
                    json=birth_dossier(),
                    headers={"Authorization": f"Bearer {officer}"},
                )
                r.raise_for_status()
                dossier_id = r.json()["id"]
                while True:
                    view = await client.get(
                        f"{stack.url('reporting')}/api/v1/dossiers/{dossier_id}",
                        headers={"Authorization": f"Bearer {auditor}"},
                    )
                    body: dict[str, Any] = view.json()
                    if view.status_code == 200 and body.get("bundle_status") == "COMPLETED":
                        break
                    if time.perf_counter() - started > 60:
                        raise TimeoutError("birth bundle did not complete within 60 s")
                    await asyncio.sleep(0.005)
                latencies.append((time.perf_counter() - started) * 1000)
    return [
        Figure("skeleton.birth_bundle_e2e_p50_ms", statistics.median(latencies), "ms"),
        Figure("skeleton.birth_bundle_e2e_p99_ms", _percentile(latencies, 0.99), "ms"),
    ]
