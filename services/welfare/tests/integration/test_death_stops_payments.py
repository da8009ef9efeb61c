"""The welfare register on real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import asyncpg
import msgspec
import pytest
import pytest_asyncio

from lienthong.bus import MessageBus
from lienthong.db import create_pool
from lienthong.outbox import Outbox
from lienthong.service import load_codec
from welfare.bootstrap import MIGRATIONS
from welfare.domain.events import EMITTED, DecideDeathBenefits, EnrolBeneficiary, RecordPayment
from welfare.domain.rules import Category
from welfare.service_layer.handlers import HANDLERS, Dependencies

pytestmark = pytest.mark.integration
DEATH = date(2026, 11, 10)


@pytest_asyncio.fixture
async def welfare(database: str) -> AsyncIterator[tuple[asyncpg.Pool, MessageBus[Dependencies]]]:
    pool = await create_pool(database, MIGRATIONS, max_size=3)
    bus = MessageBus(HANDLERS, Dependencies(), Outbox(load_codec(), "/t", EMITTED))
    try:
        yield pool, bus
    finally:
        await pool.close()


def _decide() -> DecideDeathBenefits:
    return DecideDeathBenefits(uuid.uuid4(), uuid.uuid4(), "s-1", DEATH, "51", datetime.now(UTC))


async def _types(pool: asyncpg.Pool) -> list[str]:
    rows = await pool.fetch("SELECT headers FROM outbox ORDER BY id")
    return [r["headers"].split("vn.lienthong.welfare.")[1].split('"')[0] for r in rows]


async def test_death_stops_recurring_welfare_payment_and_records_later_payments_for_recovery(
    welfare: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = welfare
    now = datetime.now(UTC)
    await bus.handle_in_transaction(
        pool, EnrolBeneficiary("s-1", Category.SOCIAL_PROTECTION, 500_000, now)
    )
    for paid_on in (date(2026, 10, 5), date(2026, 11, 5), date(2026, 11, 15)):
        await bus.handle_in_transaction(pool, RecordPayment("s-1", paid_on, 500_000, now))
    cmd = _decide()
    await bus.handle_in_transaction(pool, cmd)
    await bus.handle_in_transaction(pool, cmd)

    assert await _types(pool) == [
        "FuneralAllowanceDecided",
        "SurvivorBenefitDecided",
        "OverpaymentRecorded",
        "RecurringPaymentsStopped",
    ]
    stop = await pool.fetchrow("SELECT status, stopped_from FROM recurring_payments")
    assert (stop["status"], stop["stopped_from"]) == ("stopped", DEATH)
    assert await pool.fetchval("SELECT paid_on FROM overpayments") == date(2026, 11, 15)
    # a payment the office still makes afterwards is an overpayment too
    await bus.handle_in_transaction(pool, RecordPayment("s-1", date(2026, 12, 5), 500_000, now))
    assert await pool.fetchval("SELECT count(*) FROM overpayments") == 2


async def test_a_second_death_command_never_decides_benefits_twice(
    welfare: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = welfare
    await bus.handle_in_transaction(
        pool, EnrolBeneficiary("s-1", Category.MERITORIOUS_PERSON, 2_000_000, datetime.now(UTC))
    )
    await bus.handle_in_transaction(pool, _decide())
    await bus.handle_in_transaction(pool, _decide())  # another bundle, same person
    assert await pool.fetchval("SELECT count(*) FROM decisions") == 2
    assert (
        await pool.fetchval("SELECT amount_vnd FROM decisions WHERE kind = 'SURVIVOR_BENEFIT'")
        == 6_000_000
    )
    assert (await _types(pool)).count("RecurringPaymentsStopped") == 2


async def test_a_death_from_an_unknown_unit_is_refused_and_decides_nothing(
    welfare: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = welfare
    now = datetime.now(UTC)
    await bus.handle_in_transaction(
        pool, EnrolBeneficiary("s-1", Category.SOCIAL_PROTECTION, 500_000, now)
    )
    unknown = msgspec.structs.replace(_decide(), unit_code="51001")
    await bus.handle_in_transaction(pool, unknown)
    assert await _types(pool) == ["DeathBenefitsRefused"]
    assert await pool.fetchval("SELECT count(*) FROM overpayments") == 0
