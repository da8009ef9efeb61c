"""Linked birth bundles through the whole platform: sustained rate, CPU per bundle, latency.

Why this exists: a throughput figure is only honest if it counts what a citizen sees. Every
service runs as its own process against the real broker and PostgreSQL; dossiers go in
through intake's HTTP API and a bundle counts when reporting's read model shows it
COMPLETED (the fact reporting serves on ``GET /dossiers/{id}``). Three phases on one stack:

1. **Sustained**: ``LIENTHONG_BENCH_BUNDLES`` (3,000) birth dossiers, at most
   ``LIENTHONG_BENCH_IN_FLIGHT`` (400) submitted but not yet completed (a closed loop: the
   machine's own pace, never an unbounded backlog). Rate = bundles / (last completion − first
   submission). The CPU time of every process (``lienthong.bench.cpu``) over the same window,
   divided by the bundles, is ``pipeline.cpu_ms_per_bundle``, printed per process.
2. **Paced**: ``LIENTHONG_BENCH_PACED`` (500) dossiers at a fixed rate (open loop), 50/s when
   the sustained rate is at least twice that, else half the sustained rate (printed as
   ``orchestrator.bundle_e2e_rate_per_s``); latency from the POST to the poll that first
   finds the bundle completed in reporting (polled every 20 ms).
3. **Intake**: ``LIENTHONG_BENCH_INTAKE_S`` (10) seconds of concurrent submissions with the
   whole stack running; the window closes only when intake's outbox is drained (every
   accepted dossier's event is on Kafka), so the rate is what intake hands on, not what it
   buffers.

The raw limits of the same run (``codec.*``, ``kafka.raw_*``) come from the suites before.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from lienthong.auth import Role
from lienthong_tools.bench import cpu
from lienthong_tools.bench.families import birth_dossier, families, load_parents
from lienthong_tools.bench.runner import Figure
from lienthong_tools.demo import simple_dossier
from lienthong_tools.devstack import REPO, SERVICES, ServiceSpec, Stack, pg_base

DEFAULT_PORT_BASE = 19300
CONCURRENCY = 16
INTAKE_CONCURRENCY = 32
POLL_S = 0.02
IDLE_S = 5.0
INTAKE_UNIT = "21025"  # Phường Cẩm Thành, Quảng Ngãi (2025 layout)


@dataclass(frozen=True)
class Parameters:
    bundles: int
    in_flight: int
    paced: int
    rate: float
    intake_s: float
    port_base: int

    @classmethod
    def from_env(cls) -> Parameters:
        env = os.environ.get
        return cls(
            bundles=int(env("LIENTHONG_BENCH_BUNDLES", "3000")),
            in_flight=int(env("LIENTHONG_BENCH_IN_FLIGHT", "400")),
            paced=int(env("LIENTHONG_BENCH_PACED", "500")),
            rate=float(env("LIENTHONG_BENCH_RATE", "50")),
            intake_s=float(env("LIENTHONG_BENCH_INTAKE_S", "10")),
            port_base=int(env("LIENTHONG_BENCH_PORT_BASE", str(DEFAULT_PORT_BASE))),
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _spec(name: str) -> ServiceSpec:
    return next(s for s in SERVICES if s.name == name)


class CompletionWatch:
    """Which of the submitted dossiers reporting shows with a completed bundle, and when."""

    def __init__(self, conn: asyncpg.Connection, schema: str) -> None:
        self._conn = conn
        self._schema = schema
        self.pending: dict[uuid.UUID, float] = {}
        self.latencies_ms: list[float] = []
        self.completed = 0
        self.last_completed_at = 0.0
        self.changed = asyncio.Event()

    def submitted(self, dossier_id: uuid.UUID, at: float) -> None:
        self.pending[dossier_id] = at

    async def poll(self) -> None:
        if not self.pending:
            return
        rows = await self._conn.fetch(
            f"""SELECT dossier_id FROM {self._schema}.facts
                WHERE kind = 'bundle_completed' AND dossier_id = ANY($1::uuid[])""",
            list(self.pending),
        )
        now = time.perf_counter()
        for r in rows:
            started = self.pending.pop(r["dossier_id"], None)
            if started is not None:
                self.completed += 1
                self.latencies_ms.append((now - started) * 1000)
                self.last_completed_at = now
        if rows:
            self.changed.set()

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.poll()
            await asyncio.sleep(POLL_S)


async def _post(client: httpx.AsyncClient, url: str, token: str, body: object) -> uuid.UUID:
    """Submit one dossier; a dropped connection or a 503 is retried with the same
    Idempotency-Key, so a retry never makes a second dossier."""
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}
    for attempt in range(5):
        try:
            r = await client.post(url, json=body, headers=headers)
        except httpx.TransportError:
            if attempt == 4:
                raise
            await asyncio.sleep(0.2)
            continue
        if r.status_code == 201:
            return uuid.UUID(r.json()["id"])
        if r.status_code != 503 or attempt == 4:
            r.raise_for_status()
        await asyncio.sleep(float(r.headers.get("Retry-After", "0.5")))
    raise AssertionError("unreachable")


async def _watching(
    watch: CompletionWatch, body: Callable[[], Awaitable[None]], want: int, timeout: float
) -> None:
    stop = asyncio.Event()
    poller = asyncio.create_task(watch.run(stop))
    try:
        await body()
        deadline = time.perf_counter() + timeout
        while watch.completed < want:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{watch.completed} of {want} bundles completed in time")
            await asyncio.sleep(POLL_S)
    finally:
        stop.set()
        await poller


async def sustained(
    client: httpx.AsyncClient,
    url: str,
    token: str,
    watch: CompletionWatch,
    dossiers: list[dict[str, Any]],
    in_flight: int,
) -> tuple[float, float]:
    """Submit the dossiers with at most ``in_flight`` open; (first submission, last done)."""
    next_dossier = iter(dossiers)
    started = time.perf_counter()

    async def submitter() -> None:
        for dossier in next_dossier:
            while len(watch.pending) >= in_flight:
                watch.changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(watch.changed.wait(), 1.0)
            at = time.perf_counter()
            watch.submitted(await _post(client, url, token, dossier), at)

    async def body() -> None:
        await asyncio.gather(*(submitter() for _ in range(CONCURRENCY)))

    await _watching(watch, body, len(dossiers), timeout=max(120.0, len(dossiers)))
    return started, watch.last_completed_at


async def paced(
    client: httpx.AsyncClient,
    url: str,
    token: str,
    watch: CompletionWatch,
    dossiers: list[dict[str, Any]],
    rate: float,
) -> None:
    async def one(dossier: dict[str, Any], at: float) -> None:
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        t0 = time.perf_counter()
        watch.submitted(await _post(client, url, token, dossier), t0)

    async def body() -> None:
        start = time.perf_counter() + 0.1
        await asyncio.gather(*(one(d, start + i / rate) for i, d in enumerate(dossiers)))

    n = len(dossiers)
    await _watching(watch, body, n, timeout=120.0 + n / rate * 4)


@dataclass(frozen=True)
class IntakeRun:
    accepted: int
    errors: int
    latencies_ms: list[float]
    window_s: float
    drain_s: float


async def intake_load(
    client: httpx.AsyncClient, url: str, token: str, intake_db: asyncpg.Connection, seconds: float
) -> IntakeRun:
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    stop_at = started + seconds

    async def worker() -> None:
        nonlocal errors
        while (t0 := time.perf_counter()) < stop_at:
            try:
                r = await client.post(
                    url,
                    json=simple_dossier("RESIDENCE_TEMPORARY", INTAKE_UNIT),
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Idempotency-Key": str(uuid.uuid4()),
                    },
                )
            except httpx.TransportError as exc:
                errors += 1
                print("intake bench: connection error", type(exc).__name__)
                continue
            if r.status_code == 201:
                latencies.append((time.perf_counter() - t0) * 1000)
            else:
                errors += 1
                if errors == 1:
                    print("intake bench: first error", r.status_code, r.text[:300])

    await asyncio.gather(*(worker() for _ in range(INTAKE_CONCURRENCY)))
    window_end = time.perf_counter()
    while await intake_db.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"):
        await asyncio.sleep(POLL_S)
    drained = time.perf_counter()
    return IntakeRun(len(latencies), errors, latencies, drained - started, drained - window_end)


async def _step_medians(conn: asyncpg.Connection, dossiers: list[uuid.UUID]) -> dict[str, float]:
    """Median time each orchestrator step took, from its request (or the bundle's start)."""
    rows = await conn.fetch(
        """SELECT s.step,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM
                      s.completed_at - COALESCE(s.requested_at, b.started_at)) * 1000) AS ms
           FROM bundle_steps s JOIN bundles b USING (bundle_id)
           WHERE b.state = 'completed' AND b.dossier_id = ANY($1::uuid[]) GROUP BY s.step""",
        dossiers,
    )
    return {r["step"]: float(r["ms"]) for r in rows}


async def _projected_dossiers(conn: asyncpg.Connection, schema: str) -> int:
    """One-person dossiers reporting shows both submitted and with the identity check done."""
    return int(
        await conn.fetchval(
            f"""SELECT count(*) FROM {schema}.facts
                WHERE kind = 'identity_checked' AND dossier_id IN (
                    SELECT dossier_id FROM {schema}.facts
                    WHERE kind = 'dossier_submitted' AND procedure_code = 'RESIDENCE_TEMPORARY')"""
        )
    )


async def _wait_projected(
    conn: asyncpg.Connection, schema: str, want: int, timeout: float = 300.0
) -> None:
    deadline = time.perf_counter() + timeout
    while await _projected_dossiers(conn, schema) < want:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"reporting did not show {want} verified dossiers in time")
        await asyncio.sleep(0.1)


def _machine_busy_seconds() -> float:
    """CPU seconds every core of the machine spent busy so far (``/proc/stat``)."""
    fields = [int(v) for v in cpu.PROC.joinpath("stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / cpu.CLOCK_TICKS


def _cpu_figures(groups: dict[str, cpu.Group], bundles: int, wall_s: float) -> list[Figure]:
    figures = []
    for name, group in sorted(groups.items(), key=lambda kv: -kv[1].seconds):
        label = name.replace(" (shared)", "").replace(":", "_")
        unit = "ms/bundle (shared with other clients)" if group.shared else "ms/bundle"
        figures.append(
            Figure(f"pipeline.cpu.{label}_ms_per_bundle", group.seconds * 1000 / bundles, unit)
        )
    every = cpu.total(groups.values())
    own = cpu.total(groups.values(), shared=False)
    return [
        Figure("pipeline.cpu_ms_per_bundle", every * 1000 / bundles, "ms/bundle (every process)"),
        Figure(
            "pipeline.cpu_ms_per_bundle_own",
            own * 1000 / bundles,
            "ms/bundle (services + their PostgreSQL backends, shared processes left out)",
        ),
        Figure("pipeline.busy_cores", every / wall_s, "cores (pipeline processes)"),
        *figures,
    ]


async def birth_bundles() -> list[Figure]:
    p = Parameters.from_env()
    async with Stack(port_base=p.port_base, ready_timeout=300.0) as stack:
        officer = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
        police = stack.token(Role.OFFICER, agency="POLICE", unit=INTAKE_UNIT)
        url = f"{stack.url('intake')}/api/v1/dossiers"
        reporting = await asyncpg.connect(stack.database_url(_spec("reporting")))
        orchestrator = await asyncpg.connect(stack.database_url(_spec("orchestrator")))
        intake_db = await asyncpg.connect(stack.database_url(_spec("intake")))
        made = families(p.bundles + p.paced)
        await load_parents(
            stack.database_url(_spec("population_registry")), stack.subject_key, made
        )
        dossiers = [birth_dossier(f) for f in made]
        schema = await reporting.fetchval(
            "SELECT schema_name FROM projection_versions WHERE state = 'live'"
        )
        services = {
            name: proc.process.pid for name, proc in stack.processes.items() if proc.process
        }
        sampler = cpu.CpuSampler(
            services,
            f"{pg_base()}/postgres",
            f"{stack.name}_",
            cpu.kafka_broker_pid((REPO / ".local").resolve()),
            cpu.read_pid(REPO / ".local" / "postgres" / "data" / "postmaster.pid"),
            exclude_pids={
                await c.fetchval("SELECT pg_backend_pid()")
                for c in (reporting, orchestrator, intake_db)
            },
        )
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        try:
            async with httpx.AsyncClient(timeout=30, limits=limits) as client:
                watch = CompletionWatch(reporting, schema)
                await sampler.start()
                await asyncio.sleep(IDLE_S)
                idle = cpu.total((await sampler.stop()).values()) / IDLE_S
                machine_before = _machine_busy_seconds()
                await sampler.start()
                first, last = await sustained(
                    client, url, officer, watch, dossiers[: p.bundles], p.in_flight
                )
                groups = await sampler.stop()
                wall = last - first
                machine = _machine_busy_seconds() - machine_before
                rate = p.bundles / wall
                figures = [
                    Figure("orchestrator.birth_bundles_per_s", rate, "bundles/s sustained"),
                    Figure("orchestrator.bundles_sustained", float(p.bundles), "bundles"),
                    Figure(
                        "orchestrator.sustained_p50_ms",
                        statistics.median(watch.latencies_ms),
                        f"ms (≤ {p.in_flight} in flight, not a latency goal)",
                    ),
                    *_cpu_figures(groups, p.bundles, wall),
                    Figure("pipeline.idle_cores", idle, "cores (the same processes, no load)"),
                    Figure(
                        "pipeline.cpu_ms_per_bundle_net_of_idle",
                        (cpu.total(groups.values()) - idle * wall) * 1000 / p.bundles,
                        "ms/bundle (what the load adds to the idle cost)",
                    ),
                    Figure(
                        "pipeline.machine_busy_cores",
                        machine / wall,
                        f"of {os.cpu_count()} cores (everything on the machine)",
                    ),
                ]

                paced_rate = p.rate if rate >= 2 * p.rate else max(0.1, round(rate / 2, 1))
                watch = CompletionWatch(reporting, schema)
                await paced(client, url, officer, watch, dossiers[p.bundles :], paced_rate)
                recent = list(
                    await orchestrator.fetch(
                        "SELECT dossier_id FROM bundles ORDER BY started_at DESC LIMIT $1", p.paced
                    )
                )
                steps = await _step_medians(orchestrator, [r["dossier_id"] for r in recent])
                figures += [
                    Figure("orchestrator.bundle_e2e_rate_per_s", paced_rate, "bundles/s offered"),
                    Figure(
                        "orchestrator.bundle_e2e_samples", float(len(watch.latencies_ms)), "bundles"
                    ),
                    Figure(
                        "orchestrator.bundle_e2e_p50_ms",
                        statistics.median(watch.latencies_ms),
                        f"ms at {paced_rate:g}/s",
                    ),
                    Figure(
                        "orchestrator.bundle_e2e_p99_ms",
                        percentile(watch.latencies_ms, 0.99),
                        f"ms at {paced_rate:g}/s",
                    ),
                    *(
                        Figure(f"orchestrator.step_{k}_p50_ms", v, "ms")
                        for k, v in sorted(steps.items())
                    ),
                ]

                projected = await _projected_dossiers(reporting, schema)
                await sampler.start()
                run = await intake_load(client, url, police, intake_db, p.intake_s)
                if not run.latencies_ms:
                    raise RuntimeError(f"no dossier accepted ({run.errors} errors)")
                await _wait_projected(reporting, schema, projected + run.accepted)
                dossier_cpu = cpu.total((await sampler.stop()).values())
                figures += [
                    Figure(
                        "intake.submissions_per_s",
                        run.accepted / run.window_s,
                        "submissions/s, stack running, outbox drained",
                    ),
                    Figure("intake.submit_p50_ms", statistics.median(run.latencies_ms), "ms"),
                    Figure("intake.submit_p99_ms", percentile(run.latencies_ms, 0.99), "ms"),
                    Figure("intake.submit_errors", float(run.errors), "responses"),
                    Figure(
                        "intake.outbox_drain_ms", run.drain_s * 1000, "ms after the last response"
                    ),
                    Figure(
                        "pipeline.cpu_ms_per_dossier",
                        dossier_cpu * 1000 / run.accepted,
                        "ms/dossier (one-person dossier, every process, until reporting shows it"
                        " verified)",
                    ),
                ]
        finally:
            for conn in (reporting, orchestrator, intake_db):
                await conn.close()
    return figures
