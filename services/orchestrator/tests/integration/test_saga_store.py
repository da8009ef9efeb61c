"""The saga store on real PostgreSQL: duplicated and reordered replies are harmless."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from lienthong.bus import MessageBus, UnitOfWork
from lienthong.db import create_pool
from lienthong.outbox import Outbox
from lienthong.service import load_codec
from lienthong.vn.working_time import WorkingCalendar
from orchestrator.adapters import repository
from orchestrator.bootstrap import MIGRATIONS
from orchestrator.domain.events import (
    CONSUMED,
    EMITTED,
    BirthRegistered,
    DeathRegistered,
    DossierSubmitted,
    Gender,
    HealthInsuranceCardIssued,
    HealthInsuranceEnded,
    IdentityVerified,
    PermanentResidenceRegistered,
    PermanentResidenceRemoved,
    PersonalIdNumberIssued,
    PersonRole,
    RecurringPaymentsStopped,
    RegisteredPerson,
    ResidenceRequestRejected,
    SubmittedPerson,
)
from orchestrator.service_layer.deadlines import scan_once
from orchestrator.service_layer.handlers import HANDLERS, Dependencies

pytestmark = pytest.mark.integration
assert CONSUMED

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
CHILD = RegisteredPerson("s-child", None, "Nguyễn Minh Khôi", date(2026, 11, 27), Gender.MALE)


@pytest_asyncio.fixture
async def saga(database: str) -> AsyncIterator[tuple[asyncpg.Pool, MessageBus[Dependencies]]]:
    pool = await create_pool(database, MIGRATIONS, max_size=3)
    outbox = Outbox(load_codec(), "/test/orchestrator", EMITTED)
    bus = MessageBus(HANDLERS, Dependencies(calendar=WorkingCalendar()), outbox)
    try:
        yield pool, bus
    finally:
        await pool.close()


def _persons() -> tuple[SubmittedPerson, ...]:
    def p(role: PersonRole, sid: str, birth: date) -> SubmittedPerson:
        return SubmittedPerson(role, sid, None, "Nguyễn Văn A", birth, Gender.MALE)

    return (
        p(PersonRole.FATHER, "s-father", date(1990, 3, 14)),
        p(PersonRole.MOTHER, "s-mother", date(1992, 7, 2)),
        p(PersonRole.CHILD, "s-child", date(2026, 11, 27)),
    )


async def _emitted(pool: asyncpg.Pool) -> list[tuple[str, str]]:
    rows = await pool.fetch("SELECT topic, headers FROM outbox ORDER BY id")
    out = []
    for r in rows:
        headers = dict(json.loads(r["headers"]))
        out.append((r["topic"], headers["ce_type"].rsplit(".", 1)[-1]))
    return out


async def _command_id(pool: asyncpg.Pool, step: str) -> str:
    return str(await pool.fetchval("SELECT command_id FROM bundle_steps WHERE step = $1", step))


async def _bundle_id(pool: asyncpg.Pool) -> str:
    return str(await pool.fetchval("SELECT bundle_id FROM bundles"))


async def _deliver(bus: MessageBus[Dependencies], pool: asyncpg.Pool, *events: Any) -> None:
    for event in events:
        await bus.handle_in_transaction(pool, event)


async def _birth_until_residence(
    pool: asyncpg.Pool, bus: MessageBus[Dependencies], dossier: str
) -> str:
    await _deliver(
        bus,
        pool,
        DossierSubmitted(dossier, "51-X-1", "BIRTH_LINKED", "51", NOW, _persons()),
        *(
            IdentityVerified(str(uuid.uuid4()), dossier, sid, "x", NOW)
            for sid in ("s-father", "s-mother", "s-child")
        ),
        BirthRegistered(
            str(uuid.uuid4()), dossier, "51-KS-2026-000001", "51", NOW, CHILD, None, None, "x"
        ),
    )
    bid = await _bundle_id(pool)
    cid = await _command_id(pool, "id_number_issued")
    await _deliver(
        bus, pool, PersonalIdNumberIssued(cid, bid, "s-child", "s-real", "051226000001", NOW)
    )
    return bid


async def test_birth_bundle_completes_once_even_when_every_reply_arrives_twice(
    saga: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = saga
    dossier = str(uuid.uuid4())
    bid = await _birth_until_residence(pool, bus, dossier)
    issued = PersonalIdNumberIssued(
        await _command_id(pool, "id_number_issued"), bid, "s-child", "s-real", "051226000001", NOW
    )
    await _deliver(bus, pool, issued)  # the same answer again
    residence = PermanentResidenceRegistered(
        await _command_id(pool, "permanent_residence"), bid, "s-real", NOW
    )
    await _deliver(bus, pool, residence, residence)
    card = HealthInsuranceCardIssued(
        await _command_id(pool, "health_insurance_card"), bid, "s-real", NOW
    )
    await _deliver(bus, pool, card, card)

    emitted = await _emitted(pool)
    assert [t for _, t in emitted].count("LinkedBundleCompleted") == 1
    assert [t for _, t in emitted].count("IssueChildHealthInsuranceCard") == 1
    assert [t for _, t in emitted].count("RegisterPermanentResidence") == 1
    assert await pool.fetchval("SELECT state FROM bundles") == "completed"
    assert await pool.fetchval("SELECT subject_id FROM bundles") == "s-real"


async def test_identity_results_and_registration_before_the_dossier_still_start_one_chain(
    saga: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = saga
    dossier = str(uuid.uuid4())
    early = [
        IdentityVerified(str(uuid.uuid4()), dossier, sid, "x", NOW)
        for sid in ("s-child", "s-mother", "s-father")
    ]
    await _deliver(bus, pool, *early)
    await _deliver(
        bus, pool, DossierSubmitted(dossier, "51-X-2", "BIRTH_LINKED", "51", NOW, _persons())
    )
    await _deliver(
        bus, pool, DossierSubmitted(dossier, "51-X-2", "BIRTH_LINKED", "51", NOW, _persons())
    )
    # the registration's answer arrives; the number is requested exactly once
    reg = BirthRegistered(
        str(uuid.uuid4()), dossier, "51-KS-2026-000002", "51", NOW, CHILD, None, None, "x"
    )
    await _deliver(bus, pool, reg, reg)
    types = [t for _, t in await _emitted(pool)]
    assert types.count("LinkedBundleStarted") == 1
    assert types.count("RegisterBirth") == 1
    assert types.count("IssuePersonalIdNumber") == 1


async def test_an_answer_to_an_unknown_or_stale_command_changes_nothing(
    saga: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = saga
    bid = await _birth_until_residence(pool, bus, str(uuid.uuid4()))
    before = await _emitted(pool)
    await _deliver(bus, pool, PermanentResidenceRegistered(str(uuid.uuid4()), bid, "s-real", NOW))
    assert await _emitted(pool) == before


async def test_rejected_residence_compensates_keeping_registrations_and_skipping_the_card(
    saga: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = saga
    bid = await _birth_until_residence(pool, bus, str(uuid.uuid4()))
    cid = await _command_id(pool, "permanent_residence")
    rejection = ResidenceRequestRejected(
        cid, bid, "s-real", "PARENTS_RESIDE_APART_CHOICE_REQUIRED", NOW
    )
    await _deliver(bus, pool, rejection, rejection)
    types = [t for _, t in await _emitted(pool)]
    assert types.count("LinkedBundleStepFailed") == 1
    assert types.count("LinkedBundleCompensated") == 1
    assert "IssueChildHealthInsuranceCard" not in types
    assert await pool.fetchval("SELECT state FROM bundles") == "compensated"
    async with pool.acquire() as conn:
        stuck = await repository.listing(conn, "stuck", datetime.now(UTC), 10)
    assert [str(b["bundle_id"]) for b in stuck] == [bid]
    # a late success for the rejected command is ignored
    await _deliver(bus, pool, PermanentResidenceRegistered(cid, bid, "s-real", NOW))
    assert "LinkedBundleCompleted" not in [t for _, t in await _emitted(pool)]


async def test_death_bundle_walks_residence_insurance_welfare_in_order(
    saga: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = saga
    deceased = RegisteredPerson("s-dead", "051050000001", "Trần Văn B", date(1950, 1, 1), None)
    death = DeathRegistered(
        str(uuid.uuid4()), None, "51-KT-2026-000001", "51", NOW, deceased, date(2026, 11, 28)
    )
    await _deliver(bus, pool, death, death)
    bid = await _bundle_id(pool)
    await _deliver(
        bus,
        pool,
        PermanentResidenceRemoved(await _command_id(pool, "residence_removed"), bid, "s-dead", NOW),
    )
    await _deliver(
        bus,
        pool,
        HealthInsuranceEnded(await _command_id(pool, "insurance_ended"), bid, "s-dead", NOW),
    )
    stop = RecurringPaymentsStopped(
        await _command_id(pool, "death_benefits_decided"), bid, "s-dead", NOW
    )
    await _deliver(bus, pool, stop, stop)
    types = [t for _, t in await _emitted(pool)]
    commands = [t for t in types if not t.startswith("LinkedBundle")]
    assert commands == ["RemovePermanentResidence", "EndHealthInsurance", "DecideDeathBenefits"]
    assert types.count("LinkedBundleStarted") == 1
    assert types.count("LinkedBundleCompleted") == 1


async def test_late_bundle_and_late_step_each_escalate_once_and_unanswered_command_is_resent(
    saga: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = saga
    await _birth_until_residence(pool, bus, str(uuid.uuid4()))
    deps = Dependencies(calendar=WorkingCalendar(), retry_after_s=60, max_attempts=2)
    later = datetime.now(UTC) + timedelta(days=30)
    for at in (later, later, later + timedelta(hours=1), later + timedelta(hours=2)):
        async with pool.acquire() as conn, conn.transaction():
            await scan_once(UnitOfWork(conn, bus.outbox), deps, at)
    types = [t for _, t in await _emitted(pool)]
    assert types.count("LinkedBundleDeadlineBreached") == 2  # the bundle and its residence step
    assert types.count("RegisterPermanentResidence") == 2  # first request and one resend
    assert types.count("LinkedBundleStepFailed") == 1  # then the attempts ran out
    resent = await pool.fetch(
        "SELECT DISTINCT payload FROM outbox WHERE topic = 'agency.residence.commands'"
    )
    assert len(resent) == 2  # same command id, new requested_at
    async with pool.acquire() as conn:
        breached = await repository.listing(conn, "breached", datetime.now(UTC), 10)
    assert len(breached) == 1
    cids = await pool.fetch("SELECT command_id FROM bundle_steps WHERE step='permanent_residence'")
    assert len(cids) == 1


async def test_birth_registered_at_the_counter_starts_a_bundle_at_the_id_number(
    saga: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    pool, bus = saga
    father = RegisteredPerson("s-father", "051090123456", "Nguyễn Văn A", None, Gender.MALE)
    registered = BirthRegistered(
        str(uuid.uuid4()), None, "51-KS-2026-000009", "51", NOW, CHILD, father, None, "x"
    )
    await _deliver(bus, pool, registered, registered)
    types = [t for _, t in await _emitted(pool)]
    assert types.count("LinkedBundleStarted") == 1
    assert "RegisterBirth" not in types
    assert types.count("IssuePersonalIdNumber") == 1
    assert await pool.fetchval("SELECT dossier_code FROM bundles") == "51-KS-2026-000009"


async def test_a_transaction_holding_dossiers_never_waits_for_another_one(
    saga: tuple[asyncpg.Pool, MessageBus[Dependencies]],
) -> None:
    """A batch holding dossier A that meets dossier B locked elsewhere gives up at once
    (DossierBusy) instead of waiting, so two batches can never deadlock; a transaction
    holding no dossier waits for it as before."""
    pool, _ = saga
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    async with pool.acquire() as holder:
        holding = holder.transaction()
        await holding.start()
        await repository.lock_dossier(holder, b)
        async with pool.acquire() as batch, batch.transaction():
            await repository.lock_dossier(batch, a)
            with pytest.raises(repository.DossierBusy):
                await asyncio.wait_for(repository.lock_dossier(batch, b), 5)
        async with pool.acquire() as alone, alone.transaction():
            waiting = asyncio.ensure_future(repository.lock_dossier(alone, b))
            await asyncio.sleep(0.3)
            assert not waiting.done()
            await holding.commit()
            await asyncio.wait_for(waiting, 5)
