"""Judicial-record jurisdiction on real PostgreSQL: the dossier goes to the Department of
Justice of the province where the residence register says the applicant lives."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from intake.bootstrap import MIGRATIONS
from intake.domain import errors
from intake.domain.commands import PersonInput, SubmitDossier
from intake.domain.events import EMITTED, ResidenceEnded, ResidenceRegistered
from intake.domain.model import Channel, Gender, PersonRole
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
SUBJECTS = SubjectIds("integration-subject-key-0123456789")
APPLICANT_ID = "051090123456"


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
        subjects=SUBJECTS,
    )
    return MessageBus(HANDLERS, deps, Outbox(load_codec(), "/lienthong/intake", EMITTED))


def _judicial_record(unit_code: str = "51") -> SubmitDossier:
    return SubmitDossier(
        procedure_code="JUDICIAL_RECORD",
        channel=Channel.PORTAL,
        unit_code=unit_code,
        persons=(
            PersonInput(
                PersonRole.APPLICANT,
                "Nguyễn Văn Hùng",
                APPLICANT_ID,
                date(1990, 3, 14),
                Gender.MALE,
            ),
        ),
        received_at=datetime(2026, 11, 30, 2, tzinfo=UTC),
    )


def _lives_in(unit_code: str, kind: str = "PERMANENT") -> ResidenceRegistered:
    return ResidenceRegistered(
        str(uuid.uuid4()),
        SUBJECTS.for_id_number(APPLICANT_ID),
        kind,
        unit_code,
        datetime(2020, 5, 4, 2, tzinfo=UTC),
    )


async def test_a_judicial_record_dossier_goes_to_the_province_of_the_registered_residence(
    pool: asyncpg.Pool, bus: MessageBus[Any]
) -> None:
    await bus.handle_in_transaction(pool, _lives_in("21211"))  # Xã Tịnh Khê, Quảng Ngãi
    dossier = await bus.handle_in_transaction(pool, _judicial_record())
    assert dossier.unit_code == "51"


async def test_without_a_residence_the_officer_is_told_why_and_nothing_is_received(
    pool: asyncpg.Pool, bus: MessageBus[Any]
) -> None:
    with pytest.raises(errors.ResidenceNotFound) as refused:
        await bus.handle_in_transaction(pool, _judicial_record())
    assert "no permanent or temporary residence" in refused.value.detail
    assert refused.value.pointer == "/persons/0/id_number"
    assert await pool.fetchval("SELECT count(*) FROM dossiers") == 0


async def test_an_ended_permanent_residence_falls_back_to_a_temporary_one(
    pool: asyncpg.Pool, bus: MessageBus[Any]
) -> None:
    permanent = _lives_in("21211")
    await bus.handle_in_transaction(pool, permanent)
    await bus.handle_in_transaction(
        pool,
        ResidenceEnded(
            permanent.residence_id,
            permanent.subject_id,
            "PERMANENT",
            datetime(2024, 1, 1, tzinfo=UTC),
        ),
    )
    await bus.handle_in_transaction(pool, replace(_lives_in("522", "TEMPORARY")))
    dossier = await bus.handle_in_transaction(pool, _judicial_record())
    assert dossier.unit_code == "51"
    with pytest.raises(errors.ResidenceNotFound):
        await bus.handle_in_transaction(
            pool,
            replace(
                _judicial_record(),
                persons=(PersonInput(PersonRole.APPLICANT, "Lê Thị Thu", None, None, None),),
            ),
        )
