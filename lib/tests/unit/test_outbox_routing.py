"""``uow.emit(event)`` takes the topic and the partition key from the catalog entry of the
event's type; nothing at the call site names either."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from lienthong.bus import UnitOfWork
from lienthong.contracts.catalog import UnknownTopicError, default_catalog
from lienthong.outbox import Outbox
from lienthong.service import load_codec

AT = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


@dataclass(frozen=True)
class LinkedBundleStarted:
    bundle_id: str
    bundle_type: str
    dossier_id: str
    subject_id: str
    unit_code: str
    procedure_code: str
    started_at: datetime
    deadline_at: datetime


class RecordingConnection:
    """Stands in for the caller's open transaction: keeps what the outbox inserted."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    async def execute(self, _sql: str, *args: Any) -> str:
        self.rows.append(args)
        return "INSERT 0 1"


def test_every_event_type_is_on_exactly_one_topic() -> None:
    catalog = default_catalog()
    for topic in catalog.topics():
        for name in topic.event_types:
            assert catalog.route(name) == topic


def test_a_type_on_no_topic_has_no_route() -> None:
    with pytest.raises(UnknownTopicError, match="exactly one topic"):
        default_catalog().route("vn.lienthong.nowhere.Nothing")


def test_an_outbox_refuses_at_construction_a_type_the_catalog_does_not_carry() -> None:
    with pytest.raises(UnknownTopicError):
        Outbox(load_codec(), "/test", {LinkedBundleStarted: "vn.lienthong.nowhere.Nothing"})


async def test_emit_writes_the_catalog_topic_and_the_key_field_of_the_record() -> None:
    outbox = Outbox(
        load_codec(),
        "/lienthong/orchestrator",
        {LinkedBundleStarted: "vn.lienthong.orchestrator.LinkedBundleStarted"},
    )
    conn = RecordingConnection()
    uow = UnitOfWork(conn, outbox)  # type: ignore[arg-type]
    event = LinkedBundleStarted(
        "0b6f9a51-2d5c-4d1e-9a57-6c1d2f6b9e11",
        "BIRTH",
        "7d1c2e44-8a5b-4f0e-b1a2-3c4d5e6f7a81",
        "subject-7Qm2",
        "21211",
        "BIRTH_REGISTRATION",
        AT,
        AT,
    )
    envelope = await uow.emit(event, time=AT, subject="subject-7Qm2")
    (row,) = conn.rows
    _event_id, topic, key, headers, _payload = row
    assert topic == "orchestrator.bundle.events"
    assert key == b"0b6f9a51-2d5c-4d1e-9a57-6c1d2f6b9e11"
    assert ["ce_type", "vn.lienthong.orchestrator.LinkedBundleStarted"] in json.loads(headers)
    assert envelope.subject == "subject-7Qm2"
