"""The Avro schemas shipped in ``schemas/events/``, loaded and validated.

Why this exists: ``schemas/`` is the platform's schema registry (no registry server). Every
producer, consumer, codec and generated document reads the same files through one loader,
so a schema that lacks documentation, hides its namespace, references a type from another
file or is not valid Avro is refused once, here, with the file named, instead of failing
later on the hot path of some consumer.

Layout: ``events/<RecordName>/v<N>.avsc``, one directory per event type, one file per
version, versions numbered 1, 2, 3... without gaps.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import fastavro
from fastavro.schema import SchemaParseException, UnknownType

SCHEMAS_DIR_ENV = "LIENTHONG_SCHEMAS_DIR"
EVENTS_SUBDIR = "events"

_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.avsc$")
_NAMED_TYPES = ("record", "error", "enum", "fixed")


def default_schemas_dir() -> Path:
    """``$LIENTHONG_SCHEMAS_DIR`` if set, else the repository's ``schemas/`` directory."""
    configured = os.environ.get(SCHEMAS_DIR_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "schemas"


class SchemaValidationError(ValueError):
    """One or more schema files are invalid; ``problems`` names each file and what is wrong."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class UnknownEventTypeError(LookupError):
    """The schema set has no event type (or no such version) by that name."""


class SchemaSet:
    """Every version of every event type, immutable, keyed by Avro full name.

    Schemas are handed out as fresh copies of the parsed JSON, so no caller can change what
    another caller sees. ``load_schema_set`` builds a validated one from files; building one
    directly from dicts (in tests, say) validates nothing.
    """

    def __init__(
        self,
        versions: Mapping[str, Sequence[Mapping[str, Any]]],
        sources: Mapping[tuple[str, int], Path] | None = None,
    ) -> None:
        frozen = {
            name: tuple(json.dumps(schema, ensure_ascii=False) for schema in schemas)
            for name, schemas in sorted(versions.items())
        }
        self._versions: Mapping[str, tuple[str, ...]] = MappingProxyType(frozen)
        self._sources: Mapping[tuple[str, int], Path] = MappingProxyType(dict(sources or {}))

    def names(self) -> list[str]:
        """Avro full names of all event types, sorted."""
        return list(self._versions)

    def versions(self, full_name: str) -> list[dict[str, Any]]:
        """Every version of one event type, oldest (v1) first."""
        return [json.loads(text) for text in self._texts(full_name)]

    def latest(self, full_name: str) -> dict[str, Any]:
        """The newest version of one event type."""
        return dict(json.loads(self._texts(full_name)[-1]))

    def latest_version_number(self, full_name: str) -> int:
        """The number ``N`` of the newest ``vN.avsc`` of one event type."""
        return len(self._texts(full_name))

    def version_of(self, full_name: str, version: int) -> dict[str, Any]:
        """Version ``version`` (1-based, as in ``v<version>.avsc``) of one event type."""
        texts = self._texts(full_name)
        if not 1 <= version <= len(texts):
            raise UnknownEventTypeError(
                f"{full_name} has no version {version} (has 1..{len(texts)})"
            )
        return dict(json.loads(texts[version - 1]))

    def all_versions(self) -> Iterator[tuple[str, int, dict[str, Any]]]:
        """``(full_name, version_number, schema)`` for every version, by name then version."""
        for full_name, texts in self._versions.items():
            for index, text in enumerate(texts):
                yield full_name, index + 1, json.loads(text)

    def source(self, full_name: str, version: int) -> Path | None:
        """The file a version was loaded from, when it was loaded from disk."""
        return self._sources.get((full_name, version))

    def __contains__(self, full_name: object) -> bool:
        return full_name in self._versions

    def __len__(self) -> int:
        return len(self._versions)

    def __repr__(self) -> str:
        return f"SchemaSet({len(self._versions)} event types)"

    def _texts(self, full_name: str) -> tuple[str, ...]:
        try:
            return self._versions[full_name]
        except KeyError:
            raise UnknownEventTypeError(f"no event type {full_name!r} in the schema set") from None


def load_schema_set(schemas_dir: Path | None = None) -> SchemaSet:
    """Read and validate every ``events/*/v*.avsc`` under ``schemas_dir``.

    Raises ``SchemaValidationError`` listing every problem found, each naming its file.
    """
    root = schemas_dir if schemas_dir is not None else default_schemas_dir()
    events_dir = root / EVENTS_SUBDIR
    if not events_dir.is_dir():
        raise SchemaValidationError([f"{events_dir}: no such directory"])

    problems: list[str] = []
    versions: dict[str, list[dict[str, Any]]] = {}
    sources: dict[tuple[str, int], Path] = {}
    event_dirs = (p for p in events_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    for event_dir in sorted(event_dirs):
        loaded = _load_event_dir(event_dir, problems)
        if not loaded:
            continue
        full_names = {_full_name(schema, None) for _, schema in loaded}
        if len(full_names) > 1:
            names = ", ".join(sorted(full_names))
            problems.append(
                f"{event_dir}: versions disagree on the full name ({names});"
                " an event type keeps its name and namespace forever"
            )
            continue
        (full_name,) = full_names
        versions[full_name] = [schema for _, schema in loaded]
        for number, (path, _) in enumerate(loaded, start=1):
            sources[(full_name, number)] = path
    if problems:
        raise SchemaValidationError(problems)
    if not versions:
        raise SchemaValidationError([f"{events_dir}: no event schemas found"])
    return SchemaSet(versions, sources)


def schema_problems(schema: Any, where: str, expected_name: str | None = None) -> list[str]:
    """What is wrong with one schema document (empty when it is acceptable).

    ``where`` prefixes every problem (usually the file path); ``expected_name`` is the
    record's required short name (the directory name) when known.
    """
    if not isinstance(schema, dict) or schema.get("type") != "record":
        return [f"{where}: the top-level schema must be an Avro record"]
    problems: list[str] = []
    short_name = str(schema.get("name", "")).rsplit(".", 1)[-1]
    if expected_name is not None and short_name != expected_name:
        problems.append(
            f"{where}: record name {short_name!r} does not match its directory {expected_name!r}"
        )
    _check_named_types(schema, None, where, problems)
    if problems:
        return problems
    try:
        fastavro.parse_schema(schema, named_schemas={})
    except UnknownType as exc:
        problems.append(
            f"{where}: unknown type {exc.name!r}; named types must be defined inline in each"
            " schema file (no references across files)"
        )
    except (SchemaParseException, ValueError, TypeError, KeyError) as exc:
        problems.append(f"{where}: not a valid Avro schema: {exc}")
    return problems


def _load_event_dir(event_dir: Path, problems: list[str]) -> list[tuple[Path, dict[str, Any]]]:
    numbered: dict[int, Path] = {}
    for path in sorted(event_dir.glob("*.avsc")):
        match = _VERSION_FILE.match(path.name)
        if match is None:
            problems.append(f"{path}: schema files must be named v1.avsc, v2.avsc, ...")
            continue
        numbered[int(match.group(1))] = path
    if not numbered:
        problems.append(f"{event_dir}: no v1.avsc")
        return []
    expected = list(range(1, len(numbered) + 1))
    if sorted(numbered) != expected:
        present = ", ".join(f"v{n}" for n in sorted(numbered))
        problems.append(f"{event_dir}: versions must be v1..vN without gaps (found {present})")
        return []

    loaded: list[tuple[Path, dict[str, Any]]] = []
    for number in expected:
        path = numbered[number]
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"{path}: cannot read JSON: {exc}")
            continue
        found = schema_problems(schema, str(path), expected_name=event_dir.name)
        if found:
            problems.extend(found)
            continue
        loaded.append((path, schema))
    return loaded if len(loaded) == len(expected) else []


def _full_name(named: Mapping[str, Any], enclosing_namespace: str | None) -> str:
    name = str(named["name"])
    if "." in name:
        return name
    namespace = named.get("namespace", enclosing_namespace)
    return f"{namespace}.{name}" if namespace else name


def _namespace_of(named: Mapping[str, Any], enclosing_namespace: str | None) -> str | None:
    full_name = _full_name(named, enclosing_namespace)
    return full_name.rsplit(".", 1)[0] if "." in full_name else None


def _check_named_types(
    node: Any, enclosing_namespace: str | None, where: str, problems: list[str]
) -> None:
    """Walk a schema: every named type has a namespace; every record and field a ``doc``."""
    if isinstance(node, list):
        for branch in node:
            _check_named_types(branch, enclosing_namespace, where, problems)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "array":
        _check_named_types(node.get("items"), enclosing_namespace, where, problems)
        return
    if kind == "map":
        _check_named_types(node.get("values"), enclosing_namespace, where, problems)
        return
    if kind not in _NAMED_TYPES:
        if isinstance(kind, dict | list):
            _check_named_types(kind, enclosing_namespace, where, problems)
        return
    if not isinstance(node.get("name"), str) or not node["name"]:
        problems.append(f"{where}: a {kind} has no name")
        return
    namespace = _namespace_of(node, enclosing_namespace)
    full_name = _full_name(node, enclosing_namespace)
    if namespace is None:
        problems.append(f"{where}: {kind} {full_name!r} has no namespace")
    if kind not in ("record", "error"):
        return
    if not _has_doc(node):
        problems.append(f"{where}: record {full_name!r} has no doc")
    fields = node.get("fields")
    if not isinstance(fields, list):
        problems.append(f"{where}: record {full_name!r} has no fields list")
        return
    for field in fields:
        if not isinstance(field, dict):
            problems.append(f"{where}: record {full_name!r} has a field that is not an object")
            continue
        if not _has_doc(field):
            problems.append(f"{where}: field {full_name}.{field.get('name', '?')} has no doc")
        _check_named_types(field.get("type"), namespace, where, problems)


def _has_doc(node: Mapping[str, Any]) -> bool:
    doc = node.get("doc")
    return isinstance(doc, str) and bool(doc.strip())
