"""The deadline timer on real PostgreSQL: one DossierOverdue per dossier, even with replicas."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from intake.bootstrap import MIGRATIONS
from intake.domain.commands import ActOnDossier, FlagOverdueDossiers, PersonInput, SubmitDossier
from intake.domain.events import EMITTED
from intake.domain.lifecycle import Action
from intake.domain.model import Channel, Dossier, Gender, PersonRole
from intake.domain.procedures import load_procedures
from intake.service_layer.handlers import HANDLERS, Dependencies
from lienthong.bus import MessageBus
from lienthong.db import create_pool
from lienthong.outbox import Outbox
from lienthong.service import load_codec
from lienthong.subjects import SubjectIds
from lienthong.vn.units import units as load_units
from lienthong.vn.working_time import WorkingCalendar

pytestmark = pytest.mark.integration
OVERDUE = "vn.lienthong.intake.DossierOverdue"


@pytest_asyncio.fixture
async def pool(database: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database, MIGRATIONS)
    yield pool
    await pool.close()


@pytest.fixture
def bus() -> MessageBus[Any]:
    deps = Dependencies(
        procedures=load_procedures(),
        units=load_units(),
        calendar=WorkingCalendar(),
        subjects=SubjectIds("integration-subject-key-0123456789"),
    )
    return MessageBus(HANDLERS, deps, Outbox(load_codec(), "/lienthong/intake", EMITTED))


def _submission(received_at: datetime) -> SubmitDossier:
    return SubmitDossier(
        procedure_code="RESIDENCE_TEMPORARY",
        channel=Channel.COUNTER,
        unit_code="21025",  # Phường Cẩm Thành, Quảng Ngãi (2025)
        persons=(
            PersonInput(
                PersonRole.APPLICANT,
                "Nguyễn Văn Hùng",
                "051090123456",
                datetime(1990, 3, 14).date(),
                Gender.MALE,
            ),
        ),
        received_at=received_at,
    )


async def _overdue_events(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    return list(
        await pool.fetch(
            "SELECT message_key, headers FROM outbox WHERE headers @> $1::jsonb",
            json.dumps([["ce_type", OVERDUE]]),
        )
    )


async def test_two_timer_replicas_flag_each_passed_deadline_exactly_once(
    pool: asyncpg.Pool, bus: MessageBus[Any]
) -> None:
    month_ago = datetime.now(UTC) - timedelta(days=30)
    late: list[Dossier] = [
        await bus.handle_in_transaction(pool, _submission(month_ago)) for _ in range(20)
    ]
    on_time: Dossier = await bus.handle_in_transaction(pool, _submission(datetime.now(UTC)))

    async def replica() -> int:
        total = 0
        for _ in range(5):
            total += await bus.handle_in_transaction(
                pool, FlagOverdueDossiers(now=datetime.now(UTC), limit=3)
            )
        return total

    flagged = await asyncio.gather(replica(), replica())

    assert sum(flagged) == len(late)
    events = await _overdue_events(pool)
    assert sorted(bytes(e["message_key"]).decode() for e in events) == sorted(
        str(d.id) for d in late
    )
    assert str(on_time.id) not in {bytes(e["message_key"]).decode() for e in events}


async def test_overdue_event_time_is_the_deadline_not_the_scan(
    pool: asyncpg.Pool, bus: MessageBus[Any]
) -> None:
    dossier: Dossier = await bus.handle_in_transaction(
        pool, _submission(datetime.now(UTC) - timedelta(days=30))
    )
    await bus.handle_in_transaction(pool, FlagOverdueDossiers(now=datetime.now(UTC)))
    (event,) = await _overdue_events(pool)
    headers = dict(json.loads(event["headers"]))
    event_time = datetime.fromisoformat(headers["ce_time"].replace("Z", "+00:00"))
    assert abs(event_time - dossier.appointment_at) < timedelta(milliseconds=1)


async def test_a_dossier_decided_before_its_deadline_is_never_flagged(
    pool: asyncpg.Pool, bus: MessageBus[Any]
) -> None:
    dossier: Dossier = await bus.handle_in_transaction(
        pool, _submission(datetime.now(UTC) - timedelta(days=30))
    )
    for action in (Action.START_PROCESSING, Action.APPROVE):
        await bus.handle_in_transaction(
            pool,
            ActOnDossier(
                dossier_id=dossier.id,
                action=action,
                occurred_at=dossier.submitted_at + timedelta(hours=1),
                officer_id="officer-1",
                officer_unit_code="21025",  # Phường Cẩm Thành, Quảng Ngãi (2025)
                scoped_to_unit=True,
            ),
        )
    assert await bus.handle_in_transaction(pool, FlagOverdueDossiers(now=datetime.now(UTC))) == 0
    assert await _overdue_events(pool) == []
