"""Personal fields declared in the contracts: which field holds what, and whose it is.

Why this exists: event bodies carry names, ID numbers and birth dates, and topics keep them
forever. Encrypting them (``lienthong.personal``), masking them for consumers that are not
entitled, and erasing them all start from one declaration in the schema itself: a field
property ``"personal": "<kind>"``. The check here refuses a schema whose field looks like
personal data but is not marked, a mark of an unknown kind, a marked field whose owner
cannot be found, and a version that drops a mark an earlier version had.

Whose data a field is: the personal fields of a record belong to the person named by that
record's ``subject_id`` field (the pseudonymous id already used as partition key). A record
whose personal fields belong to someone named elsewhere says so with a record property
``"personal_subject": "<dotted path from that record>"`` (``child.subject_id``). A dossier
names several citizens; each person record is sealed under its own citizen's key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from lienthong.contracts.schemas import SchemaSet

PERSONAL = "personal"
PERSONAL_SUBJECT = "personal_subject"
DEFAULT_SUBJECT_FIELD = "subject_id"
NOT_PERSONAL = "none"
"""``"personal": "none"``: the field's name looks personal but it holds no personal data."""

SEALED_FIELD = "sealed_personal"
"""The ``["null", "bytes"]`` field of a record that carries its personal fields sealed."""
EPOCH = date(1970, 1, 1)

KINDS: Mapping[str, str] = {
    "id_number": "a 12-digit personal ID number (CCCD)",
    "name": "a person's full name",
    "birth_date": "a date of birth",
    "gender": "gender",
    "address": "a place or address tied to a person (place of birth, of death, residence)",
    "insurance_number": "a health-insurance card number",
    "particulars": "a changed personal particular (name, birth date... before or after)",
}
"""The kinds a ``personal`` mark may name."""

_LOOKS_PERSONAL = re.compile(
    r"(^|_)("
    r"id_number|full_name|given_name|family_name|middle_name|"
    r"(mother|father|spouse|child|guardian|holder|deceased|applicant)_name|"
    r"birth_date|date_of_birth|dob|gender|sex|"
    r"address|place_of_birth|place_of_death|place_of_residence|hometown|"
    r"phone|phone_number|email|card_number|passport(_number)?|tax_code|"
    r"old_value|new_value"
    r")$"
)


def looks_personal(field_name: str) -> bool:
    """Whether a field's name suggests personal data (so it must carry a mark)."""
    return _LOOKS_PERSONAL.search(field_name) is not None


@dataclass(frozen=True)
class PersonalField:
    """One marked field: where it is, what it holds, and whose it is."""

    path: str
    """Dotted path from the top record; ``[]`` marks an array (``persons[].full_name``)."""
    kind: str
    record: str
    """Full name of the record that holds the field."""
    subject_path: str
    """Dotted path, from that record, of the field naming the person (``subject_id``)."""
    nullable: bool = False
    value_type: str = "text"
    """``text``, ``date`` or ``enum``."""
    placeholder: Any = None
    """The value the field holds on the wire while it is sealed (a valid value of its type)."""

    @property
    def is_date(self) -> bool:
        return self.value_type == "date"

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def record_path(self) -> str:
        """Path of the holding record (``persons[]``; empty for the top record)."""
        return self.path[: -len(self.name)].rstrip(".")


@dataclass(frozen=True)
class _Named:
    namespace: str | None
    node: Mapping[str, Any]


def personal_fields(schema: Mapping[str, Any]) -> list[PersonalField]:
    """Every field marked with a personal kind (``none`` excluded), in schema order."""
    return [f for f, _ in _walk(schema) if f is not None]


def personal_problems(schema: Mapping[str, Any], where: str) -> list[str]:
    """What is wrong with one schema's personal marks (empty when it is acceptable)."""
    problems: list[str] = []
    for marked, issue in _walk(schema):
        if issue is not None:
            problems.append(f"{where}: {issue}")
        del marked
    return problems


def mark_problems_across_versions(
    event_type: str, versions: Sequence[Mapping[str, Any]]
) -> list[str]:
    """A field marked in one version must keep its mark in every later version having it."""
    problems: list[str] = []
    for index in range(1, len(versions)):
        earlier = {f.path: f.kind for v in versions[:index] for f in personal_fields(v)}
        current = versions[index]
        present = set(_all_paths(current))
        now = {f.path: f.kind for f in personal_fields(current)}
        for path, kind in sorted(earlier.items()):
            if path in present and now.get(path) != kind:
                problems.append(
                    f"{event_type} v{index + 1}: field {path} was marked personal {kind!r}"
                    f" in an earlier version and is now {now.get(path, 'unmarked')!r}"
                )
    return problems


def _all_paths(schema: Mapping[str, Any]) -> Iterator[str]:
    named: dict[str, _Named] = {}

    def walk(node: Any, prefix: str, namespace: str | None, seen: frozenset[str]) -> Iterator[str]:
        record = _record_of(node, namespace, named)
        if record is None:
            return
        full, ns, body = record
        if full in seen:
            return
        for field in body.get("fields", []):
            path = prefix + str(field.get("name"))
            yield path
            yield from walk(
                field.get("type"),
                _child_prefix(field.get("type"), path, named, ns),
                ns,
                seen | {full},
            )

    yield from walk(schema, "", None, frozenset())


def _child_prefix(field_type: Any, path: str, named: Mapping[str, _Named], ns: str | None) -> str:
    return path + ("[]." if _is_array(field_type, named, ns) else ".")


def _is_array(node: Any, named: Mapping[str, _Named], ns: str | None) -> bool:
    if isinstance(node, list):
        return any(_is_array(branch, named, ns) for branch in node)
    return isinstance(node, dict) and node.get("type") == "array"


def _record_of(
    node: Any, namespace: str | None, named: dict[str, _Named]
) -> tuple[str, str | None, Mapping[str, Any]] | None:
    """The record a field type holds (through unions and arrays), registering named types."""
    if isinstance(node, list):
        for branch in node:
            found = _record_of(branch, namespace, named)
            if found is not None:
                return found
        return None
    if isinstance(node, str):
        full = node if "." in node else (f"{namespace}.{node}" if namespace else node)
        ref = named.get(full)
        if ref is not None and ref.node.get("type") == "record":
            return full, ref.namespace, ref.node
        return None
    if not isinstance(node, dict):
        return None
    kind = node.get("type")
    if kind == "array":
        return _record_of(node.get("items"), namespace, named)
    if kind in ("record", "enum", "fixed"):
        name = str(node.get("name"))
        full = name if "." in name else f"{node.get('namespace', namespace)}.{name}"
        ns = full.rsplit(".", 1)[0] if "." in full else None
        named.setdefault(full, _Named(ns, node))
        if kind == "record":
            return full, ns, node
        return None
    if isinstance(kind, dict | list):
        return _record_of(kind, namespace, named)
    return None


def _register_named(node: Any, namespace: str | None, named: dict[str, _Named]) -> None:
    """Register every named type in a field type (enums too), for later references."""
    if isinstance(node, list):
        for branch in node:
            _register_named(branch, namespace, named)
    elif isinstance(node, dict):
        kind = node.get("type")
        if kind in ("record", "enum", "fixed"):
            _record_of(node, namespace, named)
        elif kind == "array":
            _register_named(node.get("items"), namespace, named)
        elif isinstance(kind, dict | list):
            _register_named(kind, namespace, named)


def _walk(schema: Mapping[str, Any]) -> Iterator[tuple[PersonalField | None, str | None]]:
    named: dict[str, _Named] = {}

    def walk(
        node: Any, prefix: str, namespace: str | None, seen: frozenset[str]
    ) -> Iterator[tuple[PersonalField | None, str | None]]:
        record = _record_of(node, namespace, named)
        if record is None:
            return
        full, ns, body = record
        if full in seen:
            return
        fields = [f for f in body.get("fields", []) if isinstance(f, dict)]
        subject_path = body.get(PERSONAL_SUBJECT, DEFAULT_SUBJECT_FIELD)
        subject_ok: bool | None = None
        for field in fields:
            name = str(field.get("name"))
            path = prefix + name
            _register_named(field.get("type"), ns, named)
            mark = field.get(PERSONAL)
            if mark is None:
                if looks_personal(name):
                    yield (
                        None,
                        (
                            f"field {path} looks like personal data but has no"
                            f' "{PERSONAL}" mark (one of {", ".join(KINDS)}, or "{NOT_PERSONAL}")'
                        ),
                    )
            elif mark == NOT_PERSONAL:
                pass
            elif mark not in KINDS:
                yield None, f"field {path}: unknown personal kind {mark!r}"
            else:
                if subject_ok is None:
                    subject_ok = _resolves_to_string(body, str(subject_path), ns, named)
                    if not subject_ok:
                        yield (
                            None,
                            (
                                f"record {full} has personal fields but {subject_path!r} is not a"
                                f' string field naming their person (set "{PERSONAL_SUBJECT}")'
                            ),
                        )
                if _is_record_type(field.get("type"), ns, named):
                    yield None, f"field {path}: mark the fields of a record, not the record"
                shape = _wire_shape(field.get("type"), ns, named)
                if shape is None:
                    yield None, f"field {path}: a personal field must be text, a date or an enum"
                    continue
                nullable, value_type, placeholder = shape
                yield (
                    PersonalField(
                        path, str(mark), full, str(subject_path), nullable, value_type, placeholder
                    ),
                    None,
                )
            yield from walk(
                field.get("type"),
                _child_prefix(field.get("type"), path, named, ns),
                ns,
                seen | {full},
            )

    yield from walk(schema, "", None, frozenset())


def _wire_shape(
    node: Any, ns: str | None, named: dict[str, _Named]
) -> tuple[bool, str, Any] | None:
    """(nullable, value type, placeholder) of a personal field's type; None if unsupported."""
    if isinstance(node, list):
        others = [branch for branch in node if branch != "null"]
        if len(others) != 1:
            return None
        inner = _wire_shape(others[0], ns, named)
        if inner is None or len(others) == len(node):
            return inner
        return True, inner[1], None
    if node == "string":
        return False, "text", ""
    if isinstance(node, dict) and node.get("type") == "int" and node.get("logicalType") == "date":
        return False, "date", EPOCH
    if isinstance(node, str):
        full = node if "." in node else (f"{ns}.{node}" if ns else node)
        ref = named.get(full)
        node = ref.node if ref is not None else node
    if isinstance(node, dict) and node.get("type") == "enum":
        symbols = node.get("symbols") or [None]
        return False, "enum", node.get("default", symbols[0])
    return None


def _is_record_type(node: Any, ns: str | None, named: dict[str, _Named]) -> bool:
    return _record_of(node, ns, named) is not None


def _resolves_to_string(
    body: Mapping[str, Any], dotted: str, ns: str | None, named: dict[str, _Named]
) -> bool:
    head, _, rest = dotted.partition(".")
    for field in body.get("fields", []):
        if not isinstance(field, dict) or field.get("name") != head:
            continue
        field_type = field.get("type")
        if not rest:
            base = field_type.get("type") if isinstance(field_type, dict) else field_type
            return bool(base == "string")
        inner = _record_of(field_type, ns, named)
        if inner is None or _is_array(field_type, named, ns):
            return False
        return _resolves_to_string(inner[2], rest, inner[1], named)
    return False


def personal_marking_problems(schemas: SchemaSet) -> list[str]:
    """Every marking problem of every version in the set, each naming its file; and a newest
    version whose records carry personal fields without a place to seal them."""
    problems: list[str] = []
    for name in schemas.names():
        versions = schemas.versions(name)
        for number, schema in enumerate(versions, start=1):
            where = str(schemas.source(name, number) or f"{name} v{number}")
            problems.extend(personal_problems(schema, where))
        problems.extend(mark_problems_across_versions(name, versions))
        newest = len(versions)
        where = str(schemas.source(name, newest) or f"{name} v{newest}")
        problems.extend(sealing_problems(versions[-1], where))
    return problems


def sealing_problems(schema: Mapping[str, Any], where: str) -> list[str]:
    """Each record holding personal fields must have ``sealed_personal: ["null", "bytes"]``
    (default null), so writers can seal them; required of the newest version only."""
    records = _record_definitions(schema)
    problems: list[str] = []
    for full in sorted({f.record for f in personal_fields(schema)}):
        body = records.get(full, {})
        sealed = [f for f in body.get("fields", []) if f.get("name") == SEALED_FIELD]
        if (
            not sealed
            or sealed[0].get("type") != ["null", "bytes"]
            or ("default" not in sealed[0] or sealed[0]["default"] is not None)
        ):
            problems.append(
                f"{where}: record {full} has personal fields but no"
                f' "{SEALED_FIELD}": ["null", "bytes"] field with default null to seal them in'
            )
    return problems


def _record_definitions(schema: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}

    def visit(node: Any, namespace: str | None) -> None:
        if isinstance(node, list):
            for branch in node:
                visit(branch, namespace)
        elif isinstance(node, dict):
            kind = node.get("type")
            if kind in ("record", "error"):
                name = str(node.get("name"))
                full = name if "." in name else f"{node.get('namespace', namespace)}.{name}"
                ns = full.rsplit(".", 1)[0]
                found.setdefault(full, node)
                for field in node.get("fields", []):
                    if isinstance(field, dict):
                        visit(field.get("type"), ns)
            elif kind == "array":
                visit(node.get("items"), namespace)
            elif isinstance(kind, dict | list):
                visit(kind, namespace)

    visit(schema, None)
    return found
