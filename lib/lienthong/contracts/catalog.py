"""The topic catalog: every Kafka topic, its key, event types, producer and consumers.

Why this exists: topics are declared once, in ``schemas/catalog.yaml``, next to the schemas
they carry. Provisioning, the AsyncAPI document and the services' wiring all read this one
declaration, so a topic cannot be created with the wrong retention, carry an event type that
has no schema, or be keyed by personal data without the check failing first.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lienthong.contracts.personal import KINDS
from lienthong.contracts.schemas import (
    SchemaSet,
    UnknownEventTypeError,
    default_schemas_dir,
    load_schema_set,
)

CATALOG_FILE = "catalog.yaml"
DEAD_LETTER_SUFFIX = ".dlq"
KEEP_FOREVER = -1
"""``retention.ms`` for topics whose history is kept forever."""

PERSONAL_DATA_FIELDS = frozenset({"id_number", "full_name", "birth_date", "gender"})
"""Fields that must never be a partition key: keys are visible to every broker tool."""

_TOPIC_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$")
_REQUIRED_KEYS = (
    "name",
    "description",
    "partitions",
    "retention_ms",
    "key",
    "key_doc",
    "producer",
    "consumers",
    "event_types",
)
_OPTIONAL_KEYS = ("personal_readers",)
ALL_KINDS = "all"


@dataclass(frozen=True)
class Topic:
    """One Kafka topic as the catalog declares it.

    For a dead-letter topic (``dead_letter`` true) ``producer`` is empty — every consumer of
    ``source_topic`` writes its poison records there — and it has no consumers of its own.
    """

    name: str
    partitions: int
    retention_ms: int
    key: str
    key_doc: str
    event_types: tuple[str, ...]
    producer: str
    consumers: tuple[str, ...]
    description: str
    dead_letter: bool = False
    personal_readers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Consumers entitled to personal fields of this topic's events, and which kinds
    (``("all",)`` for every kind). Every other consumer reads them masked."""

    def personal_kinds_for(self, consumer: str) -> frozenset[str] | None:
        """Kinds ``consumer`` may read in clear; None: every kind; empty: none."""
        for reader, kinds in self.personal_readers:
            if reader == consumer:
                return None if ALL_KINDS in kinds else frozenset(kinds)
        return frozenset()

    @property
    def source_topic(self) -> str | None:
        """For a dead-letter topic, the topic whose poison records it holds."""
        return self.name.removesuffix(DEAD_LETTER_SUFFIX) if self.dead_letter else None

    @property
    def dead_letter_topic(self) -> str | None:
        """The name of this topic's dead-letter topic, if it has consumers to need one."""
        if self.dead_letter or not self.consumers:
            return None
        return self.name + DEAD_LETTER_SUFFIX


class CatalogError(ValueError):
    """The catalog is invalid; ``problems`` lists everything found wrong."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class UnknownTopicError(LookupError):
    """No topic of that name in the catalog."""


class Catalog:
    """The validated catalog, with a dead-letter topic derived for each consumed topic."""

    def __init__(self, topics: Sequence[Topic]) -> None:
        self._topics = tuple(topics)
        self._dead_letters = tuple(
            dead_letter_topic_for(topic) for topic in self._topics if topic.consumers
        )
        self._by_name = {topic.name: topic for topic in self.all_topics()}

    def topics(self) -> list[Topic]:
        """The declared topics, in catalog order (no dead-letter topics)."""
        return list(self._topics)

    def dead_letter_topics(self) -> list[Topic]:
        """One ``<name>.dlq`` topic per declared topic that has consumers."""
        return list(self._dead_letters)

    def all_topics(self) -> list[Topic]:
        """Declared topics then dead-letter topics: everything to provision."""
        return [*self._topics, *self._dead_letters]

    def topic(self, name: str) -> Topic:
        """A declared or dead-letter topic by name."""
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownTopicError(f"no topic {name!r} in the catalog") from None

    def topics_for_event(self, full_name: str) -> list[Topic]:
        """The declared topics an event type is published on (never dead-letter topics)."""
        return [topic for topic in self._topics if full_name in topic.event_types]

    def topics_consumed_by(self, service: str) -> list[Topic]:
        """The declared topics a service consumes."""
        return [topic for topic in self._topics if service in topic.consumers]

    def topics_produced_by(self, service: str) -> list[Topic]:
        """The declared topics a service publishes on."""
        return [topic for topic in self._topics if topic.producer == service]

    def route(self, full_name: str) -> Topic:
        """The one declared topic an event type is published on; its ``key`` names the
        record field that is the partition key.

        Raises ``UnknownTopicError`` if no topic, or more than one, carries the type.
        """
        found = self.topics_for_event(full_name)
        if len(found) != 1:
            where = ", ".join(t.name for t in found) or "no topic"
            raise UnknownTopicError(f"{full_name} must be on exactly one topic, not {where}")
        return found[0]

    def __repr__(self) -> str:
        return f"Catalog({len(self._topics)} topics, {len(self._dead_letters)} dead-letter)"


def default_catalog_path() -> Path:
    return default_schemas_dir() / CATALOG_FILE


@functools.cache
def default_catalog() -> Catalog:
    """The catalog of the schemas directory in use, read and validated once per process."""
    return load_catalog(load_schema_set(default_schemas_dir()))


def dead_letter_topic_for(topic: Topic) -> Topic:
    """The dead-letter topic of ``topic``: same partitions and key, history kept forever."""
    return Topic(
        name=topic.name + DEAD_LETTER_SUFFIX,
        partitions=topic.partitions,
        retention_ms=KEEP_FOREVER,
        key=topic.key,
        key_doc=topic.key_doc,
        event_types=topic.event_types,
        producer="",
        consumers=(),
        description=(
            f"Dead letters of {topic.name}: records its consumers could not process, with the"
            " original key and bytes and the reason, so the source partition keeps flowing."
        ),
        dead_letter=True,
    )


def load_catalog(schemas: SchemaSet, path: Path | None = None) -> Catalog:
    """Read ``catalog.yaml`` and validate it against ``schemas``.

    Raises ``CatalogError`` listing every problem found.
    """
    catalog_path = path if path is not None else default_catalog_path()
    try:
        document = yaml.safe_load(catalog_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError([f"{catalog_path}: cannot read: {exc.strerror or exc}"]) from exc
    except yaml.YAMLError as exc:
        raise CatalogError([f"{catalog_path}: invalid YAML: {exc}"]) from exc
    topics, problems = parse_topics(document, str(catalog_path))
    # A malformed entry would also show up as "event type on no topic": say it once.
    problems.extend(catalog_problems(topics, schemas, check_coverage=not problems))
    if problems:
        raise CatalogError(problems)
    return Catalog(topics)


def parse_topics(document: Any, where: str) -> tuple[list[Topic], list[str]]:
    """Topics from a parsed catalog document, and what is malformed in it."""
    if not isinstance(document, dict) or not isinstance(document.get("topics"), list):
        return [], [f"{where}: expected a mapping with a 'topics' list"]
    topics: list[Topic] = []
    problems: list[str] = []
    for index, entry in enumerate(document["topics"]):
        label = f"{where}: topics[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{label}: expected a mapping")
            continue
        if isinstance(entry.get("name"), str):
            label = f"{where}: topic {entry['name']}"
        missing = [key for key in _REQUIRED_KEYS if key not in entry]
        unknown = sorted(set(entry) - set(_REQUIRED_KEYS) - set(_OPTIONAL_KEYS))
        if missing:
            problems.append(f"{label}: missing {', '.join(missing)}")
        if unknown:
            problems.append(f"{label}: unknown keys {', '.join(map(str, unknown))}")
        if missing:
            continue
        topic, shape_problems = _topic_from_entry(entry, label)
        problems.extend(shape_problems)
        if topic is not None:
            topics.append(topic)
    return topics, problems


def catalog_problems(
    topics: Sequence[Topic], schemas: SchemaSet, *, check_coverage: bool = True
) -> list[str]:
    """Rule violations of declared topics against the schema set.

    ``check_coverage`` also requires every event type of the set to be on some topic.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for topic in topics:
        label = f"topic {topic.name}"
        if topic.name in seen:
            problems.append(f"{label}: declared twice")
        seen.add(topic.name)
        problems.extend(_topic_problems(topic, schemas, label))
    names = {topic.name for topic in topics}
    for topic in topics:
        dead_letter = topic.dead_letter_topic
        if dead_letter is not None and dead_letter in names:
            problems.append(f"topic {dead_letter}: clashes with the derived dead-letter topic")
    if not check_coverage:
        return problems
    published = {event_type for topic in topics for event_type in topic.event_types}
    problems.extend(
        f"event type {name}: has a schema but is on no topic in the catalog"
        for name in schemas.names()
        if name not in published
    )
    return problems


def _topic_problems(topic: Topic, schemas: SchemaSet, label: str) -> list[str]:
    problems: list[str] = []
    if not _TOPIC_NAME.match(topic.name):
        problems.append(f"{label}: name must be dot-separated lowercase words")
    if topic.name.endswith(DEAD_LETTER_SUFFIX):
        problems.append(f"{label}: '{DEAD_LETTER_SUFFIX}' topics are derived, not declared")
    if topic.partitions < 1:
        problems.append(f"{label}: partitions must be at least 1")
    if topic.name.endswith(".events") and topic.retention_ms != KEEP_FOREVER:
        problems.append(f"{label}: event topics keep history forever (retention_ms: -1)")
    elif topic.retention_ms < KEEP_FOREVER or topic.retention_ms == 0:
        problems.append(f"{label}: retention_ms must be -1 (forever) or positive")
    if not topic.producer:
        problems.append(f"{label}: no producer")
    if not topic.event_types:
        problems.append(f"{label}: carries no event types")
    if topic.key in PERSONAL_DATA_FIELDS:
        problems.append(f"{label}: key {topic.key!r} is personal data; keys must be pseudonymous")
    for event_type in topic.event_types:
        try:
            schema = schemas.latest(event_type)
        except UnknownEventTypeError:
            problems.append(f"{label}: event type {event_type} has no schema in schemas/events/")
            continue
        key_problem = _key_field_problem(schema, topic.key)
        if key_problem is not None:
            problems.append(f"{label}: event type {event_type} {key_problem}")
    return problems


def _key_field_problem(schema: Mapping[str, Any], key: str) -> str | None:
    """Producers take the key from the event body, so every event must carry it as a string."""
    for field in schema.get("fields", []):
        if field.get("name") != key:
            continue
        field_type = field.get("type")
        base = field_type.get("type") if isinstance(field_type, dict) else field_type
        if base != "string":
            return f"has key field {key!r} but it is not a non-null string"
        return None
    return f"has no key field {key!r}"


def _personal_readers(
    value: Any, entry: Mapping[str, Any], label: str
) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], list[str]]:
    if value is None:
        return (), []
    if not isinstance(value, dict):
        return (), [f"{label}: personal_readers must map consumers to '{ALL_KINDS}' or kinds"]
    problems: list[str] = []
    readers: list[tuple[str, tuple[str, ...]]] = []
    consumers = entry.get("consumers") or []
    for consumer, kinds in sorted(value.items()):
        if consumer not in consumers:
            problems.append(f"{label}: personal reader {consumer!r} is not a consumer")
        listed = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(listed, list) or not all(isinstance(k, str) for k in listed):
            problems.append(f"{label}: personal_readers.{consumer} must be '{ALL_KINDS}' or kinds")
            continue
        unknown = [k for k in listed if k != ALL_KINDS and k not in KINDS]
        if unknown:
            problems.append(f"{label}: personal_readers.{consumer}: unknown kinds {unknown}")
        readers.append((str(consumer), tuple(listed)))
    return tuple(readers), problems


def _topic_from_entry(entry: Mapping[str, Any], label: str) -> tuple[Topic | None, list[str]]:
    problems: list[str] = []
    for key in ("name", "description", "key", "key_doc", "producer"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            problems.append(f"{label}: {key} must be a non-empty string")
    for key in ("partitions", "retention_ms"):
        if not isinstance(entry[key], int) or isinstance(entry[key], bool):
            problems.append(f"{label}: {key} must be an integer")
    for key in ("consumers", "event_types"):
        value = entry[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append(f"{label}: {key} must be a list of names")
    readers, reader_problems = _personal_readers(entry.get("personal_readers"), entry, label)
    problems.extend(reader_problems)
    if problems:
        return None, problems
    return (
        Topic(
            personal_readers=readers,
            name=entry["name"],
            partitions=entry["partitions"],
            retention_ms=entry["retention_ms"],
            key=entry["key"],
            key_doc=" ".join(entry["key_doc"].split()),
            event_types=tuple(entry["event_types"]),
            producer=entry["producer"],
            consumers=tuple(entry["consumers"]),
            description=" ".join(entry["description"].split()),
        ),
        problems,
    )
