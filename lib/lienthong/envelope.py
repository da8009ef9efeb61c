"""CloudEvents 1.0 envelope in the Kafka protocol binding, binary content mode.

Why this exists: agencies integrate with plain Kafka clients, so the event's metadata
travels as standard ``ce_*`` headers (read without decoding the body) and the body is the
Avro single-object encoding. Trace context travels as the W3C ``traceparent`` header.
Headers never carry personal data: ``subject`` is a pseudonymous subject id.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.exceptions import BaseCloudEventException
from cloudevents.core.v1.event import CloudEvent

CONTENT_TYPE = "application/avro"
TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
CORRELATION_ATTR = "correlationid"
CAUSATION_ATTR = "causationid"

Headers = list[tuple[str, bytes]]


class EnvelopeError(ValueError):
    """Kafka headers that do not form a valid CloudEvents binary-mode envelope."""


@dataclass(frozen=True)
class Envelope:
    """The CloudEvents attributes of one event (everything but the body)."""

    type: str
    source: str
    time: datetime
    dataschema: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    subject: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    traceparent: str | None = None
    tracestate: str | None = None
    content_type: str = CONTENT_TYPE

    def caused_by(self, cause: Envelope) -> Envelope:
        """This envelope as a consequence of ``cause``: same correlation, causation = cause."""
        return replace(
            self,
            correlation_id=cause.correlation_id or cause.id,
            causation_id=cause.id,
        )


def dataschema_uri(full_name: str, version: int) -> str:
    return f"urn:lienthong:schema:{full_name}:v{version}"


class _PassThroughFormat:
    """The body is already Avro bytes, written by the codec at the edge."""

    def write_data(self, data: Any, datacontenttype: str | None) -> bytes:
        return bytes(data) if data is not None else b""

    def read_data(self, body: bytes, datacontenttype: str | None) -> bytes:
        return body


def to_headers(envelope: Envelope) -> Headers:
    """Binary-mode Kafka headers for an envelope (CloudEvents SDK does the mapping)."""
    attributes: dict[str, Any] = {
        "id": envelope.id,
        "source": envelope.source,
        "type": envelope.type,
        "specversion": "1.0",
        "time": envelope.time,
        "datacontenttype": envelope.content_type,
        "dataschema": envelope.dataschema,
    }
    if envelope.subject is not None:
        attributes["subject"] = envelope.subject
    if envelope.correlation_id is not None:
        attributes[CORRELATION_ATTR] = envelope.correlation_id
    if envelope.causation_id is not None:
        attributes[CAUSATION_ATTR] = envelope.causation_id
    try:
        message = ce_kafka.to_binary(
            CloudEvent(attributes=attributes, data=None),
            _PassThroughFormat(),  # type: ignore[arg-type]
            key_mapper=lambda _event: None,
        )
    except BaseCloudEventException as exc:
        raise EnvelopeError(str(exc)) from exc
    headers: Headers = list(message.headers.items())
    if envelope.traceparent:
        headers.append((TRACEPARENT, envelope.traceparent.encode()))
    if envelope.tracestate:
        headers.append((TRACESTATE, envelope.tracestate.encode()))
    return headers


def from_headers(headers: Sequence[tuple[str, bytes | None]] | None) -> Envelope:
    """Parse binary-mode headers; raises ``EnvelopeError`` naming what is wrong."""
    plain: dict[str, bytes] = {}
    for name, value in headers or ():
        if value is not None:
            plain[name] = value
    try:
        event = ce_kafka.from_binary(
            ce_kafka.KafkaMessage(headers=plain, key=None, value=b""),
            _PassThroughFormat(),  # type: ignore[arg-type]
        )
    except (BaseCloudEventException, ValueError, UnicodeDecodeError) as exc:
        raise EnvelopeError(f"invalid CloudEvents headers: {exc}") from exc
    attrs = event.get_attributes()
    time = event.get_time()
    if time is None or "ce_time" not in plain:
        raise EnvelopeError("missing ce_time (event time is required)")
    dataschema = event.get_dataschema()
    if not dataschema:
        raise EnvelopeError("missing ce_dataschema")
    if time.tzinfo is None:
        time = time.replace(tzinfo=UTC)

    def text(name: str) -> str | None:
        raw = plain.get(name)
        return raw.decode("utf-8", "replace") if raw is not None else None

    return Envelope(
        id=event.get_id(),
        source=event.get_source(),
        type=event.get_type(),
        time=time,
        subject=event.get_subject(),
        dataschema=str(dataschema),
        correlation_id=attrs.get(CORRELATION_ATTR),
        causation_id=attrs.get(CAUSATION_ATTR),
        traceparent=text(TRACEPARENT),
        tracestate=text(TRACESTATE),
        content_type=event.get_datacontenttype() or CONTENT_TYPE,
    )
