"""Checks that an agency's producer speaks the platform's contracts, message by message.

Why this exists: an agency integrating its own system (not a reference service) needs to
know, before going live, whether the platform will accept what it publishes — the same
checks the platform's consumers make, named one by one instead of a message landing on a
dead-letter topic. ``lienthong kit conformance --topic ...`` reads the agency's topic and
prints each problem; ``check`` is the pure part, usable in an agency's own tests.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lienthong.codec import DecodeError
from lienthong.envelope import EnvelopeError, dataschema_uri, from_headers
from lienthong_tools.kit.client import Contracts

#: A 12-digit personal ID number or 9-digit CMND anywhere in a key or a header is a leak.
_ID_NUMBER = re.compile(rb"(?<!\d)(\d{12}|\d{9})(?!\d)")
#: Event times this far after the broker's own timestamp are clocks gone wrong.
_FUTURE = timedelta(minutes=5)


@dataclass(frozen=True)
class Finding:
    offset: str
    problem: str


def check(
    contracts: Contracts,
    topic: str,
    key: bytes | None,
    value: bytes,
    headers: Sequence[tuple[str, bytes | None]],
    logged_at: datetime | None = None,
) -> list[str]:
    """What is wrong with one message on ``topic`` (the catalog's name); empty: conforms."""
    problems: list[str] = []
    try:
        declared = contracts.catalog.topic(topic)
    except LookupError:
        return [f"topic {topic} is not in the catalog"]
    if key is not None and _ID_NUMBER.search(key):
        problems.append("the key holds what looks like an ID number (use the subject id)")
    for name, raw in headers:
        if raw is not None and name != "traceparent" and _ID_NUMBER.search(raw):
            problems.append(f"header {name} holds what looks like an ID number")
    try:
        envelope = from_headers(headers)
    except EnvelopeError as exc:
        return [*problems, str(exc)]
    if envelope.type not in declared.event_types:
        problems.append(f"{envelope.type} is not an event type of {topic}")
        return problems
    try:
        decoded = contracts.codec.decode(value)
    except DecodeError as exc:
        return [*problems, f"body: {exc}"]
    if decoded.full_name != envelope.type:
        problems.append(f"body is a {decoded.full_name}, ce_type says {envelope.type}")
    if envelope.dataschema != dataschema_uri(decoded.full_name, decoded.writer_version):
        problems.append(
            f"ce_dataschema {envelope.dataschema} does not name the writer schema "
            f"(v{decoded.writer_version})"
        )
    expected_key = decoded.record.get(declared.key)
    if key is None or key.decode("utf-8", "replace") != str(expected_key):
        problems.append(f"the key must be the body's {declared.key}")
    if logged_at is not None and envelope.time > logged_at + _FUTURE:
        problems.append("ce_time (the event time) is later than the broker received it")
    return problems


def check_topic(
    contracts: Contracts,
    bootstrap_servers: str,
    topic: str,
    *,
    topic_prefix: str = "",
    limit: int = 1000,
    idle_s: float = 5.0,
) -> tuple[int, list[Finding]]:
    """Read ``topic`` from the beginning (a throw-away consumer group) until ``limit``
    messages or ``idle_s`` without one; the number read and every finding."""
    import uuid

    from confluent_kafka import Consumer

    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap_servers,
            "group.id": f"lienthong-conformance-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic_prefix + topic])
    findings: list[Finding] = []
    read = 0
    try:
        while read < limit:
            msg = consumer.poll(idle_s)
            if msg is None:
                break
            if msg.error():
                continue
            read += 1
            kind, millis = msg.timestamp()
            logged = datetime.fromtimestamp(millis / 1000, UTC) if kind else None
            where = f"{msg.partition()}:{msg.offset()}"
            raw = msg.headers() or []
            pairs = list(raw.items()) if isinstance(raw, dict) else raw
            headers = [
                (name, value.encode() if isinstance(value, str) else value) for name, value in pairs
            ]
            for problem in check(contracts, topic, msg.key(), msg.value() or b"", headers, logged):
                findings.append(Finding(where, problem))
    finally:
        consumer.close()
    return read, findings
