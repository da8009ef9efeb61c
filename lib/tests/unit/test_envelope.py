"""CloudEvents binary-mode headers: what goes on the wire and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lienthong.envelope import Envelope, EnvelopeError, dataschema_uri, from_headers, to_headers


def envelope() -> Envelope:
    return Envelope(
        type="vn.lienthong.intake.DossierSubmitted",
        source="/lienthong/intake",
        time=datetime(2026, 3, 1, 8, 30, tzinfo=UTC),
        dataschema=dataschema_uri("vn.lienthong.intake.DossierSubmitted", 1),
        subject="sub_abc",
        correlation_id="c-1",
        causation_id="e-0",
        traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    )


def test_headers_follow_the_kafka_binding_binary_mode() -> None:
    headers = dict(to_headers(envelope()))
    assert headers["ce_specversion"] == b"1.0"
    assert headers["ce_type"] == b"vn.lienthong.intake.DossierSubmitted"
    assert headers["ce_source"] == b"/lienthong/intake"
    assert headers["ce_time"] == b"2026-03-01T08:30:00Z"
    assert headers["content-type"] == b"application/avro"
    assert (
        headers["ce_dataschema"] == b"urn:lienthong:schema:vn.lienthong.intake.DossierSubmitted:v1"
    )
    assert headers["ce_subject"] == b"sub_abc"
    assert headers["ce_correlationid"] == b"c-1"
    assert headers["ce_causationid"] == b"e-0"
    assert headers["traceparent"].startswith(b"00-4bf92f")


def test_round_trip_preserves_every_attribute() -> None:
    original = envelope()
    assert from_headers(to_headers(original)) == original


def test_caused_by_keeps_the_correlation_and_points_at_the_cause() -> None:
    cause = envelope()
    effect = Envelope(type="t", source="/s", time=cause.time, dataschema="urn:x").caused_by(cause)
    assert effect.correlation_id == "c-1"
    assert effect.causation_id == cause.id


def test_missing_required_attributes_are_refused() -> None:
    with pytest.raises(EnvelopeError):
        from_headers([("ce_type", b"x")])


def test_missing_event_time_is_refused() -> None:
    headers = [(k, v) for k, v in to_headers(envelope()) if k != "ce_time"]
    with pytest.raises(EnvelopeError, match="ce_time"):
        from_headers(headers)


def test_no_headers_at_all_is_refused() -> None:
    with pytest.raises(EnvelopeError):
        from_headers(None)
