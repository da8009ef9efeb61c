"""Avro single-object encoding: fingerprints per the spec, resolution, clear errors."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime

import fastavro
import pytest

from lienthong.codec import (
    MARKER,
    AvroCodec,
    DecodeError,
    UnknownSchemaError,
    canonical_form,
    fingerprint,
)

ID = uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
V1 = {
    "type": "record",
    "name": "Probe",
    "namespace": "vn.lienthong.test",
    "doc": "test",
    "fields": [
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}, "doc": "id"},
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "doc": "t"},
    ],
}
V2 = {
    **V1,
    "fields": [*V1["fields"], {"name": "note", "type": "string", "default": "", "doc": "n"}],
}


def codec() -> AvroCodec:
    return AvroCodec([("vn.lienthong.test.Probe", 1, V1), ("vn.lienthong.test.Probe", 2, V2)])


def test_fingerprint_is_the_little_endian_crc64_avro_of_the_canonical_form() -> None:
    """The value the hand-written table implementation wrote before fastavro computed it:
    bodies already on Kafka keep resolving to their writer schema."""
    assert fingerprint(V1).hex() == "62a455c770691ae7"


def test_canonical_form_drops_logical_types_doc_and_defaults_as_the_spec_requires() -> None:
    assert canonical_form(V1) == (
        '{"name":"vn.lienthong.test.Probe","type":"record","fields":'
        '[{"name":"id","type":"string"},{"name":"at","type":"long"}]}'
    )


def test_fingerprint_of_the_specifications_primitive_test_vector() -> None:
    from fastavro.schema import fingerprint as avro_fingerprint

    assert bytes.fromhex(avro_fingerprint('"null"', "CRC-64-AVRO")) == (
        0x63DD24E7CC258F8A
    ).to_bytes(8, "little")


def test_encoded_body_starts_with_marker_and_the_newest_writer_fingerprint() -> None:
    body = codec().encode(
        "vn.lienthong.test.Probe", {"id": str(ID), "at": datetime.now(UTC), "note": "n"}
    )
    assert body[:2] == MARKER
    assert body[2:10] == fingerprint(V2)


def test_an_old_version_is_read_into_the_newest_schema_with_defaults() -> None:
    buffer = io.BytesIO()
    buffer.write(MARKER + fingerprint(V1))
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    fastavro.schemaless_writer(buffer, fastavro.parse_schema(V1), {"id": str(ID), "at": at})
    decoded = codec().decode(buffer.getvalue())
    assert decoded.full_name == "vn.lienthong.test.Probe"
    assert decoded.writer_version == 1
    assert decoded.record == {"id": ID, "at": at, "note": ""}


def test_round_trip_keeps_every_field() -> None:
    at = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    c = codec()
    decoded = c.decode(c.encode("vn.lienthong.test.Probe", {"id": str(ID), "at": at, "note": "hi"}))
    assert decoded.record == {"id": ID, "at": at, "note": "hi"}
    assert decoded.writer_version == 2


def test_unknown_fingerprint_is_a_clear_error() -> None:
    with pytest.raises(UnknownSchemaError, match="unknown writer schema fingerprint"):
        codec().decode(MARKER + b"\x01" * 8 + b"\x00")


def test_missing_marker_is_rejected() -> None:
    with pytest.raises(DecodeError, match="marker"):
        codec().decode(b'{"json": true}')


def test_truncated_and_trailing_bytes_are_rejected() -> None:
    c = codec()
    body = c.encode(
        "vn.lienthong.test.Probe", {"id": str(ID), "at": datetime.now(UTC), "note": "x"}
    )
    with pytest.raises(DecodeError):
        c.decode(body[:-3])
    with pytest.raises(DecodeError, match="trailing"):
        c.decode(body + b"\x00")


def test_encoding_an_unknown_event_type_names_it() -> None:
    with pytest.raises(KeyError, match=r"vn\.lienthong\.test\.Nope"):
        codec().encode("vn.lienthong.test.Nope", {})
