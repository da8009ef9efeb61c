"""Reporting at province scale: live projection rate, and report queries on a half-year.

Why this exists: the Project 06 report must be answered for a province's half-year
(≈ 60,000 dossiers of the essential services, ≈ 10,000 births, BHYT syncs and look-ups)
in under a second per query, and the live projector must keep up with what agencies
publish (≥ 2,000 events/s). Two measurements, each beside its cost:

- ``reporting.projection_events_per_s``: the real projector (InboxConsumer, batched
  transactions, audit chain) consuming a backlog from the broker, not a replay;
  ``reporting.projection_cpu_ms_per_1k_events`` is this process's CPU per 1,000 events.
- ``reporting.report_query_p99_ms`` (and p50): the whole report (every section, one
  snapshot) for windows, units and as-of dates an officer asks for, on a fact history of a
  province's half-year bulk-loaded into a fresh database.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import asyncpg
import psutil

from lienthong.db import create_pool
from lienthong.service import load_codec
from lienthong_tools.bench.reporting import (
    _bulk_events,
    _percentile,
    delete_topics,
    encode,
    provision_reporting_topics,
    publish,
)
from lienthong_tools.bench.runner import Figure
from lienthong_tools.devstack import kafka_bootstrap, pg_base

HALF_YEAR_START = datetime(2022, 1, 1, 1, tzinfo=UTC)
SECONDS_IN_HALF_YEAR = 181 * 86400
# Dossiers per essential service in a province's half-year, shaped like the Quảng Ngãi
# report (stay notifications and household tax registrations dominate; 11 services none).
PROCEDURE_WEIGHTS = {
    "STAY_NOTIFICATION": 18,
    "TAX_REGISTRATION_HOUSEHOLD": 28,
    "RESIDENCE_TEMPORARY": 5,
    "RESIDENCE_PERMANENT": 4,
    "TEMPORARY_ABSENCE": 2,
    "CCCD_REISSUE": 3,
    "PASSPORT": 2,
    "BIRTH_REGISTRATION": 9,
    "DEATH_REGISTRATION": 2,
    "MARRIAGE_REGISTRATION": 2,
    "JUDICIAL_RECORD": 1,
    "DRIVING_LICENCE_EXCHANGE": 2,
    "BIRTH_LINKED": 1,
    "DEATH_LINKED": 1,
}
NOTIFICATIONS = {"STAY_NOTIFICATION", "TEMPORARY_ABSENCE"}
BIRTH_TYPES = (("ON_TIME", 85), ("LATE", 13), ("RE_REGISTRATION", 2))
ID_ERRORS = (("NEEDS_VERIFICATION", 1284), ("SUSPECTED_DUPLICATE", 39), ("DATA_DIFFERS", 5))
LOOKUP_OUTCOMES = (("FOUND_VALID", 975), ("NAME_MISMATCH", 640), ("UNREADABLE_QR", 252))


def _communes() -> list[str]:
    from reporting.domain.report import UnitTree

    tree = UnitTree.load()
    return sorted(code for code, u in tree.units.items() if u.level == "commune")


def province_history(dossiers: int = 60_000, births: int = 10_000, seed: int = 6) -> list[tuple]:  # type: ignore[type-arg]
    """Fact rows of a province's half-year (deterministic for a seed)."""
    from reporting.domain.facts import Fact

    rng = random.Random(seed)
    communes = _communes()
    codes, weights = list(PROCEDURE_WEIGHTS), list(PROCEDURE_WEIGHTS.values())
    rows = []

    def fid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128)))

    def when() -> datetime:
        return HALF_YEAR_START + timedelta(seconds=rng.randrange(SECONDS_IN_HALF_YEAR))

    for _ in range(dossiers):
        dossier = uuid.UUID(int=rng.getrandbits(128))
        procedure = rng.choices(codes, weights)[0]
        unit = rng.choice(communes)
        at = when()
        due = at + timedelta(days=1 if procedure in NOTIFICATIONS else rng.choice((3, 5, 7, 15)))
        rows.append(
            Fact(
                fid(),
                "dossier_submitted",
                at,
                at,
                dossier_id=dossier,
                unit_code=unit,
                procedure_code=procedure,
                channel=rng.choice(("PORTAL", "COUNTER")),
                due_at=due,
            ).row()
        )
        rows.append(
            Fact(
                fid(),
                "dossier_status",
                at,
                at,
                dossier_id=dossier,
                unit_code=unit,
                procedure_code=procedure,
                category="ACKNOWLEDGED",
                seq=2,
            ).row()
        )
        if rng.random() < 0.9:
            decided = at + (due - at) * rng.uniform(0.1, 1.3)
            recorded = decided + (
                timedelta(days=rng.randint(1, 20)) if rng.random() < 0.05 else timedelta(minutes=1)
            )
            outcome = (
                "ACKNOWLEDGED"
                if procedure in NOTIFICATIONS
                else rng.choices(("APPROVED", "REJECTED"), (95, 5))[0]
            )
            rows.append(
                Fact(
                    fid(),
                    "dossier_completed",
                    decided,
                    recorded,
                    dossier_id=dossier,
                    unit_code=unit,
                    procedure_code=procedure,
                    category=outcome,
                    flag=decided <= due,
                    seq=3,
                    due_at=due,
                ).row()
            )
    types = [name for name, _ in BIRTH_TYPES]
    type_weights = [weight for _, weight in BIRTH_TYPES]
    for _ in range(births):
        at = when()
        rows.append(
            Fact(
                fid(),
                "civil_registration",
                at,
                at + timedelta(hours=rng.choice((0, 0, 30))),
                unit_code=rng.choice(communes),
                category="BIRTH",
                reference=rng.choices(types, type_weights)[0],
            ).row()
        )
        bundle = uuid.UUID(int=rng.getrandbits(128))
        rows.append(
            Fact(
                fid(),
                "bundle_started",
                at,
                at,
                bundle_id=bundle,
                unit_code=rng.choice(communes),
                procedure_code="BIRTH_LINKED",
                category="BIRTH",
                duration_s=5 * 86400,
            ).row()
        )
        rows.append(
            Fact(
                fid(),
                "bundle_completed",
                at + timedelta(days=2),
                at + timedelta(days=2),
                bundle_id=bundle,
                unit_code=rng.choice(communes),
                category="BIRTH",
                flag=True,
                duration_s=2 * 86400,
            ).row()
        )
    for reason, n in ID_ERRORS:
        for _ in range(n * births // 9100):
            rows.append(Fact(fid(), "id_number_refused", when(), when(), category=reason).row())
    for outcome, n in LOOKUP_OUTCOMES:
        for _ in range(n):
            rows.append(
                Fact(
                    fid(),
                    "card_lookup",
                    when(),
                    when(),
                    unit_code=rng.choice(communes),
                    category=outcome,
                    flag=outcome == "FOUND_VALID",
                ).row()
            )
    for i in range(dossiers):
        start = HALF_YEAR_START - timedelta(days=rng.randrange(365))
        rows.append(
            Fact(
                fid(),
                "card_synced",
                start,
                start,
                unit_code=rng.choice(communes),
                reference=f"sub_{i}",
                starts_at=start,
                due_at=start + timedelta(days=365),
            ).row()
        )
    return rows


QUERIES = (
    # (first, last, as_of, unit): the half-year, quarters, months, districts, communes
    (date(2022, 1, 1), date(2022, 6, 30), None, None),
    (date(2022, 1, 1), date(2022, 6, 30), date(2022, 6, 30), None),
    (date(2022, 1, 1), date(2022, 3, 31), None, None),
    (date(2022, 4, 1), date(2022, 6, 30), date(2022, 6, 21), "522"),
    (date(2022, 6, 1), date(2022, 6, 30), None, "21211"),
    (date(2022, 1, 1), date(2022, 6, 30), None, "524"),
)


async def report_queries(rounds: int = 4) -> list[Figure]:
    """The whole report on a province's half-year, bulk-loaded into a fresh database."""
    from reporting.adapters import repository
    from reporting.bootstrap import MIGRATIONS
    from reporting.domain.catalogue import Catalogue
    from reporting.domain.report import UnitTree, window
    from reporting.service_layer.project06 import ReportRequest, build

    rows = await asyncio.to_thread(province_history)
    name = "bench_province_" + uuid.uuid4().hex[:8]
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    tree, catalogue = UnitTree.load(), Catalogue.load()
    timings: list[float] = []
    try:
        pool = await create_pool(f"{pg_base()}/{name}", MIGRATIONS, max_size=2)
        try:
            async with pool.acquire() as conn:
                schema = await repository.live_schema(conn)
                for i in range(0, len(rows), 50_000):
                    await repository.copy_facts(conn, schema, rows[i : i + 50_000])
                await conn.execute(f"VACUUM ANALYZE {schema}.facts")
            for _ in range(rounds):
                for first, last, as_of, unit in QUERIES:
                    request = ReportRequest(
                        first,
                        last,
                        as_of,
                        False,
                        unit,
                        window(first, last, as_of),
                        tree.with_descendants(unit) if unit else None,
                    )
                    begun = time.perf_counter()
                    await build(pool, request, tree, catalogue)
                    timings.append((time.perf_counter() - begun) * 1000)
        finally:
            await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return [
        Figure("reporting.province_history_facts", len(rows), "facts"),
        Figure("reporting.report_query_p50_ms", statistics.median(timings), "ms"),
        Figure("reporting.report_query_p99_ms", _percentile(timings, 0.99), "ms"),
    ]


async def live_projection(n: int = 5_000) -> list[Figure]:
    """The live projector consuming a backlog of n events from the broker."""
    from lienthong.bus import MessageBus
    from lienthong.inbox import InboxConsumer
    from lienthong.kafka import EventProducer, consumer_config, producer_config
    from lienthong.outbox import Outbox
    from reporting.bootstrap import MIGRATIONS, consumed_topics
    from reporting.domain.events import CONSUMED
    from reporting.entrypoints.consumer import projector_dispatch
    from reporting.service_layer.projections import HANDLERS, Dependencies

    codec = load_codec()
    prefix = f"benchlive{uuid.uuid4().hex[:6]}."
    name = "bench_live_" + uuid.uuid4().hex[:8]
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        await asyncio.to_thread(provision_reporting_topics, prefix)
        await asyncio.to_thread(publish, encode(codec, prefix, _bulk_events(n)))
        pool = await create_pool(f"{pg_base()}/{name}", MIGRATIONS, max_size=4)
        dead_letters = EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))
        bus = MessageBus(HANDLERS, Dependencies(), Outbox(codec, "/lienthong/reporting", {}))
        consumer = InboxConsumer(
            name="reporting",
            topics=[prefix + t for t in consumed_topics()],
            config=consumer_config(
                {"bootstrap.servers": kafka_bootstrap()}, group_id=prefix + "reporting"
            ),
            pool=pool,
            codec=codec,
            dispatch=projector_dispatch(bus, CONSUMED),
            dead_letters=dead_letters,
            batch_transactions=True,
        )
        stop = asyncio.Event()
        me = psutil.Process()
        cpu_before = me.cpu_times()
        begun = time.perf_counter()
        task = asyncio.create_task(consumer.run(stop))
        try:
            async with asyncio.timeout(900):
                while await pool.fetchval("SELECT seq FROM audit_head") < n:
                    await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - begun
            cpu_after = me.cpu_times()
        finally:
            stop.set()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 15)
            dead_letters.close()
            await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        await asyncio.to_thread(delete_topics, prefix)
    cpu_s = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    return [
        Figure("reporting.projection_events_per_s", n / elapsed, "events/s"),
        Figure("reporting.projection_cpu_ms_per_1k_events", cpu_s * 1000 / (n / 1000), "ms"),
    ]


async def province() -> list[Figure]:
    return [*(await live_projection()), *(await report_queries())]
