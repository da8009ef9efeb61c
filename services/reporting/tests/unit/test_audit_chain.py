"""The audit chain names every modified, inserted or deleted record."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from reporting.domain.audit import (
    CHECKPOINT_EVERY,
    GENESIS,
    AuditEntry,
    Head,
    StoredEntry,
    chain_hash,
    masked,
    subjects_in,
    verify,
)

T0 = datetime(2022, 6, 1, tzinfo=UTC)


def _entry(seq: int, **body: object) -> AuditEntry:
    return AuditEntry(
        seq=seq,
        event_id=f"e{seq}",
        event_type="vn.lienthong.intake.DossierSubmitted",
        topic="intake.dossier.events",
        event_time=T0 + timedelta(minutes=seq),
        recorded_at=T0 + timedelta(minutes=seq, seconds=1),
        source="/lienthong/intake",
        actor="officer-1",
        subjects=("sub_a",),
        dossier_id="d1",
        body={"unit_code": "21010", **body},
    )


def _chain(n: int) -> tuple[list[StoredEntry], list[Head], Head]:
    stored, previous = [], GENESIS
    for seq in range(1, n + 1):
        entry = _entry(seq)
        digest = chain_hash(previous, entry)
        stored.append(StoredEntry(entry, previous, digest))
        previous = digest
    points = [Head(s.entry.seq, s.hash) for s in stored if s.entry.seq % CHECKPOINT_EVERY == 0]
    return stored, points, Head(n, previous)


def test_an_untouched_chain_verifies() -> None:
    assert verify(*_chain(5)) == []


def test_a_modified_body_is_named_by_its_sequence_number() -> None:
    stored, points, head = _chain(5)
    stored[2] = dataclasses.replace(stored[2], entry=_entry(3, unit_code="99"))
    findings = verify(stored, points, head)
    assert [(f.problem, f.seq, f.event_id) for f in findings] == [("modified", 3, "e3")]


def test_a_modified_record_whose_hash_was_recomputed_is_still_named() -> None:
    stored, points, head = _chain(5)
    forged = _entry(3, unit_code="99")
    stored[2] = StoredEntry(forged, stored[2].prev_hash, chain_hash(stored[2].prev_hash, forged))
    assert [(f.problem, f.seq) for f in verify(stored, points, head)] == [("modified", 3)]


def test_a_deleted_record_is_named() -> None:
    stored, points, head = _chain(5)
    del stored[3]
    assert [(f.problem, f.seq) for f in verify(stored, points, head)] == [("deleted", 4)]


def test_records_deleted_at_the_end_are_named_from_the_chain_head() -> None:
    stored, points, head = _chain(5)
    assert [(f.problem, f.seq) for f in verify(stored[:3], points, head)] == [
        ("deleted", 4),
        ("deleted", 5),
    ]


def test_an_inserted_record_is_named() -> None:
    stored, points, _ = _chain(4)
    intruder = dataclasses.replace(_entry(3), seq=3, event_id="forged")
    # renumber what follows, as an intruder with database access would
    forged = StoredEntry(intruder, stored[1].hash, chain_hash(stored[1].hash, intruder))
    moved = [
        dataclasses.replace(s, entry=dataclasses.replace(s.entry, seq=s.entry.seq + 1))
        for s in stored[2:]
    ]
    findings = verify([*stored[:2], forged, *moved], points, Head(5, moved[-1].hash))
    assert ("inserted", 3, "forged") in [(f.problem, f.seq, f.event_id) for f in findings]


def test_personal_data_is_masked_for_roles_that_may_not_see_it() -> None:
    body = {"persons": [{"full_name": "Nguyễn Văn A", "id_number": "051090123456", "role": "X"}]}
    assert masked(body) == {"persons": [{"full_name": "***", "id_number": "***", "role": "X"}]}


def test_a_trail_finds_every_subject_an_event_is_about() -> None:
    record = {"persons": [{"subject_id": "sub_b"}, {"subject_id": "sub_c"}], "x": 1}
    assert subjects_in(record, "sub_a") == ("sub_a", "sub_b", "sub_c")
