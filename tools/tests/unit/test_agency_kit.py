"""The agency kit: a message built from the published contracts conforms; each way an
agency's producer can go wrong is named."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from lienthong_tools.kit.client import Contracts
from lienthong_tools.kit.conformance import check

CONTRACTS = Contracts.load()
LOOKUP = "vn.lienthong.insurance.HealthInsuranceLookedUp"
TOPIC = "agency.insurance.card.events"
AT = datetime(2022, 3, 2, 3, tzinfo=UTC)


def _record() -> dict[str, object]:
    return {
        "lookup_id": str(uuid.uuid4()),
        "subject_id": "sub_" + uuid.uuid4().hex,
        "facility_code": "51001",
        "outcome": "FOUND_VALID",
        "looked_up_at": AT,
    }


def _message() -> tuple[bytes | None, bytes, list[tuple[str, bytes | None]]]:
    m = CONTRACTS.message(LOOKUP, _record(), time=AT, source="/agency/bhxh-51")
    return m.key, m.value, list(m.headers)


def test_a_message_built_from_the_published_contracts_conforms() -> None:
    key, value, headers = _message()
    assert check(CONTRACTS, TOPIC, key, value, headers, AT) == []


def test_each_way_a_producer_goes_wrong_is_named() -> None:
    key, value, headers = _message()
    assert "the key must be the body's subject_id" in check(
        CONTRACTS, TOPIC, b"other", value, headers
    )
    leaked = [*headers, ("ce_subject", b"051090123456")]
    assert any("looks like an ID number" in p for p in check(CONTRACTS, TOPIC, key, value, leaked))
    no_time = [(n, v) for n, v in headers if n != "ce_time"]
    assert any("ce_time" in p for p in check(CONTRACTS, TOPIC, key, value, no_time))
    assert any(
        "not an event type" in p
        for p in check(CONTRACTS, "agency.residence.events", key, value, headers)
    )
    assert any(
        p.startswith("body:") for p in check(CONTRACTS, TOPIC, key, b"\xc3\x01junk", headers)
    )
    future = [
        *[(n, v) for n, v in headers if n != "ce_time"],
        ("ce_time", b"2030-01-01T00:00:00Z"),
    ]
    assert any(
        "later than the broker" in p for p in check(CONTRACTS, TOPIC, key, value, future, AT)
    )
