"""Linked birth bundles through every service as a real process: throughput and latency.

A bundle's latency is its saga's own record: from the dossier's submission (event time,
stamped by intake) to its last agency step (the BHYT card), both read from the
orchestrator's database once the bundle completed. Two phases: paced submissions (latency
at a steady rate) and a burst (how many complete bundles per second the machine sustains).
The input's own limit — dossiers intake accepts per second — is reported beside them.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time

import asyncpg
import httpx

from lienthong.auth import Role
from lienthong_tools.bench.runner import Figure
from lienthong_tools.demo import birth_dossier
from lienthong_tools.devstack import SERVICES, Stack

PACED_RATE = 20.0  # dossiers per second
PACED_COUNT = 100
BURST_COUNT = 300
CONCURRENCY = 16
DEFAULT_PORT_BASE = 19300


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _submit(client: httpx.AsyncClient, url: str, token: str, family: int) -> None:
    r = await client.post(
        f"{url}/api/v1/dossiers",
        json=birth_dossier(family=family),
        headers={"Authorization": f"Bearer {token}"},
    )
    r.raise_for_status()


async def _wait_completed(conn: asyncpg.Connection, want: int, timeout: float) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        done = await conn.fetchval("SELECT count(*) FROM bundles WHERE state = 'completed'")
        if done >= want:
            return time.perf_counter()
        await asyncio.sleep(0.05)
    raise TimeoutError(f"only {done} of {want} bundles completed within {timeout:.0f} s")


async def _latencies(conn: asyncpg.Connection) -> list[float]:
    rows = await conn.fetch(
        """SELECT extract(epoch FROM completed_at - started_at) * 1000 AS ms
           FROM bundles WHERE state = 'completed'"""
    )
    return [float(r["ms"]) for r in rows]


async def _step_medians(conn: asyncpg.Connection) -> dict[str, float]:
    """Median time each step took: from its request (or the bundle's start) to its answer."""
    rows = await conn.fetch(
        """SELECT s.step,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM
                      s.completed_at - COALESCE(s.requested_at, b.started_at)) * 1000) AS ms
           FROM bundle_steps s JOIN bundles b USING (bundle_id)
           WHERE b.state = 'completed' GROUP BY s.step"""
    )
    return {r["step"]: float(r["ms"]) for r in rows}


async def birth_bundles(
    paced: int = PACED_COUNT, burst: int = BURST_COUNT, rate: float = PACED_RATE
) -> list[Figure]:
    # Engineers sharing the machine each use their own port range.
    port_base = int(os.environ.get("LIENTHONG_BENCH_PORT_BASE", DEFAULT_PORT_BASE))
    async with Stack(port_base=port_base) as stack:
        officer = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
        intake = stack.url("intake")
        spec = next(s for s in SERVICES if s.name == "orchestrator")
        conn = await asyncpg.connect(stack.database_url(spec))
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                for i in range(paced):
                    await _submit(client, intake, officer, i)
                    await asyncio.sleep(1 / rate)
                await _wait_completed(conn, paced, 120)
                paced_ms = await _latencies(conn)
                steps = await _step_medians(conn)
                await conn.execute("DELETE FROM bundle_history")
                await conn.execute("DELETE FROM bundle_steps")
                await conn.execute("DELETE FROM bundles")

                queue: asyncio.Queue[int] = asyncio.Queue()
                for i in range(burst):
                    queue.put_nowait(i)

                async def worker() -> None:
                    while not queue.empty():
                        await _submit(client, intake, officer, queue.get_nowait())

                started = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
                submitted = time.perf_counter()
                finished = await _wait_completed(conn, burst, 300)
        finally:
            await conn.close()
    where = [Figure(f"orchestrator.step_{k}_p50_ms", v, "ms") for k, v in sorted(steps.items())]
    return [
        *where,
        Figure("orchestrator.bundle_p50_ms", statistics.median(paced_ms), "ms"),
        Figure("orchestrator.bundle_p99_ms", _percentile(paced_ms, 0.99), "ms"),
        Figure("orchestrator.intake_submissions_per_s", burst / (submitted - started), "1/s"),
        Figure("orchestrator.birth_bundles_per_s", burst / (finished - started), "1/s"),
    ]
