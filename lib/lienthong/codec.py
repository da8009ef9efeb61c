"""Avro single-object encoding for event bodies.

Why this exists: every event body on Kafka is an Avro record written with the writer
schema's 8-byte CRC-64-AVRO fingerprint in front (marker ``C3 01``), so a reader can find
the exact writer schema in ``schemas/`` and resolve it to the newest version it knows.
Fingerprints are computed once per schema version, from the specification's Parsing
Canonical Form and its CRC-64-AVRO, both fastavro's (the form drops logical-type
attributes as the spec requires).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import fastavro
from fastavro.schema import fingerprint as avro_fingerprint
from fastavro.schema import to_parsing_canonical_form

MARKER = b"\xc3\x01"
HEADER_LENGTH = 10


def canonical_form(schema: Mapping[str, Any]) -> str:
    """The specification's Parsing Canonical Form of a schema."""
    return str(to_parsing_canonical_form(fastavro.parse_schema(dict(schema), _write_hint=False)))


def fingerprint(schema: Mapping[str, Any]) -> bytes:
    """8-byte little-endian CRC-64-AVRO fingerprint, as single-object encoding writes it
    (fastavro's ``CRC-64-AVRO`` hex digest is already in that byte order)."""
    return bytes.fromhex(avro_fingerprint(canonical_form(schema), "CRC-64-AVRO"))


class DecodeError(ValueError):
    """The bytes are not a readable single-object encoded Avro record."""


class UnknownSchemaError(DecodeError):
    """The writer schema's fingerprint is not among the schemas this reader ships."""


@dataclass(frozen=True)
class Decoded:
    """A decoded event body: which event type, which writer version, and the record."""

    full_name: str
    writer_version: int
    record: dict[str, Any]


@dataclass(frozen=True)
class _Writer:
    full_name: str
    version: int
    parsed: Any


class AvroCodec:
    """Encodes with the newest version of a type; decodes any known version into the newest."""

    def __init__(self, schemas: Iterable[tuple[str, int, Mapping[str, Any]]]) -> None:
        self._writers: dict[bytes, _Writer] = {}
        self._latest: dict[str, tuple[bytes, Any, int]] = {}
        for full_name, version, schema in schemas:
            parsed = fastavro.parse_schema(dict(schema), named_schemas={})
            fp = fingerprint(schema)
            self._writers[fp] = _Writer(full_name, version, parsed)
            current = self._latest.get(full_name)
            if current is None or version > current[2]:
                self._latest[full_name] = (MARKER + fp, parsed, version)

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(self._latest)

    def latest_version(self, full_name: str) -> int:
        return self._latest[full_name][2]

    def encode(self, full_name: str, record: Mapping[str, Any]) -> bytes:
        try:
            header, parsed, _ = self._latest[full_name]
        except KeyError:
            raise KeyError(f"no schema for event type {full_name!r} in schemas/") from None
        buffer = io.BytesIO()
        buffer.write(header)
        fastavro.schemaless_writer(buffer, parsed, dict(record))
        return buffer.getvalue()

    def decode(self, data: bytes) -> Decoded:
        if len(data) < HEADER_LENGTH or data[:2] != MARKER:
            raise DecodeError("not Avro single-object encoding (missing C3 01 marker)")
        fp = data[2:HEADER_LENGTH]
        writer = self._writers.get(fp)
        if writer is None:
            raise UnknownSchemaError(f"unknown writer schema fingerprint {fp.hex()}")
        _, reader, _ = self._latest[writer.full_name]
        buffer = io.BytesIO(data)
        buffer.seek(HEADER_LENGTH)
        try:
            record = fastavro.schemaless_reader(
                buffer, writer.parsed, None if reader is writer.parsed else reader
            )
        except Exception as exc:  # fastavro raises many types on corrupt input
            raise DecodeError(f"corrupt Avro body for {writer.full_name}: {exc}") from exc
        if buffer.tell() != len(data):
            raise DecodeError(f"trailing bytes after Avro body for {writer.full_name}")
        if not isinstance(record, dict):
            raise DecodeError(f"body of {writer.full_name} is not a record")
        return Decoded(writer.full_name, writer.version, record)
