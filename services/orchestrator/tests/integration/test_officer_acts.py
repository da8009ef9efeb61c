"""An officer retries a rejected step or cancels a bundle; both are recorded."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import asyncpg
import pytest
import pytest_asyncio

from lienthong.bus import MessageBus
from lienthong.db import create_pool
from lienthong.outbox import Outbox
from lienthong.service import load_codec
from lienthong.vn.working_time import WorkingCalendar
from orchestrator.bootstrap import MIGRATIONS
from orchestrator.domain.events import (
    EMITTED,
    DeathRegistered,
    PermanentResidenceRemoved,
    RegisteredPerson,
    ResidenceRequestRejected,
)
from orchestrator.domain.saga import Step
from orchestrator.service_layer.handlers import HANDLERS, Dependencies
from orchestrator.service_layer.officer import (
    OFFICER_HANDLERS,
    CancelBundle,
    OfficerRefused,
    RetryStep,
)

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def saga(database: str) -> AsyncIterator[tuple[asyncpg.Pool, MessageBus[Dependencies]]]:
    pool = await create_pool(database, MIGRATIONS, max_size=3)
    outbox = Outbox(load_codec(), "/test/orchestrator", EMITTED)
    bus = MessageBus(
        {**HANDLERS, **OFFICER_HANDLERS}, Dependencies(calendar=WorkingCalendar()), outbox
    )
    try:
        yield pool, bus
    finally:
        await pool.close()


async def _death_bundle(pool: asyncpg.Pool, bus: MessageBus[Dependencies]) -> uuid.UUID:
    person = RegisteredPerson("s-dead", None, "Trần Văn B", date(1950, 1, 1), None)
    await bus.handle_in_transaction(
        pool,
        DeathRegistered(str(uuid.uuid4()), None, "51-KT-1", "51", NOW, person, date(2026, 11, 28)),
    )
    bundle_id: uuid.UUID = await pool.fetchval("SELECT bundle_id FROM bundles")
    return bundle_id


async def _types(pool: asyncpg.Pool) -> list[str]:
    rows = await pool.fetch("SELECT headers FROM outbox ORDER BY id")
    return [dict(json.loads(r["headers"]))["ce_type"].rsplit(".", 1)[-1] for r in rows]


async def test_officer_retry_of_a_rejected_step_sends_a_new_command_and_the_bundle_resumes(
    saga: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = saga
    bid = await _death_bundle(pool, bus)
    first = str(
        await pool.fetchval("SELECT command_id FROM bundle_steps WHERE command_id IS NOT NULL")
    )
    await bus.handle_in_transaction(
        pool, ResidenceRequestRejected(first, str(bid), "s-dead", "REGISTER_OFFLINE", NOW)
    )
    assert await pool.fetchval("SELECT state FROM bundles") == "compensated"

    await bus.handle_in_transaction(
        pool, RetryStep(bid, Step.RESIDENCE_REMOVED, "register back online", "officer-7")
    )
    second = str(
        await pool.fetchval("SELECT command_id FROM bundle_steps WHERE step = 'residence_removed'")
    )
    assert second != first
    assert await pool.fetchval("SELECT state FROM bundles") == "in_progress"
    await bus.handle_in_transaction(
        pool, PermanentResidenceRemoved(second, str(bid), "s-dead", NOW)
    )
    assert (await _types(pool)).count("EndHealthInsurance") == 1
    actor = await pool.fetchval("SELECT actor FROM bundle_history WHERE kind = 'officer_retry'")
    assert actor == "officer-7"


async def test_officer_cancel_stops_the_bundle_and_later_answers_request_nothing_more(
    saga: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = saga
    bid = await _death_bundle(pool, bus)
    cid = str(
        await pool.fetchval("SELECT command_id FROM bundle_steps WHERE command_id IS NOT NULL")
    )
    await bus.handle_in_transaction(pool, CancelBundle(bid, "registered in error", "officer-7"))
    await bus.handle_in_transaction(pool, PermanentResidenceRemoved(cid, str(bid), "s-dead", NOW))
    types = await _types(pool)
    assert types.count("LinkedBundleCompensated") == 1
    assert "EndHealthInsurance" not in types
    assert await pool.fetchval("SELECT state FROM bundles") == "cancelled"
    with pytest.raises(OfficerRefused):
        await bus.handle_in_transaction(pool, CancelBundle(bid, "again please", "officer-7"))
