"""Reporting's figures: replay rate beside the raw decode rate, event-to-dashboard latency.

Also the scripted event mix (with the counts it must produce) that the reporting tests and
benchmarks publish straight to Kafka, as the other services would.
"""

from __future__ import annotations

import asyncio
import dataclasses
import statistics
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from lienthong.auth import Role
from lienthong.codec import AvroCodec
from lienthong.contracts.catalog import load_catalog
from lienthong.contracts.provision import admin_client, provision_topics
from lienthong.contracts.schemas import default_schemas_dir, load_schema_set
from lienthong.envelope import Envelope, dataschema_uri, to_headers
from lienthong.invariants import catalog_source
from lienthong.kafka import EventProducer, OutgoingMessage, producer_config
from lienthong.service import load_codec
from lienthong_tools.bench.runner import Figure
from lienthong_tools.devstack import Stack, kafka_bootstrap, pg_base

INTAKE = "intake.dossier.events"
IDENTITY = "identity.verification.events"
BUNDLES = "orchestrator.bundle.events"
NS = "vn.lienthong."
# Not BIRTH_LINKED: the stack's orchestrator would start real bundles for the scripted
# dossiers; the script publishes its own bundle events, with durations it knows.
BIRTH = "BIRTH_REGISTRATION"


@dataclass(frozen=True)
class Published:
    topic: str
    full_name: str
    record: dict[str, Any]
    time: datetime
    subject: str | None = None


@dataclass
class Mix:
    """A scripted set of events and the figures they must produce."""

    events: list[Published] = field(default_factory=list)
    expected: dict[str, Any] = field(default_factory=dict)


def _subject() -> str:
    return "sub_" + uuid.uuid4().hex


def dossier_submitted(
    at: datetime, unit: str, procedure: str = BIRTH, channel: str = "COUNTER"
) -> Published:
    dossier_id = str(uuid.uuid4())
    person = {
        "role": "APPLICANT",
        "subject_id": _subject(),
        "id_number": "051090123456",
        "full_name": "Nguyễn Văn Hùng",
        "birth_date": date(1990, 3, 14),
        "gender": "MALE",
    }
    record = {
        "dossier_id": dossier_id,
        "dossier_code": f"{unit}-{at:%Y%m%d}-{uuid.uuid4().int % 1_000_000:06d}",
        "procedure_code": procedure,
        "channel": channel,
        "unit_code": unit,
        "submitted_at": at,
        "appointment_at": at + timedelta(days=5),
        "persons": [person],
        "document_refs": [],
        "officer_id": "officer-1",
    }
    return Published(INTAKE, NS + "intake.DossierSubmitted", record, at)


def identity_result(dossier: Published, at: datetime, category: str | None) -> Published:
    record: dict[str, Any] = {
        "verification_id": str(uuid.uuid4()),
        "dossier_id": dossier.record["dossier_id"],
        "subject_id": dossier.record["persons"][0]["subject_id"],
        "role": "APPLICANT",
        "checked_at": at,
        "field_matches": [{"field": "full_name", "level": "EXACT"}],
    }
    name = "identity.IdentityVerified"
    if category is not None:
        record.update(category=category, detail="")
        name = "identity.IdentityMismatch"
    return Published(IDENTITY, NS + name, record, at, record["subject_id"])


def bundle_started(dossier: Published, at: datetime) -> Published:
    record = {
        "bundle_id": str(uuid.uuid4()),
        "bundle_type": "BIRTH",
        "dossier_id": dossier.record["dossier_id"],
        "subject_id": dossier.record["persons"][0]["subject_id"],
        "unit_code": dossier.record["unit_code"],
        "procedure_code": dossier.record["procedure_code"],
        "started_at": at,
        "deadline_at": at + timedelta(days=3),
    }
    return Published(BUNDLES, NS + "orchestrator.LinkedBundleStarted", record, at)


def bundle_completed(started: Published, at: datetime, on_time: bool) -> Published:
    s = started.record
    record = {
        **{k: s[k] for k in ("bundle_id", "bundle_type", "dossier_id", "subject_id")},
        "unit_code": s["unit_code"],
        "procedure_code": s["procedure_code"],
        "started_at": s["started_at"],
        "completed_at": at,
        "on_time": on_time,
    }
    return Published(BUNDLES, NS + "orchestrator.LinkedBundleCompleted", record, at)


def bundle_breached(started: Published, at: datetime) -> Published:
    record = {
        "bundle_id": started.record["bundle_id"],
        "bundle_type": "BIRTH",
        "step": "RESIDENCE",
        "deadline_at": started.record["deadline_at"],
        "detected_at": at,
    }
    return Published(BUNDLES, NS + "orchestrator.LinkedBundleDeadlineBreached", record, at)


def scripted_mix(day: datetime, units: Sequence[str] = ("21010", "21040", "522")) -> Mix:
    """Dossiers in three units; identity checks (two mismatch kinds); bundles with known
    durations (1 h, 2 h, 3 h, 10 h), one breached."""
    mix = Mix()
    dossiers = [
        dossier_submitted(day + timedelta(minutes=i), units[i % len(units)]) for i in range(9)
    ]
    dossiers.append(dossier_submitted(day + timedelta(minutes=30), units[0], "RESIDENCE", "PORTAL"))
    mix.events += dossiers
    categories = [None, None, None, None, None, None, "NAME_MISMATCH", "NAME_MISMATCH", "NOT_FOUND"]
    for d, category in zip(dossiers, categories, strict=False):
        mix.events.append(identity_result(d, d.time + timedelta(seconds=5), category))
    hours = [1, 2, 3, 10]
    for d, h in zip(dossiers, hours, strict=False):
        started = bundle_started(d, d.time + timedelta(minutes=1))
        mix.events.append(started)
        mix.events.append(bundle_completed(started, started.time + timedelta(hours=h), h < 10))
    late = bundle_started(dossiers[4], dossiers[4].time + timedelta(minutes=1))
    mix.events += [late, bundle_breached(late, late.time + timedelta(days=4))]
    by_unit: dict[str, int] = {}
    for d in dossiers:
        by_unit[d.record["unit_code"]] = by_unit.get(d.record["unit_code"], 0) + 1
    durations = sorted(h * 3600.0 for h in hours)
    mix.expected = {
        "submitted": len(dossiers),
        "by_unit": dict(sorted(by_unit.items())),
        "by_procedure": {BIRTH: 9, "RESIDENCE": 1},
        "by_channel": {"COUNTER": 9, "PORTAL": 1},
        "identity_checked": 9,
        "identity_verified": 6,
        "mismatches": {"NAME_MISMATCH": 2, "NOT_FOUND": 1},
        "bundles": {
            "started": 5,
            "completed": 4,
            "completed_on_time": 3,
            "breached": 1,
            "avg_duration_s": round(statistics.fmean(durations), 3),
            # PostgreSQL's percentile_cont: linear interpolation at 0.9 * (n - 1)
            "p90_duration_s": round(durations[2] + 0.7 * (durations[3] - durations[2]), 3),
        },
    }
    return mix


def encode(codec: AvroCodec, prefix: str, events: Iterable[Published]) -> list[OutgoingMessage]:
    messages = []
    for e in events:
        version = codec.latest_version(e.full_name)
        envelope = Envelope(
            type=e.full_name,
            source=catalog_source(e.full_name),
            time=e.time,
            dataschema=dataschema_uri(e.full_name, version),
            subject=e.subject,
        )
        key = (e.record.get("bundle_id") or e.record.get("dossier_id") or "").encode()
        messages.append(
            OutgoingMessage(
                prefix + e.topic, key, codec.encode(e.full_name, e.record), to_headers(envelope)
            )
        )
    return messages


def publish(messages: Sequence[OutgoingMessage]) -> None:
    producer = EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))
    producer.send_batch_sync(messages, timeout=120)
    producer.close()


def provision_reporting_topics(prefix: str) -> list[str]:
    catalog = load_catalog(load_schema_set(default_schemas_dir()))
    topics = [
        dataclasses.replace(t, name=prefix + t.name)
        for t in catalog.topics_consumed_by("reporting")
    ]
    provision_topics(admin_client(kafka_bootstrap()), topics)
    return [t.name for t in topics]


def delete_topics(prefix: str) -> None:
    admin = admin_client(kafka_bootstrap())
    names = [n for n in admin.list_topics(timeout=10).topics if n.startswith(prefix)]
    if names:
        for future in admin.delete_topics(names, operation_timeout=30).values():
            future.result(30)


def _bulk_events(n: int) -> list[Published]:
    start = datetime(2022, 1, 3, 1, tzinfo=UTC)
    out: list[Published] = []
    units = ("21010", "21040", "21115", "522", "524")
    while len(out) < n:
        at = start + timedelta(seconds=len(out))
        d = dossier_submitted(at, units[len(out) % len(units)])
        s = bundle_started(d, at)
        out += [
            d,
            identity_result(d, at, None),
            s,
            bundle_completed(s, at + timedelta(hours=2), True),
        ]
    return out[:n]


async def replay_rate(n: int = 100_000) -> list[Figure]:
    """Replay of n events from Kafka into a fresh projection version, beside the raw
    fastavro decode of the same bodies in the same run."""
    from lienthong.db import create_pool
    from reporting.bootstrap import MIGRATIONS, consumed_topics
    from reporting.domain.events import CONSUMED
    from reporting.service_layer.replay import rebuild

    codec = load_codec()
    prefix = f"benchrep{uuid.uuid4().hex[:6]}."
    messages = encode(codec, prefix, _bulk_events(n))
    started = time.perf_counter()
    for m in messages:
        codec.decode(m.value)
    decode_rate = n / (time.perf_counter() - started)
    name = "bench_reporting_" + uuid.uuid4().hex[:8]
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        await asyncio.to_thread(provision_reporting_topics, prefix)
        await asyncio.to_thread(publish, messages)
        pool = await create_pool(f"{pg_base()}/{name}", MIGRATIONS, max_size=4)
        try:
            result = await rebuild(
                pool,
                {"bootstrap.servers": kafka_bootstrap()},
                [prefix + t for t in consumed_topics()],
                codec,
                CONSUMED,
                switch=False,
            )
        finally:
            await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
        await asyncio.to_thread(delete_topics, prefix)
    return [
        Figure("reporting.raw_decode_per_s", decode_rate, "events/s"),
        Figure("reporting.replay_events_per_s", result.events_per_s, "events/s"),
    ]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def event_to_dashboard(rate: float = 50.0, seconds: float = 10.0) -> list[Figure]:
    """Events published at ``rate``/s; the dashboard's report API is polled until each
    dossier is counted: p99 of publish → visible."""
    codec = load_codec()
    stack = Stack(port_base=26500)  # reporting's own range (26000+)
    await stack.create_databases()
    try:
        await asyncio.to_thread(stack.provision_topics)
        await stack.start(only=("reporting",))
        latencies = await _measure_latency(stack, codec, rate, seconds)
    finally:
        stack.stop()
        await stack.drop_databases()
        await asyncio.to_thread(stack.delete_topics)
    return [
        Figure("reporting.event_to_dashboard_p50_ms", statistics.median(latencies), "ms"),
        Figure("reporting.event_to_dashboard_p99_ms", _percentile(latencies, 0.99), "ms"),
    ]


async def _measure_latency(
    stack: Stack, codec: AvroCodec, rate: float, seconds: float
) -> list[float]:
    token = stack.token(Role.AUDITOR)
    url = f"{stack.url('reporting')}/api/v1/reports/project06"
    day = datetime.now(UTC)
    params = {
        "from": (day - timedelta(days=1)).date().isoformat(),
        "to": (day + timedelta(days=1)).date().isoformat(),
    }
    producer = EventProducer(
        producer_config({"bootstrap.servers": kafka_bootstrap()}, **{"linger.ms": 0})
    )
    sent: list[float] = []
    seen: list[float] = []
    total = int(rate * seconds)

    async def send() -> None:
        begun = time.perf_counter()
        for i in range(total):
            delay = begun + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            event = dossier_submitted(datetime.now(UTC), "21010")
            message = encode(codec, stack.topic_prefix, [event])
            sent.append(time.perf_counter())
            await asyncio.to_thread(producer.send_batch_sync, message)

    async def watch() -> None:
        auth = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(timeout=10) as client:
            while len(seen) < total:
                r = await client.get(url, params=params, headers=auth)
                now = time.perf_counter()
                count = r.json()["dossiers"]["submitted"] if r.status_code == 200 else 0
                while len(seen) < min(count, total):
                    seen.append(now)
                await asyncio.sleep(0.01)

    try:
        await asyncio.wait_for(asyncio.gather(send(), watch()), timeout=seconds * 6 + 30)
    finally:
        producer.close()
    return [(s - p) * 1000 for p, s in zip(sent, seen, strict=True)]
