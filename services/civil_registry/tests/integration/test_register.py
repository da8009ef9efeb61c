"""The civil-status register on real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import asyncpg
import pytest
import pytest_asyncio

from civil_registry.bootstrap import MIGRATIONS
from civil_registry.domain.events import (
    EMITTED,
    BirthRegistrationType,
    Gender,
    RegisterBirth,
    RegisterBirthAtCounter,
    RegisterDeath,
    RegisteredPerson,
)
from civil_registry.service_layer.handlers import HANDLERS, Dependencies, RegistrationRefused
from lienthong.bus import MessageBus
from lienthong.db import create_pool
from lienthong.outbox import Outbox
from lienthong.service import load_codec

pytestmark = pytest.mark.integration
TODAY = date(2026, 11, 30)


@pytest_asyncio.fixture
async def registry(database: str) -> AsyncIterator[tuple[asyncpg.Pool, MessageBus[Dependencies]]]:
    pool = await create_pool(database, MIGRATIONS, max_size=3)
    bus = MessageBus(
        HANDLERS, Dependencies(vn_today=lambda: TODAY), Outbox(load_codec(), "/t", EMITTED)
    )
    try:
        yield pool, bus
    finally:
        await pool.close()


def _death(subject: str) -> RegisterDeath:
    person = RegisteredPerson(subject, "051050000001", "Trần Văn B", date(1950, 1, 1), Gender.MALE)
    return RegisterDeath(
        str(uuid.uuid4()), "51", person, date(2026, 11, 28), "Quảng Ngãi", datetime.now(UTC)
    )


async def test_a_second_death_of_the_same_person_is_refused(
    registry: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = registry
    first = await bus.handle_in_transaction(pool, _death("s-1"))
    assert first.certificate_number == "51-KT-2026-000001"
    with pytest.raises(RegistrationRefused) as refused:
        await bus.handle_in_transaction(pool, _death("s-1"))
    assert refused.value.reason == "DEATH_ALREADY_REGISTERED"
    assert await pool.fetchval("SELECT count(*) FROM registrations WHERE kind = 'death'") == 1
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1


async def test_a_repeated_birth_command_registers_one_birth_and_publishes_once(
    registry: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = registry
    child = RegisteredPerson("s-child", None, "Nguyễn Minh Khôi", date(2026, 11, 27), Gender.MALE)
    cmd = RegisterBirth(
        str(uuid.uuid4()),
        str(uuid.uuid4()),
        str(uuid.uuid4()),
        "51",
        child,
        None,
        None,
        "x",
        datetime.now(UTC),
    )
    await bus.handle_in_transaction(pool, cmd)
    await bus.handle_in_transaction(pool, cmd)
    assert await pool.fetchval("SELECT count(*) FROM registrations") == 1
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1


async def test_a_birth_without_a_date_is_refused_with_an_answer(
    registry: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = registry
    child = RegisteredPerson("s-child", None, "Nguyễn Minh Khôi", None, Gender.MALE)
    cmd = RegisterBirth(
        str(uuid.uuid4()), str(uuid.uuid4()), None, "51", child, None, None, "x", datetime.now(UTC)
    )
    await bus.handle_in_transaction(pool, cmd)
    assert await pool.fetchval("SELECT reason FROM refusals") == "BIRTH_DATE_MISSING"
    headers = await pool.fetchval("SELECT headers::text FROM outbox")
    assert "CivilRegistrationRefused" in headers


async def test_a_birth_command_for_an_unknown_unit_is_refused_and_registers_nothing(
    registry: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = registry
    child = RegisteredPerson("s-child", None, "Nguyễn Minh Khôi", date(2026, 11, 27), Gender.MALE)
    cmd = RegisterBirth(
        str(uuid.uuid4()),
        str(uuid.uuid4()),
        None,
        "51001",
        child,
        None,
        None,
        "x",
        datetime.now(UTC),
    )
    await bus.handle_in_transaction(pool, cmd)
    assert await pool.fetchval("SELECT reason FROM refusals") == "UNKNOWN_ADMINISTRATIVE_UNIT"
    assert await pool.fetchval("SELECT count(*) FROM registrations") == 0
    assert "CivilRegistrationRefused" in await pool.fetchval("SELECT headers::text FROM outbox")


async def test_a_birth_command_from_a_2022_legacy_commune_is_registered(
    registry: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = registry
    child = RegisteredPerson("s-child", None, "Nguyễn Minh Khôi", date(2022, 3, 10), Gender.MALE)
    cmd = RegisterBirth(
        str(uuid.uuid4()),
        str(uuid.uuid4()),
        None,
        "21211",
        child,
        None,
        None,
        "x",
        datetime.now(UTC),
    )
    await bus.handle_in_transaction(pool, cmd)
    assert await pool.fetchval("SELECT unit_code FROM registrations") == "21211"


async def test_a_death_at_a_counter_of_a_unit_not_in_force_is_refused(
    registry: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = registry
    person = RegisteredPerson("s-2", "051050000002", "Lê Thị C", date(1950, 1, 1), Gender.FEMALE)
    legacy_district_today = RegisterDeath(
        str(uuid.uuid4()), "522", person, date(2026, 11, 28), "Quảng Ngãi", datetime.now(UTC)
    )
    with pytest.raises(RegistrationRefused) as refused:
        await bus.handle_in_transaction(pool, legacy_district_today)
    assert refused.value.reason == "UNKNOWN_ADMINISTRATIVE_UNIT"
    assert await pool.fetchval("SELECT count(*) FROM registrations") == 0


async def test_a_backdated_late_birth_with_a_mother_without_number_keeps_its_facts(
    registry: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = registry
    registered = datetime(2026, 3, 2, 2, tzinfo=UTC)
    child = RegisteredPerson("s-late", None, "Phạm Gia Hân", date(2025, 10, 1), Gender.FEMALE)
    mother = RegisteredPerson("s-mother-provisional", None, "Phạm Thị Lan", None, Gender.FEMALE)
    event = await bus.handle_in_transaction(
        pool,
        RegisterBirthAtCounter(
            registration_id=str(uuid.uuid4()),
            unit_code="21211",
            child=child,
            father=None,
            mother=mother,
            place_of_birth="",
            registered_at=registered,
            recorded_at=datetime(2026, 11, 29, 3, tzinfo=UTC),
            agency_record_id="HT-21211-2026-0042",
        ),
    )
    assert event.registration_type is BirthRegistrationType.LATE  # 152 days after birth
    assert event.registered_at == registered
    assert event.recorded_at == datetime(2026, 11, 29, 3, tzinfo=UTC)
    assert event.agency_record_id == "HT-21211-2026-0042"
    assert event.certificate_number.startswith("21211-KS-2026-")
    headers = await pool.fetchval("SELECT headers::text FROM outbox ORDER BY id DESC LIMIT 1")
    assert "2026-03-02T02:00:00" in headers  # ce_time is the event time


async def test_a_registration_dated_before_the_birth_is_refused(
    registry: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = registry
    child = RegisteredPerson("s-early", None, "Lê Minh Anh", date(2026, 5, 1), Gender.MALE)
    with pytest.raises(RegistrationRefused) as refused:
        await bus.handle_in_transaction(
            pool,
            RegisterBirthAtCounter(
                str(uuid.uuid4()), "51", child, None, None, "", datetime(2026, 4, 1, tzinfo=UTC)
            ),
        )
    assert refused.value.reason == "REGISTERED_BEFORE_BIRTH"
