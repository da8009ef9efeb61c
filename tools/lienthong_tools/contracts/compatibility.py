"""FULL_TRANSITIVE compatibility of every event type's schema versions.

Why this exists: events are kept forever and replayed by auditors, and agencies upgrade
their consumers on their own schedule. So a new version must be readable by every old
reader, and every old event must be readable by the new reader — against all earlier
versions, not only the previous one (see ``docs/adr/0002-schema-compatibility-full-transitive.md``).
The check uses the official ``avro`` package's ``ReaderWriterCompatibilityChecker``, the
same rules as the Java implementation, rather than a home-made interpretation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import avro.errors
import avro.schema
from avro.compatibility import (
    ReaderWriterCompatibilityChecker,
    SchemaCompatibilityResult,
    SchemaCompatibilityType,
)

from lienthong.contracts.schemas import SchemaSet

Direction = Literal["backward", "forward"]
"""``backward``: the new version reads data written with an old one.
``forward``: an old version reads data written with the new one."""


@dataclass(frozen=True)
class CompatibilityProblem:
    """One reason why ``new_version`` of an event type breaks ``old_version``."""

    event_type: str
    new_version: int
    old_version: int
    direction: Direction
    message: str

    @property
    def reader_version(self) -> int:
        return self.new_version if self.direction == "backward" else self.old_version

    @property
    def writer_version(self) -> int:
        return self.old_version if self.direction == "backward" else self.new_version

    def __str__(self) -> str:
        return (
            f"{self.event_type} v{self.new_version} vs v{self.old_version} ({self.direction}:"
            f" reader v{self.reader_version} cannot read writer v{self.writer_version}):"
            f" {self.message}"
        )


def check_compatibility(schemas: SchemaSet) -> list[CompatibilityProblem]:
    """Every FULL_TRANSITIVE violation in the set; empty when all versions are compatible."""
    problems: list[CompatibilityProblem] = []
    for event_type in schemas.names():
        problems.extend(check_event_versions(event_type, schemas.versions(event_type)))
    return problems


def check_event_versions(
    event_type: str, versions: Sequence[Mapping[str, Any]]
) -> list[CompatibilityProblem]:
    """Check each version of one event type (oldest first) against all its predecessors."""
    problems: list[CompatibilityProblem] = []
    parsed: list[avro.schema.Schema] = []
    for index, schema in enumerate(versions):
        number = index + 1
        try:
            parsed.append(avro.schema.parse(json.dumps(schema)))
        except (avro.errors.AvroException, ValueError, TypeError) as exc:
            reason = f"the avro package cannot parse v{number}: {exc}"
            problems.append(CompatibilityProblem(event_type, number, number, "backward", reason))
            return problems
    for new_index in range(1, len(parsed)):
        for old_index in range(new_index):
            new, old = parsed[new_index], parsed[old_index]
            pairs: tuple[tuple[Direction, avro.schema.Schema, avro.schema.Schema], ...] = (
                ("backward", new, old),
                ("forward", old, new),
            )
            for direction, reader, writer in pairs:
                message = reader_writer_incompatibility(reader, writer)
                if message is not None:
                    problems.append(
                        CompatibilityProblem(
                            event_type, new_index + 1, old_index + 1, direction, message
                        )
                    )
    return problems


def reader_writer_incompatibility(
    reader: avro.schema.Schema, writer: avro.schema.Schema
) -> str | None:
    """Avro's account of why ``reader`` cannot read data written by ``writer``, or None."""
    # A fresh checker per pair: its memo is keyed by object identity and never cleared.
    checker = ReaderWriterCompatibilityChecker()  # type: ignore[no-untyped-call]
    result: SchemaCompatibilityResult = checker.get_compatibility(reader, writer)
    if result.compatibility is SchemaCompatibilityType.compatible:
        return None
    kinds = ", ".join(sorted({kind.value for kind in result.incompatibilities}))
    locations = ", ".join(sorted(result.locations))
    details = "; ".join(sorted(result.messages))
    return f"{kinds} at {locations}: {details}"
