"""The permanent-residence register on real PostgreSQL."""

from __future__ import annotations

import dataclasses
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
from residence.bootstrap import MIGRATIONS
from residence.domain.events import (
    EMITTED,
    RegisterByOfficer,
    RegisterPermanentResidence,
    RemovePermanentResidence,
)
from residence.service_layer.handlers import (
    HANDLERS,
    AlreadyRegistered,
    Dependencies,
    UnknownUnit,
)

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture
async def register(database: str) -> AsyncIterator[tuple[asyncpg.Pool, MessageBus[Dependencies]]]:
    pool = await create_pool(database, MIGRATIONS, max_size=3)
    bus = MessageBus(HANDLERS, Dependencies(), Outbox(load_codec(), "/t", EMITTED))
    try:
        yield pool, bus
    finally:
        await pool.close()


def _child(parents: tuple[str, ...]) -> RegisterPermanentResidence:
    return RegisterPermanentResidence(
        str(uuid.uuid4()), str(uuid.uuid4()), "s-child", parents, "51", datetime.now(UTC)
    )


async def _types(pool: asyncpg.Pool) -> list[str]:
    rows = await pool.fetch("SELECT headers::text AS h FROM outbox ORDER BY id")
    return [
        name
        for r in rows
        for name in ("PermanentResidenceRegistered", "ResidenceRequestRejected", "Removed")
        if name in r["h"]
    ]


async def test_child_joins_the_mothers_residence_once_even_if_the_command_repeats(
    register: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = register
    await bus.handle_in_transaction(
        pool, RegisterByOfficer("s-mother", "21025", "12 Lê Lợi", datetime.now(UTC))
    )
    cmd = _child(("s-mother", "s-father"))
    await bus.handle_in_transaction(pool, cmd)
    await bus.handle_in_transaction(pool, cmd)
    row = await pool.fetchrow("SELECT * FROM residences WHERE subject_id = 's-child'")
    assert (row["unit_code"], row["address"], row["basis"]) == (
        "21025",
        "12 Lê Lợi",
        "PARENT_RESIDENCE",
    )
    assert await _types(pool) == ["PermanentResidenceRegistered"]


async def test_parents_registered_apart_get_the_request_rejected(
    register: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = register
    for subject, unit in (("s-mother", "21025"), ("s-father", "20194")):
        await bus.handle_in_transaction(
            pool, RegisterByOfficer(subject, unit, "1 Đường A", datetime.now(UTC))
        )
    await bus.handle_in_transaction(pool, _child(("s-mother", "s-father")))
    assert await _types(pool) == ["ResidenceRequestRejected"]
    assert await pool.fetchval("SELECT count(*) FROM residences WHERE subject_id='s-child'") == 0


async def test_a_person_has_at_most_one_permanent_residence(
    register: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = register
    officer = RegisterByOfficer("s-1", "21025", "12 Lê Lợi", datetime.now(UTC))
    await bus.handle_in_transaction(pool, officer)
    with pytest.raises(AlreadyRegistered):
        await bus.handle_in_transaction(pool, officer)


async def test_removing_the_residence_of_a_deceased_person_keeps_the_record_as_removed(
    register: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = register
    await bus.handle_in_transaction(
        pool, RegisterByOfficer("s-1", "21025", "12 Lê Lợi", datetime.now(UTC))
    )
    remove = RemovePermanentResidence(
        str(uuid.uuid4()),
        str(uuid.uuid4()),
        "s-1",
        date(2026, 11, 28),
        "DECEASED",
        datetime.now(UTC),
    )
    await bus.handle_in_transaction(pool, remove)
    await bus.handle_in_transaction(pool, remove)
    row = await pool.fetchrow("SELECT status, removed_from FROM residences WHERE subject_id='s-1'")
    assert (row["status"], row["removed_from"]) == ("removed", date(2026, 11, 28))
    assert await _types(pool) == ["Removed"]


async def test_a_child_residence_command_for_an_unknown_unit_is_rejected_with_a_reason(
    register: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = register
    await bus.handle_in_transaction(
        pool, RegisterByOfficer("s-mother", "21025", "12 Lê Lợi", datetime.now(UTC))
    )
    cmd = dataclasses.replace(_child(("s-mother",)), unit_code="51001")
    await bus.handle_in_transaction(pool, cmd)
    assert await _types(pool) == ["ResidenceRequestRejected"]
    assert await pool.fetchval("SELECT count(*) FROM residences WHERE subject_id='s-child'") == 0


async def test_an_officer_cannot_register_at_a_unit_not_in_force_today(
    register: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = register
    with pytest.raises(UnknownUnit):
        await bus.handle_in_transaction(
            pool, RegisterByOfficer("s-1", "522", "12 Lê Lợi", datetime.now(UTC))
        )
    assert await pool.fetchval("SELECT count(*) FROM residences") == 0
