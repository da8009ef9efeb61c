"""Intake submission throughput and latency: HTTP submissions against a real running intake.

Why this exists: the issue's target is ≥ 500 submissions/s sustained with p99 < 250 ms on
this machine. The load comes from this (bench) process, a separate process from intake,
which runs alone (``Stack.start(only=("intake",))``) on the real PostgreSQL and Kafka, with
its outbox relay publishing as it goes. Each submission carries its own Idempotency-Key.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid

import httpx

from lienthong.auth import Role
from lienthong_tools.bench.runner import Figure
from lienthong_tools.demo import simple_dossier
from lienthong_tools.devstack import Stack

CONCURRENCY = 32
WARMUP_S = 1.0
MEASURE_S = 10.0

UNIT = "21025"  # Phường Cẩm Thành, Quảng Ngãi (2025 layout)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def submissions() -> list[Figure]:
    stack = Stack(port_base=25500)
    await stack.create_databases()
    await asyncio.to_thread(stack.provision_topics)
    try:
        await stack.start(only=("intake",))
        url = f"{stack.url('intake')}/api/v1/dossiers"
        headers = {
            "Authorization": f"Bearer {stack.token(Role.OFFICER, agency='POLICE', unit=UNIT)}"
        }
        latencies: list[float] = []
        errors = 0
        limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
        async with httpx.AsyncClient(timeout=10, limits=limits) as client:
            started = time.perf_counter()
            measure_from = started + WARMUP_S
            stop_at = measure_from + MEASURE_S

            async def worker() -> None:
                nonlocal errors
                while (t0 := time.perf_counter()) < stop_at:
                    response = await client.post(
                        url,
                        json=simple_dossier("RESIDENCE_TEMPORARY", UNIT),
                        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                    )
                    if t0 < measure_from:
                        continue
                    if response.status_code != 201:
                        errors += 1
                        if errors == 1:
                            print("intake bench: first error", response.status_code, response.text)
                        continue
                    latencies.append((time.perf_counter() - t0) * 1000)

            await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        if not latencies:
            raise RuntimeError(f"no successful submission ({errors} errors)")
        return [
            Figure("intake.submissions_per_s", len(latencies) / MEASURE_S, "submissions/s"),
            Figure("intake.submit_p50_ms", statistics.median(latencies), "ms"),
            Figure("intake.submit_p99_ms", _percentile(latencies, 0.99), "ms"),
            Figure("intake.submit_errors", float(errors), "responses"),
        ]
    finally:
        stack.stop()
        await stack.drop_databases()
        stack.delete_topics()
