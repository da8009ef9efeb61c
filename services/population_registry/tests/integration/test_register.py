"""The population register on real PostgreSQL: demo population, issuance, duplicate blocks."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import asyncpg
import pytest

from lienthong.bus import MessageBus
from lienthong.outbox import Outbox
from lienthong.service import load_codec
from lienthong.subjects import SubjectIds
from population_registry.adapters import repository
from population_registry.bootstrap import upsert_demo_population
from population_registry.domain.events import (
    EMITTED,
    CitizenVerificationRequested,
    Gender,
    IssuePersonalIdNumber,
)
from population_registry.service_layer.handlers import HANDLERS, Dependencies

pytestmark = pytest.mark.integration
SUBJECTS = SubjectIds("integration-test-subject-key")


def bus() -> MessageBus[Dependencies]:
    return MessageBus(HANDLERS, Dependencies(SUBJECTS), Outbox(load_codec(), "/t", EMITTED))


async def published(pool: asyncpg.Pool) -> list[tuple[str, dict[str, object]]]:
    codec = load_codec()
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT payload FROM outbox ORDER BY id")
    return [
        (d.full_name.rsplit(".", 1)[-1], d.record)
        for d in (codec.decode(r["payload"]) for r in rows)
    ]


async def test_demo_population_load_is_idempotent(pool: asyncpg.Pool) -> None:
    first = await upsert_demo_population(pool, SUBJECTS)
    second = await upsert_demo_population(pool, SUBJECTS)
    async with pool.acquire() as conn:
        count = await conn.fetchval("SELECT count(*) FROM citizens")
        alias = await repository.citizen_by_cmnd(conn, "211888124")
    assert first == second == count
    assert alias is not None and alias["id_number"] == "051085117903"


async def test_issuing_a_number_answers_the_bundle_and_repeats_the_same_number(
    pool: asyncpg.Pool,
) -> None:
    command = IssuePersonalIdNumber(
        str(uuid.uuid4()), str(uuid.uuid4()), "sub_provisional", "Nguyễn Trần Minh Khôi",
        date(2026, 11, 20), Gender.MALE, "051", datetime.now(UTC),
    )  # fmt: skip
    await bus().handle_in_transaction(pool, command)
    await bus().handle_in_transaction(pool, command)
    [(a, first), (b, second)] = await published(pool)
    assert a == b == "PersonalIdNumberIssued"
    assert first["id_number"] == second["id_number"]
    assert str(first["id_number"]).startswith("051226")  # 051: Quảng Ngãi; 2: male, 2000s
    async with pool.acquire() as conn:
        row = await repository.citizen_by_id_number(conn, str(first["id_number"]))
    assert row is not None and row["full_name"] == "Nguyễn Trần Minh Khôi"


async def test_unknown_province_is_refused(pool: asyncpg.Pool) -> None:
    command = IssuePersonalIdNumber(
        str(uuid.uuid4()), str(uuid.uuid4()), "sub_provisional", "Nguyễn Minh Khôi",
        date(2026, 11, 20), Gender.MALE, "999", datetime.now(UTC),
    )  # fmt: skip
    await bus().handle_in_transaction(pool, command)
    [(name, record)] = await published(pool)
    assert (name, record["reason"]) == ("PersonalIdNumberRefused", "UNKNOWN_REGISTRATION_PROVINCE")


async def test_answer_carries_the_record_and_the_blocked_candidates(pool: asyncpg.Pool) -> None:
    await upsert_demo_population(pool, SUBJECTS)
    request = CitizenVerificationRequested(
        str(uuid.uuid4()), "sub_x", "051172009314", "Bùi Thị Ngọc Ánh", date(1972, 4, 18), None,
        datetime.now(UTC),
    )  # fmt: skip
    await bus().handle_in_transaction(pool, request)
    [(name, answer)] = await published(pool)
    assert name == "CitizenVerificationAnswered"
    assert answer["matched_by"] == "ID_NUMBER"
    assert answer["record"]["id_number"] == "051172009314"  # type: ignore[index]
    assert [c["id_number"] for c in answer["candidates"]] == ["051172118840"]  # type: ignore[attr-defined]


async def test_records_written_before_the_blocking_keys_are_back_filled(
    pool: asyncpg.Pool,
) -> None:
    await upsert_demo_population(pool, SUBJECTS)
    async with pool.acquire() as conn:
        await conn.execute("UPDATE citizens SET block_key = NULL, family_key = NULL")
        assert await repository.backfill_keys(conn) > 0
        row = await conn.fetchrow(
            "SELECT block_key, family_key FROM citizens WHERE id_number = '051090123456'"
        )
    assert (row["block_key"], row["family_key"]) == ("hung nguyen van", "nguyen")


async def test_insurance_cover_from_bhxh_is_recorded_and_ended(pool: asyncpg.Pool) -> None:
    from population_registry.domain.events import HealthInsuranceCardIssued, HealthInsuranceEnded

    await bus().handle_in_transaction(
        pool,
        HealthInsuranceCardIssued(
            "sub_child", "TE1515100000001", date(2026, 1, 1), date(2031, 12, 31)
        ),
    )
    await bus().handle_in_transaction(pool, HealthInsuranceEnded("sub_child", date(2026, 6, 30)))
    async with pool.acquire() as conn:
        [card] = await repository.cards_of(conn, "sub_child")
    assert card.valid_on(date(2026, 6, 30))
    assert not card.valid_on(date(2026, 7, 1))


async def test_demo_population_brings_its_insurance_cards(pool: asyncpg.Pool) -> None:
    await upsert_demo_population(pool, SUBJECTS)
    async with pool.acquire() as conn:
        cards = await repository.cards_of(conn, SUBJECTS.for_id_number("051090123456"))
    assert [c.card_number for c in cards] == ["DN4515121234567"]


async def test_a_cmnd_the_register_does_not_hold_with_a_typo_still_finds_the_family_block(
    pool: asyncpg.Pool,
) -> None:
    await upsert_demo_population(pool, SUBJECTS)
    # An unregistered old CMND, and "Sơn" typed "Sưn": only the family-name block finds him.
    request = CitizenVerificationRequested(
        str(uuid.uuid4()), "sub_x", "219999999", "Huỳnh Ngọc Sưn", date(1985, 1, 30), None,
        datetime.now(UTC),
    )  # fmt: skip
    await bus().handle_in_transaction(pool, request)
    [(_, answer)] = await published(pool)
    assert answer["record"] is None
    assert [c["id_number"] for c in answer["candidates"]] == ["051085117903"]  # type: ignore[attr-defined]


async def test_a_person_without_a_number_is_searched_by_name_and_birth_date(
    pool: asyncpg.Pool,
) -> None:
    await upsert_demo_population(pool, SUBJECTS)
    # "Lê Văn Đức" typed in the TCVN3 font, no number.
    request = CitizenVerificationRequested(
        str(uuid.uuid4()), "sub_x", None, "Lª V¨n §øc", date(1988, 5, 20), None,
        datetime.now(UTC),
    )  # fmt: skip
    await bus().handle_in_transaction(pool, request)
    [(_, answer)] = await published(pool)
    assert [c["id_number"] for c in answer["candidates"]] == ["051088204417"]  # type: ignore[attr-defined]


async def test_answers_carry_the_birth_place_of_each_record(pool: asyncpg.Pool) -> None:
    await upsert_demo_population(pool, SUBJECTS)
    request = CitizenVerificationRequested(
        str(uuid.uuid4()), "sub_x", "051172009314", "Bùi Thị Ngọc Ánh", date(1972, 4, 18), None,
        datetime.now(UTC),
    )  # fmt: skip
    await bus().handle_in_transaction(pool, request)
    [(_, answer)] = await published(pool)
    assert answer["record"]["birth_place_code"] == "21211"  # type: ignore[index]
