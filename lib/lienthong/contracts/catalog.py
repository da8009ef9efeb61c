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
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    ValidationError,
    model_validator,
)

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
        try:
            topics.append(TopicEntry.model_validate(entry).topic())
        except ValidationError as exc:
            problems.extend(f"{label}: {problem}" for problem in _entry_problems(exc))
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


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


_Text = Annotated[str, AfterValidator(_non_blank)]
_Name = Annotated[str, StringConstraints(min_length=1)]


class TopicEntry(BaseModel):
    """One entry of ``catalog.yaml`` as written: the shape, before the rules against the
    schema set (``catalog_problems``)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: _Text
    description: _Text
    partitions: int
    retention_ms: int
    key: _Text
    key_doc: _Text
    producer: _Text
    consumers: list[_Name]
    event_types: list[_Name]
    personal_readers: dict[str, str | list[str]] | None = None

    @model_validator(mode="after")
    def _readers_are_consumers_with_known_kinds(self) -> TopicEntry:
        problems: list[str] = []
        for consumer, kinds in sorted((self.personal_readers or {}).items()):
            if consumer not in self.consumers:
                problems.append(f"personal reader {consumer!r} is not a consumer")
            listed = [kinds] if isinstance(kinds, str) else kinds
            unknown = [k for k in listed if k != ALL_KINDS and k not in KINDS]
            if unknown:
                problems.append(f"personal_readers.{consumer}: unknown kinds {unknown}")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def topic(self) -> Topic:
        readers = sorted((self.personal_readers or {}).items())
        return Topic(
            personal_readers=tuple(
                (consumer, (kinds,) if isinstance(kinds, str) else tuple(kinds))
                for consumer, kinds in readers
            ),
            name=self.name,
            partitions=self.partitions,
            retention_ms=self.retention_ms,
            key=self.key,
            key_doc=" ".join(self.key_doc.split()),
            event_types=tuple(self.event_types),
            producer=self.producer,
            consumers=tuple(self.consumers),
            description=" ".join(self.description.split()),
        )


_SHAPES = {
    **dict.fromkeys(("name", "description", "key", "key_doc", "producer"), "a non-empty string"),
    **dict.fromkeys(("partitions", "retention_ms"), "an integer"),
    **dict.fromkeys(("consumers", "event_types"), "a list of names"),
}


def _entry_problems(exc: ValidationError) -> list[str]:
    """The catalog's wording of a ``TopicEntry`` validation error: missing and unknown keys
    first, then one line per field of the wrong shape, then the cross-field rules."""
    missing = [
        name
        for name in TopicEntry.model_fields
        if any(e["type"] == "missing" and e["loc"] == (name,) for e in exc.errors())
    ]
    unknown = sorted(str(e["loc"][0]) for e in exc.errors() if e["type"] == "extra_forbidden")
    problems: list[str] = []
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown keys {', '.join(unknown)}")
    if missing:
        return problems
    for error in exc.errors():
        loc = error["loc"]
        if error["type"] in ("missing", "extra_forbidden"):
            continue
        if not loc:  # a model rule: its own wording, one problem a line
            problems.extend(str(error["ctx"]["error"]).split("\n"))
        elif loc[0] in _SHAPES:
            problems.append(f"{loc[0]} must be {_SHAPES[str(loc[0])]}")
        elif len(loc) == 1:
            problems.append(f"personal_readers must map consumers to '{ALL_KINDS}' or kinds")
        else:
            problems.append(f"personal_readers.{loc[1]} must be '{ALL_KINDS}' or kinds")
    return list(dict.fromkeys(problems))
