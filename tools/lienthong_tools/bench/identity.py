"""Identity quality and speed on the labelled set, through identity's core function.

Why this exists: the issue asks how often identity's flags are right (precision) and how
many real problems it catches (recall), for mismatches and duplicates, how many people
without a usable number are matched, how many review cases the queue gets, and how many
checks one worker makes per second. The labelled set is ``identity_set`` (a province's
register and the dossiers and birth registrations that reach identity, generated from a
seed); the scoring is ``identity_eval``.

This suite runs identity's domain functions with the registry's look-ups and blocking
reproduced in memory: it is the calibration run of ``identity.domain.demographic``'s
thresholds, and ``identity.verifications_per_s`` is the core function alone (``precheck``
then ``assess`` on the registry's answer, one process, no I/O) — the throughput of one
worker's CPU, above which the database and Kafka set the pace. The same set through the
identity and population-registry processes over Kafka is ``identity_e2e``, which gives the
headline figures (``identity.precision`` ...).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

from lienthong_tools.bench.identity_eval import conclude, core_outcomes, prepare, score
from lienthong_tools.bench.identity_set import generate
from lienthong_tools.bench.runner import Figure


async def quality(
    citizens: int = 30_000, dossiers: int = 4_000, births: int = 1_000
) -> list[Figure]:
    evaluation = generate(citizens=citizens, dossiers=dossiers, births=births)
    scores = score(evaluation, core_outcomes(evaluation))
    prepared = prepare(evaluation)
    started = time.perf_counter()
    rounds = 0
    while time.perf_counter() - started < 2.0:
        for item in prepared:
            conclude(item)
        rounds += 1
    per_s = rounds * len(prepared) / (time.perf_counter() - started)
    return [
        Figure("identity.core_precision", scores.precision, "ratio (mismatch flags, core)"),
        Figure("identity.core_recall", scores.recall, "ratio (mismatch flags, core)"),
        Figure("identity.core_duplicate_precision", scores.duplicate_precision, "ratio (core)"),
        Figure("identity.core_duplicate_recall", scores.duplicate_recall, "ratio (core)"),
        Figure(
            "identity.core_demographic_match_rate",
            scores.demographic_match_rate,
            f"ratio of {scores.numberless} numberless people with one record (core)",
        ),
        Figure(
            "identity.core_review_cases_per_1k_dossiers",
            scores.review_cases_per_1k,
            "cases per 1,000 checks (core)",
        ),
        Figure("identity.labelled_cases", float(len(evaluation.checks)), "checks (core run)"),
        Figure("identity.verifications_per_s", per_s, "checks/s (core function, 1 worker)"),
    ]


async def through_database(n: int = 300) -> list[Figure]:
    """Checks per second by one worker through both services' handlers on real PostgreSQL:
    the dossier event (inbox-less: the handler's transaction), the registry's answer, the
    conclusion — three transactions and three outbox rows per check, Kafka left out (its
    raw limit is ``raw.kafka``)."""
    import uuid as uuid_module

    import asyncpg

    from identity.bootstrap import MIGRATIONS as IDENTITY_MIGRATIONS
    from identity.domain import events as identity_events
    from identity.service_layer.handlers import HANDLERS as IDENTITY_HANDLERS
    from identity.service_layer.handlers import Dependencies as IdentityDependencies
    from lienthong.bus import MessageBus
    from lienthong.db import create_pool
    from lienthong.mapping import from_record
    from lienthong.outbox import Outbox
    from lienthong.service import load_codec
    from lienthong.subjects import SubjectIds
    from lienthong_tools.devstack import pg_base
    from population_registry.bootstrap import MIGRATIONS as REGISTRY_MIGRATIONS
    from population_registry.bootstrap import upsert_demo_population
    from population_registry.domain import events as registry_events
    from population_registry.service_layer.handlers import HANDLERS as REGISTRY_HANDLERS
    from population_registry.service_layer.handlers import Dependencies as RegistryDependencies

    codec = load_codec()
    subjects = SubjectIds("bench-subject-key-0123456789")
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    names = ["bench_" + uuid_module.uuid4().hex[:10] for _ in range(2)]
    pools: list[asyncpg.Pool] = []
    try:
        for name in names:
            await admin.execute(f'CREATE DATABASE "{name}"')
        identity_pool = await create_pool(f"{pg_base()}/{names[0]}", IDENTITY_MIGRATIONS)
        registry_pool = await create_pool(f"{pg_base()}/{names[1]}", REGISTRY_MIGRATIONS)
        pools += [identity_pool, registry_pool]
        await upsert_demo_population(registry_pool, subjects)
        identity_bus = MessageBus(
            IDENTITY_HANDLERS,
            IdentityDependencies(subjects),
            Outbox(codec, "/bench/identity", identity_events.EMITTED),
        )
        registry_bus = MessageBus(
            REGISTRY_HANDLERS,
            RegistryDependencies(subjects),
            Outbox(codec, "/bench/population_registry", registry_events.EMITTED),
        )

        async def deliver(pool: asyncpg.Pool, topic: str, bus: MessageBus[Any],
                          consumed: dict[str, type], target: asyncpg.Pool) -> None:  # fmt: skip
            async with pool.acquire() as conn:
                rows = await conn.fetch(
                    """UPDATE outbox SET published_at = now()
                       WHERE topic = $1 AND published_at IS NULL RETURNING payload""",
                    topic,
                )
            for row in rows:
                decoded = codec.decode(row["payload"])
                message: object = from_record(consumed[decoded.full_name], decoded.record)
                await bus.handle_in_transaction(target, message)

        person = identity_events.SubmittedPerson(
            identity_events.PersonRole.APPLICANT, subjects.for_id_number("051090123456"),
            "051090123456", "Nguyễn Văn Hùng", date(1990, 3, 14), identity_events.Gender.MALE,
        )  # fmt: skip
        started = time.perf_counter()
        for _ in range(n):
            dossier = identity_events.DossierSubmitted(
                str(uuid_module.uuid4()), "RESIDENCE_TEMPORARY", "51", datetime.now(UTC),
                (person,),
            )  # fmt: skip
            await identity_bus.handle_in_transaction(identity_pool, dossier)
            await deliver(identity_pool, "agency.population.verification.requests",
                          registry_bus, registry_events.CONSUMED, registry_pool)  # fmt: skip
            await deliver(registry_pool, "agency.population.verification.replies",
                          identity_bus, identity_events.CONSUMED, identity_pool)  # fmt: skip
        per_s = n / (time.perf_counter() - started)
    finally:
        for pool in pools:
            await pool.close()
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return [
        Figure("identity.verifications_per_s_with_database", per_s,
               "checks/s (1 worker, sequential, 3 transactions each, no Kafka)"),
    ]  # fmt: skip
