"""The projector on the real broker and PostgreSQL: figures, replay, audit chain."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from lienthong.bus import MessageBus
from lienthong.db import create_pool
from lienthong.inbox import InboxConsumer
from lienthong.kafka import EventProducer, consumer_config, producer_config
from lienthong.outbox import Outbox
from lienthong.service import load_codec
from lienthong_tools.bench.reporting import Mix, encode, publish, scripted_mix
from lienthong_tools.devstack import kafka_bootstrap
from reporting.adapters import figures, project06, repository
from reporting.bootstrap import MIGRATIONS, consumed_topics
from reporting.domain.audit import verify
from reporting.domain.catalogue import Catalogue
from reporting.domain.events import CONSUMED
from reporting.domain.facts import Fact
from reporting.domain.report import UnitTree, window
from reporting.entrypoints.consumer import projector_dispatch
from reporting.service_layer.project06 import ReportRequest, build
from reporting.service_layer.projections import HANDLERS, Dependencies
from reporting.service_layer.replay import rebuild

pytestmark = pytest.mark.integration
DAY = datetime(2022, 3, 1, 2, tzinfo=UTC)


@dataclass
class Projector:
    pool: asyncpg.Pool
    prefix: str

    async def applied(self) -> int:
        async with self.pool.acquire() as conn:
            return int(await conn.fetchval("SELECT seq FROM audit_head"))

    async def wait_for(self, count: int, timeout: float = 60) -> None:
        async with asyncio.timeout(timeout):
            while await self.applied() < count:
                await asyncio.sleep(0.1)

    async def report(self, first: date, last: date, **kw: Any) -> dict[str, Any]:
        span = window(first, last, kw.get("as_of"), kw.get("corrections", False))
        tree = UnitTree.load()
        units = tree.with_descendants(kw["unit"]) if kw.get("unit") else None
        request = ReportRequest(
            first, last, kw.get("as_of"), kw.get("corrections", False), kw.get("unit"), span, units
        )
        report = await build(self.pool, request, tree, Catalogue.load())
        report.pop("projection")  # which version answered; a replay switches it
        return report


@pytest_asyncio.fixture
async def projector(database: str, prefix: str) -> AsyncIterator[Projector]:
    pool = await create_pool(database, MIGRATIONS)
    codec = load_codec()
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
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        yield Projector(pool, prefix)
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 15)
        dead_letters.close()
        await pool.close()


async def _publish(prefix: str, mix: Mix) -> None:
    await asyncio.to_thread(publish, encode(load_codec(), prefix, mix.events))


async def test_figures_after_a_scripted_mix_equal_the_expected_counts(
    projector: Projector,
) -> None:
    mix = scripted_mix(DAY)
    await _publish(projector.prefix, mix)
    await projector.wait_for(len(mix.events))

    report = await projector.report(date(2022, 1, 1), date(2022, 6, 30))

    expected = mix.expected
    assert report["dossiers"]["submitted"] == expected["submitted"]
    assert report["dossiers"]["by_unit"] == expected["by_unit"]
    assert report["dossiers"]["by_procedure"] == expected["by_procedure"]
    assert report["dossiers"]["by_channel"] == expected["by_channel"]
    assert report["identity"]["checked"] == expected["identity_checked"]
    assert report["identity"]["verified"] == expected["identity_verified"]
    assert report["identity"]["mismatches"] == expected["mismatches"]
    bundle = report["linked_bundles"]["BIRTH"]
    assert {k: bundle[k] for k in expected["bundles"]} == expected["bundles"]
    by_district = (await projector.report(date(2022, 1, 1), date(2022, 6, 30), unit="522"))[
        "dossiers"
    ]
    assert by_district["submitted"] == expected["by_unit"]["21010"] + expected["by_unit"]["522"]


async def test_a_redelivered_event_is_counted_once(projector: Projector) -> None:
    mix = scripted_mix(DAY)
    messages = encode(load_codec(), projector.prefix, mix.events[:3])
    await asyncio.to_thread(publish, messages + messages)
    await asyncio.sleep(0)
    async with asyncio.timeout(30):
        while True:
            async with projector.pool.acquire() as conn:
                inbox = await conn.fetchval("SELECT count(*) FROM inbox")
            if inbox >= 3:
                break
            await asyncio.sleep(0.1)
    await asyncio.sleep(1)
    report = await projector.report(date(2022, 1, 1), date(2022, 6, 30))
    assert report["dossiers"]["submitted"] == 3
    assert await projector.applied() == 3


async def test_replay_rebuilds_an_equal_projection_and_switches_it_live(
    projector: Projector,
) -> None:
    mix = scripted_mix(DAY)
    await _publish(projector.prefix, mix)
    await projector.wait_for(len(mix.events))
    before = await projector.report(date(2022, 1, 1), date(2022, 6, 30))
    seen: list[tuple[int, int]] = []

    result = await rebuild(
        projector.pool,
        {"bootstrap.servers": kafka_bootstrap()},
        [projector.prefix + t for t in consumed_topics()],
        load_codec(),
        CONSUMED,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert result.comparison is not None and result.comparison.equal
    assert result.switched and result.events == len(mix.events)
    assert seen[-1] == (len(mix.events), len(mix.events))
    async with projector.pool.acquire() as conn:
        assert await repository.live_schema(conn) == "projection_v2"
    assert await projector.report(date(2022, 1, 1), date(2022, 6, 30)) == before
    # The live consumer keeps feeding the new version after the switch.
    more = scripted_mix(DAY + timedelta(days=1))
    await _publish(projector.prefix, more)
    await projector.wait_for(len(mix.events) + len(more.events))
    after = await projector.report(date(2022, 1, 1), date(2022, 6, 30))
    assert after["dossiers"]["submitted"] == 2 * mix.expected["submitted"]


async def test_verify_names_a_modified_a_deleted_and_an_inserted_audit_record(
    projector: Projector,
) -> None:
    mix = scripted_mix(DAY)
    await _publish(projector.prefix, mix)
    await projector.wait_for(len(mix.events))
    async with projector.pool.acquire() as conn:
        assert verify(*await repository.audit_chain(conn)) == []
        await conn.execute(
            "UPDATE audit_log SET body = jsonb_set(body, '{unit_code}', '\"99\"') WHERE seq = 3"
        )
        await conn.execute("DELETE FROM audit_log WHERE seq = 7")
        findings = verify(*await repository.audit_chain(conn))
    named = {(f.problem, f.seq) for f in findings}
    assert ("modified", 3) in named
    assert ("deleted", 7) in named


async def test_as_of_a_date_counts_only_what_was_recorded_by_then(projector: Projector) -> None:
    late = datetime(2022, 7, 15, 3, tzinfo=UTC)
    facts = [
        Fact(str(uuid.uuid4()), "dossier_submitted", DAY, DAY, unit_code="21010"),
        # happened in June, but the officer recorded it in July (a late approval)
        Fact(str(uuid.uuid4()), "dossier_submitted", DAY + timedelta(days=90), late),
    ]
    async with projector.pool.acquire() as conn:
        for fact in facts:
            await repository.add_fact(conn, fact)
    known_then = await projector.report(
        date(2022, 1, 1), date(2022, 6, 30), as_of=date(2022, 6, 30)
    )
    corrected = await projector.report(
        date(2022, 1, 1), date(2022, 6, 30), as_of=date(2022, 6, 30), corrections=True
    )
    assert known_then["dossiers"]["submitted"] == 1
    assert corrected["dossiers"]["submitted"] == 2


async def test_a_corrected_decision_counts_once_with_its_latest_timeliness(
    projector: Projector,
) -> None:
    dossier = uuid.uuid4()

    def completed(seq: int, on_time: bool) -> Fact:
        return Fact(
            str(uuid.uuid4()),
            "dossier_completed",
            DAY,
            DAY + timedelta(minutes=seq),
            dossier_id=dossier,
            unit_code="21010",
            flag=on_time,
            seq=seq,
        )

    async with projector.pool.acquire() as conn:
        await repository.add_fact(conn, completed(5, False))
        await repository.add_fact(conn, completed(7, True))  # the officer's correction
    report = await projector.report(date(2022, 1, 1), date(2022, 6, 30))
    assert report["dossiers"]["completed"] == 1
    assert report["dossiers"]["completed_on_time"] == 1


async def test_replay_rebuilds_the_dossier_view_and_summary_from_facts(
    projector: Projector,
) -> None:
    mix = scripted_mix(DAY)
    await _publish(projector.prefix, mix)
    await projector.wait_for(len(mix.events))
    dossier = mix.events[0].record
    started = next(
        e.record
        for e in mix.events
        if e.full_name.endswith("LinkedBundleStarted")
        and e.record["dossier_id"] == dossier["dossier_id"]
    )

    async def views() -> tuple[Any, Any]:
        async with projector.pool.acquire() as conn:
            schema = await repository.live_schema(conn)
            view = await figures.dossier_view(conn, schema, uuid.UUID(dossier["dossier_id"]))
            return view, await figures.summary(conn, schema)

    view, summary = await views()
    assert view is not None
    assert view["dossier_code"] == dossier["dossier_code"]
    assert (view["identity_checks"], view["identity_mismatches"]) == (1, 0)
    assert view["bundle_status"] == "COMPLETED" and view["bundle_on_time"] is True
    assert view["bundle_deadline_at"] == started["deadline_at"]
    assert sum(n for *_, n in summary.dossiers) == mix.expected["submitted"]
    assert summary.identity_outcomes == {"VERIFIED": 6, **mix.expected["mismatches"]}

    result = await rebuild(
        projector.pool,
        {"bootstrap.servers": kafka_bootstrap()},
        [projector.prefix + t for t in consumed_topics()],
        load_codec(),
        CONSUMED,
    )

    assert result.switched
    assert await views() == (view, summary)


async def test_pending_overdue_decisions_and_late_records_are_counted_by_event_time(
    projector: Projector,
) -> None:
    june_30 = datetime(2022, 6, 30, 10, tzinfo=UTC)
    july_8 = datetime(2022, 7, 8, 3, tzinfo=UTC)

    def submitted(dossier: uuid.UUID, due: datetime, procedure: str) -> Fact:
        return Fact(
            str(uuid.uuid4()),
            "dossier_submitted",
            DAY,
            DAY,
            dossier_id=dossier,
            unit_code="21211",
            procedure_code=procedure,
            due_at=due,
        )

    def decided(dossier: uuid.UUID, at: datetime, recorded: datetime, outcome: str) -> Fact:
        return Fact(
            str(uuid.uuid4()),
            "dossier_completed",
            at,
            recorded,
            dossier_id=dossier,
            unit_code="21211",
            procedure_code="STAY_NOTIFICATION" if outcome == "ACKNOWLEDGED" else "PASSPORT",
            category=outcome,
            flag=True,
            seq=3,
        )

    late, pending_due, pending_overdue, notice, after = (uuid.uuid4() for _ in range(5))
    facts = [
        submitted(late, DAY + timedelta(days=10), "PASSPORT"),
        # approved on 5 March, recorded in the software on 8 July: late-recorded, on time
        decided(late, DAY + timedelta(days=4), july_8, "APPROVED"),
        submitted(pending_due, datetime(2022, 7, 5, tzinfo=UTC), "PASSPORT"),
        submitted(pending_overdue, DAY + timedelta(days=10), "PASSPORT"),
        submitted(notice, DAY + timedelta(days=1), "STAY_NOTIFICATION"),
        decided(notice, DAY + timedelta(hours=2), DAY + timedelta(hours=2), "ACKNOWLEDGED"),
        submitted(after, DAY + timedelta(days=10), "PASSPORT"),
        # decided after the as-of date: still pending (overdue) on 30 June
        decided(after, july_8, july_8, "APPROVED"),
        Fact(
            str(uuid.uuid4()),
            "civil_registration",
            june_30,
            july_8,
            unit_code="21211",
            category="BIRTH",
            reference="LATE",
        ),
        Fact(
            str(uuid.uuid4()),
            "card_synced",
            DAY,
            DAY,
            unit_code="21211",
            reference="sub_a",
            starts_at=DAY - timedelta(days=30),
            due_at=DAY + timedelta(days=365),
        ),
        Fact(
            str(uuid.uuid4()),
            "card_synced",
            DAY,
            DAY,
            unit_code="21211",
            reference="sub_b",
            starts_at=DAY - timedelta(days=30),
            due_at=DAY + timedelta(days=30),
        ),
        Fact(
            str(uuid.uuid4()),
            "card_lookup",
            DAY,
            DAY,
            unit_code="21211",
            category="NAME_MISMATCH",
            flag=False,
        ),
    ]
    async with projector.pool.acquire() as conn:
        for fact in facts:
            await repository.add_fact(conn, fact)

    as_known = await projector.report(date(2022, 1, 1), date(2022, 6, 30), corrections=True)
    passport = as_known["procedures"]["PASSPORT"]
    assert passport["submitted"] == 4
    assert (passport["approved"], passport["on_time"], passport["late_recorded"]) == (1, 1, 1)
    assert passport["pending_within_due"] == 1 and passport["pending_overdue"] == 2
    stay = as_known["procedures"]["STAY_NOTIFICATION"]
    assert stay["acknowledged"] == 1 and stay["name_vi"] == "Thông báo lưu trú"
    assert as_known["units"]["21211"]["name_vi"] == "Xã Tịnh Khê"
    assert as_known["units"]["51"]["submitted"] == 5  # rolled up to the province
    assert as_known["essential_services"]["with_dossiers"] == 2
    assert as_known["essential_services"]["without_dossiers"] == 23
    assert as_known["births"]["by_registration_type"]["LATE"] == 1
    assert as_known["births"]["late_recorded"] == 1
    assert as_known["insurance"]["cccd_with_valid_bhyt"]["total"] == 1
    assert as_known["insurance"]["clinic_lookups"]["by_outcome"] == {"NAME_MISMATCH": 1}

    # what the report said on 30 June: the late approval was not known yet
    on_the_day = await projector.report(
        date(2022, 1, 1), date(2022, 6, 30), as_of=date(2022, 6, 30)
    )
    assert on_the_day["procedures"]["PASSPORT"]["approved"] == 0
    assert on_the_day["procedures"]["PASSPORT"]["pending_overdue"] == 3
    assert on_the_day["births"]["registered"] == 0


async def test_report_queries_run_without_correlated_subqueries(projector: Projector) -> None:
    span = window(date(2022, 1, 1), date(2022, 6, 30), date(2022, 6, 30))
    async with projector.pool.acquire() as conn:
        schema = await repository.live_schema(conn)
        for sql in (
            project06.procedures_sql(schema),
            project06.births_sql(schema),
            project06.valid_cards_sql(schema),
            project06.trend_sql(schema),
        ):
            plan = await project06.explain(conn, sql, span, ["51", "522", "21211"])
            assert "SubPlan" not in plan, plan
