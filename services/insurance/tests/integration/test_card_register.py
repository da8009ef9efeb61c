"""The BHYT card register on real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import asyncpg
import pytest
import pytest_asyncio

from insurance.bootstrap import MIGRATIONS
from insurance.domain.events import (
    EMITTED,
    EndHealthInsurance,
    EnrolInsured,
    IssueChildHealthInsuranceCard,
    LookupOutcome,
    RecordLookup,
)
from insurance.service_layer.handlers import HANDLERS, Dependencies
from lienthong.bus import MessageBus
from lienthong.db import create_pool
from lienthong.outbox import Outbox
from lienthong.service import load_codec

pytestmark = pytest.mark.integration
TODAY = date(2026, 11, 30)


@pytest_asyncio.fixture
async def cards(database: str) -> AsyncIterator[tuple[asyncpg.Pool, MessageBus[Dependencies]]]:
    pool = await create_pool(database, MIGRATIONS, max_size=3)
    bus = MessageBus(
        HANDLERS, Dependencies(vn_today=lambda: TODAY), Outbox(load_codec(), "/t", EMITTED)
    )
    try:
        yield pool, bus
    finally:
        await pool.close()


def _issue(subject: str = "s-child", unit_code: str = "21211") -> IssueChildHealthInsuranceCard:
    return IssueChildHealthInsuranceCard(
        str(uuid.uuid4()),
        str(uuid.uuid4()),
        subject,
        "051226123456",
        "Nguyễn Minh Khôi",
        date(2026, 11, 27),
        unit_code,
        datetime.now(UTC),
    )


async def test_a_card_request_for_an_unknown_unit_is_rejected_and_no_card_is_made(
    cards: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = cards
    await bus.handle_in_transaction(pool, _issue(unit_code="51001"))
    assert await pool.fetchval("SELECT count(*) FROM cards") == 0
    headers = await pool.fetchval("SELECT headers::text FROM outbox")
    assert "HealthInsuranceRequestRejected" in headers


async def test_a_card_asked_from_a_legacy_district_carries_its_province_code(
    cards: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = cards
    await bus.handle_in_transaction(pool, _issue(unit_code="522"))  # Thành phố Quảng Ngãi
    assert await pool.fetchval("SELECT card_number FROM cards") == "TE1511226123456"


async def test_child_card_is_issued_once_and_a_second_request_is_rejected(
    cards: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = cards
    cmd = _issue()
    await bus.handle_in_transaction(pool, cmd)
    await bus.handle_in_transaction(pool, cmd)
    await bus.handle_in_transaction(pool, _issue())
    assert await pool.fetchval("SELECT count(*) FROM cards") == 1
    headers = [r["headers"] for r in await pool.fetch("SELECT headers FROM outbox ORDER BY id")]
    assert "HealthInsuranceCardIssued" in headers[0]
    assert "HealthInsuranceRequestRejected" in headers[1]
    assert len(headers) == 2


async def test_death_ends_the_card_from_the_date_of_death(
    cards: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = cards
    await bus.handle_in_transaction(pool, _issue())
    end = EndHealthInsurance(
        str(uuid.uuid4()),
        str(uuid.uuid4()),
        "s-child",
        date(2026, 11, 29),
        "DECEASED",
        datetime.now(UTC),
    )
    await bus.handle_in_transaction(pool, end)
    row = await pool.fetchrow("SELECT status, ended_on, valid_until FROM cards")
    assert (row["status"], row["ended_on"], row["valid_until"]) == (
        "ended",
        date(2026, 11, 29),
        date(2026, 11, 29),
    )


async def test_a_synced_card_and_a_clinic_look_up_are_published_with_their_event_times(
    cards: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = cards
    synced = datetime(2022, 3, 1, 2, tzinfo=UTC)
    number = await bus.handle_in_transaction(
        pool,
        EnrolInsured(
            "s-adult",
            "051090001234",
            "Nguyễn Thị Hoa",
            date(1990, 5, 4),
            "GD",
            "21211",
            date(2022, 1, 1),
            date(2022, 12, 31),
            synced,
            card_number="GD4515123456789",
            agency_record_id="BHXH-51-000042",
            recorded_at=datetime(2022, 7, 8, tzinfo=UTC),
        ),
    )
    assert number == "GD4515123456789"  # BHXH's own number, not one the reference invents
    await bus.handle_in_transaction(
        pool,
        RecordLookup(
            str(uuid.uuid4()),
            "s-adult",
            "51001",
            "21211",
            date(1990, 4, 5),
            LookupOutcome.BIRTH_DATE_MISMATCH,
            datetime(2022, 3, 2, 1, tzinfo=UTC),
            datetime(2022, 3, 2, 1, tzinfo=UTC),
        ),
    )
    topics = [r["topic"] for r in await pool.fetch("SELECT topic FROM outbox ORDER BY id")]
    assert topics == ["agency.insurance.card.events", "agency.insurance.card.events"]
    assert await pool.fetchval("SELECT count(*) FILTER (WHERE NOT found) FROM lookups") == 1
