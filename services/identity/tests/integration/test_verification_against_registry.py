"""Identity and the population registry on real PostgreSQL with their real outboxes: each
request and answer travels as the Avro event it is on Kafka (encoded, decoded, handled in one
transaction), so the contract between the two services is what is tested."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from identity.domain.commands import CaseAlreadyDecided, DecideReviewCase
from identity.domain.events import (
    DossierSubmitted,
    Gender,
    PersonRole,
    ReviewDecision,
    SubmittedPerson,
)
from lienthong.vn.legacy_encodings import encode_legacy_text
from population_registry.domain import events as registry_events

from .conftest import Pair

pytestmark = pytest.mark.integration
VERIFICATIONS = "identity.verification.events"


def person(
    pair: Pair,
    role: PersonRole,
    name: str,
    number: str | None,
    born: date | None,
    gender: Gender | None,
) -> SubmittedPerson:
    subject = pair.subjects.for_id_number(number) if number else "sub_provisional_" + name[:3]
    return SubmittedPerson(role, subject, number, name, born, gender)


def dossier(*persons: SubmittedPerson) -> DossierSubmitted:
    return DossierSubmitted(str(uuid.uuid4()), "BIRTH_LINKED", "51", datetime.now(UTC), persons)


async def outcomes(pair: Pair) -> list[tuple[str, dict[str, Any]]]:
    return await pair.published(pair.identity, VERIFICATIONS)


def levels(record: dict[str, Any]) -> dict[str, str]:
    return {m["field"]: m["level"] for m in record["field_matches"]}


async def test_birth_dossier_parents_are_verified_against_the_demo_population(pair: Pair) -> None:
    event = dossier(
        person(pair, PersonRole.APPLICANT, "Nguyễn Văn Hùng", "051090123456",
               date(1990, 3, 14), Gender.MALE),
        person(pair, PersonRole.FATHER, "Nguyễn Văn Hùng", "051090123456",
               date(1990, 3, 14), Gender.MALE),
        person(pair, PersonRole.MOTHER, "Trần Thị Thuỷ", "051192654321",
               date(1992, 7, 2), Gender.FEMALE),
        person(pair, PersonRole.CHILD, "Nguyễn Trần Minh Khôi", None,
               date.today(), Gender.MALE),
    )  # fmt: skip
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, event)
    # The newborn is concluded at once; the three adults wait for the registry.
    assert [name for name, _ in await outcomes(pair)] == ["IdentityVerified"]
    await pair.round_trip()
    found = await outcomes(pair)
    assert [name for name, _ in found] == ["IdentityVerified"] * 4
    assert {r["role"] for _, r in found} == {"APPLICANT", "FATHER", "MOTHER", "CHILD"}
    assert all(str(r["dossier_id"]) == event.dossier_id for _, r in found)
    mother = next(r for _, r in found if r["role"] == "MOTHER")
    assert levels(mother) == {
        "id_number": "EXACT", "full_name": "EXACT", "birth_date": "EXACT", "gender": "EXACT",
    }  # fmt: skip


async def test_each_mismatch_category_comes_from_the_population_data(pair: Pair) -> None:
    event = dossier(
        # Legacy TCVN3 font and an old CMND number: the same person.
        person(pair, PersonRole.APPLICANT, encode_legacy_text("Nguyễn Văn Hùng", "tcvn3"),
               "212345678", date(1990, 3, 14), Gender.MALE),
        # Someone else's name on the mother's number.
        person(pair, PersonRole.MOTHER, "Lê Thị Mai", "051192654321",
               date(1992, 7, 2), Gender.FEMALE),
        # A consistent number nobody holds.
        person(pair, PersonRole.FATHER, "Phan Văn Tư", "051090000001",
               date(1990, 1, 1), Gender.MALE),
        # A citizen whose death is recorded.
        person(pair, PersonRole.SUBJECT, "Đặng Văn Lộc", "051050300871",
               date(1950, 2, 11), Gender.MALE),
    )  # fmt: skip
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, event)
    await pair.round_trip()
    by_role = {r["role"]: (name, r) for name, r in await outcomes(pair)}
    assert by_role["APPLICANT"][0] == "IdentityVerified"
    assert levels(by_role["APPLICANT"][1])["id_number"] == "NORMALIZED"  # through the alias
    assert by_role["MOTHER"][1]["category"] == "NAME_MISMATCH"
    assert levels(by_role["MOTHER"][1])["full_name"] == "DIFFERENT"
    assert by_role["FATHER"][1]["category"] == "NOT_FOUND"
    assert by_role["SUBJECT"][1]["category"] == "DECEASED"
    for _, (_, record) in by_role.items():
        assert "Hùng" not in record.get("detail", "") and "0510" not in record.get("detail", "")


async def test_a_repeated_answer_changes_nothing(pair: Pair) -> None:
    event = dossier(
        person(pair, PersonRole.APPLICANT, "Nguyễn Văn Hùng", "051090123456",
               date(1990, 3, 14), Gender.MALE),
    )  # fmt: skip
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, event)
    await pair.pump(pair.identity, "agency.population.verification.requests", pair.registry)
    answers = await pair.pump(pair.registry, "agency.population.verification.replies",
                              pair.identity)  # fmt: skip
    for answer in answers:  # the same answer again, e.g. the registry re-answered a redelivery
        await pair.identity.bus.handle_in_transaction(pair.identity.pool, answer)
    assert len(await outcomes(pair)) == 1


async def test_duplicate_is_queued_for_review_and_confirming_it_merges_the_records(
    pair: Pair,
) -> None:
    event = dossier(
        person(pair, PersonRole.APPLICANT, "Bùi Thị Ngọc Ánh", "051172009314",
               date(1972, 4, 18), Gender.FEMALE),
    )  # fmt: skip
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, event)
    await pair.round_trip()
    [(name, record)] = await outcomes(pair)
    assert (name, record["category"]) == ("IdentityMismatch", "SUSPECTED_DUPLICATE")
    async with pair.identity.pool.acquire() as conn:
        case = await conn.fetchrow("SELECT * FROM review_cases")
    assert case["status"] == "OPEN" and case["reason"] == "NAME_AND_BIRTH_DATE"
    other = pair.subjects.for_id_number("051172118840")
    assert case["candidate_subject_id"] == other

    decide = DecideReviewCase(case["case_id"], ReviewDecision.SAME_PERSON, "officer-7", "51")
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, decide)
    with pytest.raises(CaseAlreadyDecided):
        await pair.identity.bus.handle_in_transaction(pair.identity.pool, decide)
    review = await pair.published(pair.identity, "identity.review.events")
    assert [n for n, _ in review] == ["DuplicateSuspected", "DuplicateReviewDecided"]
    assert review[1][1]["decided_by"] == "officer-7" and review[1][1]["decision"] == "SAME_PERSON"

    await pair.pump(pair.identity, "identity.review.events", pair.registry)
    async with pair.registry.pool.acquire() as conn:
        merged = await conn.fetchrow(
            "SELECT status, merged_into FROM citizens WHERE id_number = '051172118840'"
        )
    assert (merged["status"], merged["merged_into"]) == ("merged", "051172009314")

    # Checked again, the person is no longer a suspected duplicate.
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, dossier(*event.persons))
    await pair.round_trip()
    assert (await outcomes(pair))[-1][0] == "IdentityVerified"


async def test_a_cleared_pair_is_not_raised_again(pair: Pair) -> None:
    anh = person(pair, PersonRole.APPLICANT, "Bùi Thị Ngọc Anh", "051172118840",
                 date(1972, 4, 18), Gender.FEMALE)  # fmt: skip
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, dossier(anh))
    await pair.round_trip()
    async with pair.identity.pool.acquire() as conn:
        case_id = await conn.fetchval("SELECT case_id FROM review_cases")
    decide = DecideReviewCase(case_id, ReviewDecision.DIFFERENT_PERSONS, "officer-7", "51")
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, decide)
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, dossier(anh))
    await pair.round_trip()
    assert (await outcomes(pair))[-1][0] == "IdentityVerified"
    async with pair.identity.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM review_cases") == 1


def registered(pair: Pair, name: str, number: str | None, born: date, gender: str) -> Any:
    return registry_events.RegisteredPerson(
        pair.subjects.for_id_number(number) if number else "sub_provisional_child",
        number,
        name,
        born,
        registry_events.Gender[gender],
    )


async def test_death_registration_marks_the_citizen_deceased_for_later_checks(pair: Pair) -> None:
    from identity.domain.events import CONSUMED

    death = registry_events.DeathRegistered(
        str(uuid.uuid4()),
        datetime.now(UTC),
        registered(pair, "Lê Văn Đức", "051088204417", date(1988, 5, 20), "MALE"),
        date(2026, 11, 1),
    )
    await pair.registry.bus.handle_in_transaction(pair.registry.pool, death)
    # Identity checks the deceased of the registration: consistent, so verified.
    identity_death = CONSUMED["vn.lienthong.civil_registry.DeathRegistered"]
    from lienthong.mapping import from_record, to_record

    await pair.identity.bus.handle_in_transaction(
        pair.identity.pool, from_record(identity_death, to_record(death))
    )
    await pair.round_trip()
    [(name, record)] = await outcomes(pair)
    assert (name, record["role"], record["dossier_id"]) == ("IdentityVerified", "DECEASED", None)
    # A later dossier naming him as applicant is a DECEASED mismatch.
    await pair.identity.bus.handle_in_transaction(
        pair.identity.pool,
        dossier(
            person(
                pair,
                PersonRole.APPLICANT,
                "Lê Văn Đức",
                "051088204417",
                date(1988, 5, 20),
                Gender.MALE,
            )
        ),
    )
    await pair.round_trip()
    assert (await outcomes(pair))[-1][1]["category"] == "DECEASED"


async def test_name_change_reaches_the_population_data(pair: Pair) -> None:
    change = registry_events.CivilStatusChanged(
        str(uuid.uuid4()),
        datetime.now(UTC),
        registered(pair, "Trần Thị Thu Thuỷ", "051192654321", date(1992, 7, 2), "FEMALE"),
        registry_events.ChangeType.NAME,
        "full_name",
        "Trần Thị Thuỷ",
        "Trần Thị Thu Thuỷ",
        date(2026, 11, 1),
    )
    await pair.registry.bus.handle_in_transaction(pair.registry.pool, change)
    async with pair.registry.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT full_name FROM citizens WHERE id_number = '051192654321'")
        history = await conn.fetchrow("SELECT * FROM applied_registrations")
    assert row["full_name"] == "Trần Thị Thu Thuỷ"
    assert history["applied"] and history["old_value"] == "Trần Thị Thuỷ"
    await pair.identity.bus.handle_in_transaction(
        pair.identity.pool,
        dossier(
            person(
                pair,
                PersonRole.MOTHER,
                "Trần Thị Thu Thủy",
                "051192654321",
                date(1992, 7, 2),
                Gender.FEMALE,
            )
        ),
    )
    await pair.round_trip()
    assert (await outcomes(pair))[-1][0] == "IdentityVerified"


async def test_birth_registration_checks_child_and_parents_and_finds_a_double_registration(
    pair: Pair,
) -> None:
    from identity.domain.events import CONSUMED
    from lienthong.mapping import from_record, to_record

    # The registry already holds a child of this mother born that day (an earlier record).
    issue = registry_events.IssuePersonalIdNumber(
        str(uuid.uuid4()), str(uuid.uuid4()), "sub_provisional_first", "Nguyễn Minh Khôi",
        date(2026, 10, 1), registry_events.Gender.MALE, "051", datetime.now(UTC),
    )  # fmt: skip
    await pair.registry.bus.handle_in_transaction(pair.registry.pool, issue)
    async with pair.registry.pool.acquire() as conn:
        await conn.execute(
            "UPDATE citizens SET mother_id_number = '051192654321' WHERE birth_date = '2026-10-01'"
        )
    birth = registry_events.BirthRegistered(
        str(uuid.uuid4()),
        datetime.now(UTC),
        registered(pair, "Nguyễn Minh Khoi", None, date(2026, 10, 1), "MALE"),
        registered(pair, "Nguyễn Văn Hùng", "051090123456", date(1990, 3, 14), "MALE"),
        registered(pair, "Trần Thị Thuỷ", "051192654321", date(1992, 7, 2), "FEMALE"),
    )
    identity_birth = CONSUMED["vn.lienthong.civil_registry.BirthRegistered"]
    await pair.identity.bus.handle_in_transaction(
        pair.identity.pool, from_record(identity_birth, to_record(birth))
    )
    await pair.round_trip()
    by_role = {r["role"]: (n, r) for n, r in await outcomes(pair)}
    assert by_role["FATHER"][0] == by_role["MOTHER"][0] == "IdentityVerified"
    assert by_role["CHILD"][1]["category"] == "SUSPECTED_DUPLICATE"
    async with pair.identity.pool.acquire() as conn:
        case = await conn.fetchrow("SELECT reason, candidates FROM review_cases")
    assert case["reason"] == "REGISTERED_CHILD_FOUND"
    [candidate] = json.loads(case["candidates"])
    assert {f["field"]: f["score"] for f in candidate["field_scores"]}["mother"] == 1.0


async def test_reconciliation_counts_by_source_and_category(pair: Pair) -> None:
    from identity.adapters import repository

    event = dossier(
        person(pair, PersonRole.APPLICANT, "Nguyễn Văn Hùng", "051090123456",
               date(1990, 3, 14), Gender.MALE),
        person(pair, PersonRole.MOTHER, "Lê Thị Mai", "051192654321",
               date(1992, 7, 2), Gender.FEMALE),
    )  # fmt: skip
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, event)
    async with pair.identity.pool.acquire() as conn:
        assert await repository.pending_count(conn) == 2
    await pair.round_trip()
    async with pair.identity.pool.acquire() as conn:
        counts = {(r["source"], r["category"]): r["n"] for r in
                  await repository.reconciliation_counts(conn)}  # fmt: skip
        assert await repository.pending_count(conn) == 0
    assert counts == {("dossier", "VERIFIED"): 1, ("dossier", "NAME_MISMATCH"): 1}


async def test_bulk_check_counts_verified_wrong_and_missing_and_resumes_without_repeats(
    pair: Pair,
) -> None:
    from identity.adapters import repository
    from identity.domain.commands import AddBulkRows, BulkRow, StartBulkCheck

    job = uuid.uuid4()
    await pair.identity.bus.handle_in_transaction(
        pair.identity.pool, StartBulkCheck(job, "vaccination register", "officer-7")
    )
    rows = (
        BulkRow("051090123456", "NGUYEN VAN HUNG", date(1990, 3, 14), Gender.MALE),
        BulkRow("051192654321", "Trần Thị Thu", date(1992, 7, 2), Gender.FEMALE),
        BulkRow("051090000001", "Phan Văn Tư", date(1990, 1, 1), Gender.MALE),
        BulkRow(None, "Không Số", date(1980, 1, 1), None),
    )
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, AddBulkRows(job, 0, rows[:2]))
    # Interrupted; the client sends everything from row 0 again.
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, AddBulkRows(job, 0, rows))
    async with pair.identity.pool.acquire() as conn:
        before = await repository.job_progress(conn, job)
    assert before is not None
    # Every row waits for the registry: the one without a number is searched by name.
    assert (before["received"], before["concluded"], before["next_row"]) == (4, 0, 4)
    await pair.round_trip()
    async with pair.identity.pool.acquire() as conn:
        after = await repository.job_progress(conn, job)
    assert after is not None
    assert (after["verified"], after["wrong"], after["missing"]) == (1, 1, 2)
    assert len(await outcomes(pair)) == 4  # one check per row, despite the resend


async def test_a_dossier_asks_the_registry_once_for_all_its_persons(pair: Pair) -> None:
    event = dossier(
        person(pair, PersonRole.APPLICANT, "Nguyễn Văn Hùng", "051090123456",
               date(1990, 3, 14), Gender.MALE),
        person(pair, PersonRole.FATHER, "Nguyễn Văn Hùng", "051090123456",
               date(1990, 3, 14), Gender.MALE),
        person(pair, PersonRole.MOTHER, "Trần Thị Thuỷ", "051192654321",
               date(1992, 7, 2), Gender.FEMALE),
    )  # fmt: skip
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, event)
    requests = await pair.published(pair.identity, "agency.population.verification.requests")
    assert [name for name, _ in requests] == ["CitizenVerificationBatchRequested"]
    assert len(requests[0][1]["requests"]) == 3
    async with pair.identity.pool.acquire() as conn:
        key = await conn.fetchval(
            "SELECT convert_from(message_key, 'UTF8') FROM outbox WHERE topic = $1",
            "agency.population.verification.requests",
        )
    assert key == pair.subjects.for_id_number("051090123456") and "051090" not in key
    await pair.round_trip()
    answers = await pair.published(pair.registry, "agency.population.verification.replies")
    assert [name for name, _ in answers] == ["CitizenVerificationBatchAnswered"]
    assert [name for name, _ in await outcomes(pair)] == ["IdentityVerified"] * 3


async def test_a_single_request_sent_before_batches_is_still_answered_and_applied(
    pair: Pair,
) -> None:
    from identity.adapters import repository

    mother = person(pair, PersonRole.MOTHER, "Trần Thị Thuỷ", "051192654321",
                    date(1992, 7, 2), Gender.FEMALE)  # fmt: skip
    request_id = uuid.uuid4()
    async with pair.identity.pool.acquire() as conn:
        await repository.add_pending(conn, request_id, None, "dossier", mother, datetime.now(UTC))
    single = registry_events.CitizenVerificationRequested(
        str(request_id), mother.subject_id, mother.id_number, mother.full_name,
        mother.birth_date, None, datetime.now(UTC),
    )  # fmt: skip
    await pair.registry.bus.handle_in_transaction(pair.registry.pool, single)
    answers = await pair.pump(
        pair.registry, "agency.population.verification.replies", pair.identity
    )
    assert [type(a).__name__ for a in answers] == ["CitizenVerificationAnswered"]
    assert [name for name, _ in await outcomes(pair)] == ["IdentityVerified"]


async def test_a_person_without_a_number_is_verified_as_the_one_record_of_that_name(
    pair: Pair,
) -> None:
    stated = person(pair, PersonRole.APPLICANT, encode_legacy_text("Lê Văn Đức", "vni"), None,
                    date(1988, 5, 20), Gender.MALE)  # fmt: skip
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, dossier(stated))
    await pair.round_trip()
    [(name, record)] = await outcomes(pair)
    assert name == "IdentityVerified"
    assert levels(record)["id_number"] == "DEMOGRAPHIC"
    assert record["matched_subject_id"] == pair.subjects.for_id_number("051088204417")


async def test_a_later_dossier_naming_the_same_pair_adds_a_reference_not_a_case(
    pair: Pair,
) -> None:
    stated = person(pair, PersonRole.APPLICANT, "Bùi Thị Ngọc Ánh", "051172009314",
                    date(1972, 4, 18), Gender.FEMALE)  # fmt: skip
    for _ in range(3):
        await pair.identity.bus.handle_in_transaction(pair.identity.pool, dossier(stated))
        await pair.round_trip()
    review = await pair.published(pair.identity, "identity.review.events")
    assert [n for n, _ in review] == ["DuplicateSuspected"]
    async with pair.identity.pool.acquire() as conn:
        cases = await conn.fetchval("SELECT count(*) FROM review_cases")
        references = await conn.fetchval("SELECT count(*) FROM review_case_references")
    assert (cases, references) == (1, 2)


async def test_a_typo_opens_a_correction_case_that_an_officer_accepts(pair: Pair) -> None:
    from identity.domain.commands import CorrectionAlreadyDecided, DecideCorrection
    from identity.domain.events import CorrectionDecision

    stated = person(pair, PersonRole.APPLICANT, "Lê Văn Đứt", None, date(1988, 5, 20),
                    Gender.MALE)  # fmt: skip
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, dossier(stated))
    await pair.round_trip()
    [(name, record)] = await outcomes(pair)
    assert (name, record["category"]) == ("IdentityMismatch", "NAME_MISMATCH")
    assert record["matched_subject_id"] == pair.subjects.for_id_number("051088204417")
    [(suggested_name, suggested)] = await pair.published(pair.identity, "identity.review.events")
    assert suggested_name == "CorrectionSuggested"
    assert [(c["field"], c["suggested"], c["kind"]) for c in suggested["corrections"]] == [
        ("full_name", "Lê Văn Đức", "TYPO")
    ]
    decide = DecideCorrection(
        uuid.UUID(str(suggested["case_id"])), CorrectionDecision.ACCEPTED, "officer-7", "51"
    )
    await pair.identity.bus.handle_in_transaction(pair.identity.pool, decide)
    with pytest.raises(CorrectionAlreadyDecided):
        await pair.identity.bus.handle_in_transaction(pair.identity.pool, decide)
    review = await pair.published(pair.identity, "identity.review.events")
    assert review[-1][0] == "CorrectionDecided" and review[-1][1]["decision"] == "ACCEPTED"
