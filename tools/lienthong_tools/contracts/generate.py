"""Generates ``lienthong.contracts.events``: one typed class per ``.avsc`` version.

Why this exists: the wire contract is written once, in ``schemas/``. Services used to copy
each event into a hand-written dataclass and map it field by field; nothing tied the copies
to the schemas. This generator writes a ``msgspec.Struct`` per event version (and per named
record or enum inside it), so decoding an Avro record is ``msgspec.convert`` and encoding is
``msgspec.to_builtins`` — no per-field Python mapper. ``make schemas`` runs it; a unit test
fails when the committed module differs from what it writes.

Naming: every version is ``DossierSubmittedV1``, ``DossierSubmittedV2``...; the newest is
also ``DossierSubmitted``. Named records and enums keep their short name, one class per
shape (the same enum declared in two namespaces is one class); when one short name has
several shapes, the last one met keeps the name and the others get ``V<n>``. Enum members
are the Avro symbols (value = name), so a member travels as its symbol.
"""

from __future__ import annotations

import json
import keyword
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lienthong.contracts.schemas import SchemaSet, load_schema_set

HEADER = '''"""Event contracts generated from ``schemas/`` by ``make schemas``; do not edit.

One ``msgspec.Struct`` per ``.avsc`` version (``<Event>V<n>``; ``<Event>`` is the newest),
with the named records and enums they hold. ``EVENTS`` maps each full name to its newest
class, ``VERSIONS`` each (full name, version) to its class.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

import msgspec
'''

PRIMITIVES = {
    "string": "str",
    "long": "int",
    "int": "int",
    "boolean": "bool",
    "double": "float",
    "float": "float",
    "bytes": "bytes",
    "null": "None",
}
LOGICAL = {
    "timestamp-millis": "datetime",
    "timestamp-micros": "datetime",
    "date": "date",
    "uuid": "uuid.UUID",
}


def _full_name(name: str, namespace: str | None) -> str:
    return name if "." in name or not namespace else f"{namespace}.{name}"


def _short(full_name: str) -> str:
    return full_name.rsplit(".", 1)[-1]


def _shape(schema: Mapping[str, Any]) -> str:
    """Structure without docs, to tell two shapes of one named type apart."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in sorted(node.items()) if k not in ("doc", "namespace")}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(schema), sort_keys=True)


@dataclass
class _Named:
    full_name: str
    schema: dict[str, Any]
    namespace: str | None
    class_name: str = ""


@dataclass
class _Event:
    full_name: str
    version: int
    schema: dict[str, Any]
    class_name: str = ""


@dataclass
class _Model:
    named: list[_Named] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)
    by_shape: dict[tuple[str, str], _Named] = field(default_factory=dict)


def _collect(schemas: SchemaSet) -> _Model:
    model = _Model()
    for full_name, version, schema in sorted(schemas.all_versions(), key=lambda v: (v[0], v[1])):
        namespace = schema.get("namespace") or full_name.rsplit(".", 1)[0]
        for node, node_namespace in _nested_named(schema, namespace, top=True):
            key = (_short(node["name"]), _shape(node))
            if key not in model.by_shape:
                named = _Named(_short(node["name"]), node, node_namespace)
                model.by_shape[key] = named
                model.named.append(named)
        model.events.append(_Event(full_name, version, dict(schema)))
    shapes: dict[str, list[_Named]] = {}
    for named in model.named:
        shapes.setdefault(named.full_name, []).append(named)
    for full_name, variants in shapes.items():
        for index, named in enumerate(variants, start=1):
            suffix = "" if index == len(variants) else f"V{index}"
            named.class_name = _py_name(_short(full_name)) + suffix
    for event in model.events:
        event.class_name = f"{_py_name(_short(event.full_name))}V{event.version}"
    return model


def _py_name(name: str) -> str:
    return name + "_" if keyword.iskeyword(name) else name


def _nested_named(
    schema: Mapping[str, Any], namespace: str | None, *, top: bool = False
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Named records and enums inside ``schema``, innermost first (definition order)."""

    def visit(node: Any, ns: str | None) -> Iterator[tuple[dict[str, Any], str | None]]:
        if isinstance(node, list):
            for option in node:
                yield from visit(option, ns)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        if kind == "record":
            inner_ns = node.get("namespace", ns)
            for fld in node["fields"]:
                yield from visit(fld["type"], inner_ns)
            yield node, inner_ns
        elif kind == "enum":
            yield node, node.get("namespace", ns)
        elif kind == "array":
            yield from visit(node["items"], ns)
        elif kind == "map":
            yield from visit(node["values"], ns)
        elif isinstance(kind, dict | list):
            yield from visit(kind, ns)

    if top:
        for fld in schema["fields"]:
            yield from visit(fld["type"], namespace)
    else:
        yield from visit(schema, namespace)


class _Renderer:
    def __init__(self, model: _Model) -> None:
        self.model = model

    def class_of(self, node: Mapping[str, Any], namespace: str | None) -> str:
        return self.model.by_shape[(_short(node["name"]), _shape(node))].class_name

    def type_of(self, node: Any, namespace: str | None, scope: dict[str, str]) -> str:
        if isinstance(node, str):
            if node in PRIMITIVES:
                return PRIMITIVES[node]
            return scope[_full_name(node, namespace)] if "." not in node else scope[node]
        if isinstance(node, list):
            options = [self.type_of(option, namespace, scope) for option in node]
            return " | ".join(options)
        kind = node["type"]
        if kind in ("record", "enum"):
            ns = node.get("namespace", namespace)
            name = self.class_of(node, ns)
            scope[_full_name(node["name"], ns)] = name
            return name
        if kind == "array":
            return f"tuple[{self.type_of(node['items'], namespace, scope)}, ...]"
        if kind == "map":
            return f"dict[str, {self.type_of(node['values'], namespace, scope)}]"
        logical = node.get("logicalType")
        if logical in LOGICAL:
            return LOGICAL[logical]
        return self.type_of(kind, namespace, scope)

    def default_of(self, fld: Mapping[str, Any], annotation: str) -> str | None:
        if "default" not in fld:
            return None
        value = fld["default"]
        if value is None:
            return "None"
        if isinstance(value, list):
            return "()"
        if isinstance(value, dict):
            return "msgspec.field(default_factory=dict)"
        ftype = fld["type"]
        if isinstance(ftype, dict) and ftype.get("type") == "enum":
            return f"{annotation}.{value}"
        return repr(value)

    def struct(
        self, name: str, schema: Mapping[str, Any], namespace: str | None, doc: str | None
    ) -> str:
        scope: dict[str, str] = {}
        for node, ns in _nested_named(schema, namespace, top=True):
            scope[_full_name(node["name"], ns)] = self.class_of(node, ns)
        rows: list[tuple[str, str, str | None]] = []
        for fld in schema["fields"]:
            annotation = self.type_of(fld["type"], namespace, scope)
            rows.append((_py_name(fld["name"]), annotation, self.default_of(fld, annotation)))
        seen_default = False
        kw_only = False
        for _, _, default in rows:
            if default is not None:
                seen_default = True
            elif seen_default:
                kw_only = True
        options = ", kw_only=True" if kw_only else ""
        lines = [f"class {name}(msgspec.Struct, frozen=True{options}):"]
        if doc:
            lines.append(f"    {_docstring(doc)}")
            lines.append("")
        for fname, annotation, default in rows:
            suffix = f" = {default}" if default is not None else ""
            lines.append(f"    {fname}: {annotation}{suffix}")
        if not rows:
            lines.append("    pass")
        return "\n".join(lines)

    def enum(self, named: _Named) -> str:
        lines = [f"class {named.class_name}(enum.Enum):"]
        if named.schema.get("doc"):
            lines.append(f"    {_docstring(named.schema['doc'])}")
            lines.append("")
        for symbol in named.schema["symbols"]:
            lines.append(f"    {symbol} = {symbol!r}")
        return "\n".join(lines)

    def render(self) -> str:
        parts = [HEADER]
        for named in self.model.named:
            if named.schema["type"] == "enum":
                parts.append("\n\n\n" + self.enum(named))
            else:
                parts.append(
                    "\n\n\n"
                    + self.struct(
                        named.class_name, named.schema, named.namespace, named.schema.get("doc")
                    )
                )
        newest: dict[str, _Event] = {}
        for event in self.model.events:
            namespace = event.schema.get("namespace") or event.full_name.rsplit(".", 1)[0]
            parts.append(
                "\n\n\n"
                + self.struct(event.class_name, event.schema, namespace, event.schema.get("doc"))
            )
            newest[event.full_name] = event
        parts.append("\n\n")
        for full_name, event in sorted(newest.items(), key=lambda kv: _short(kv[0])):
            parts.append(f"\n{_py_name(_short(full_name))} = {event.class_name}")
        parts.append("\n\nEVENTS: dict[str, type[msgspec.Struct]] = {\n")
        for full_name, event in sorted(newest.items()):
            parts.append(f"    {full_name!r}: {event.class_name},\n")
        parts.append("}\n\nVERSIONS: dict[tuple[str, int], type[msgspec.Struct]] = {\n")
        for event in self.model.events:
            parts.append(f"    ({event.full_name!r}, {event.version}): {event.class_name},\n")
        parts.append("}\n")
        return "".join(parts)


def _docstring(text: str) -> str:
    one_line = " ".join(text.split()).replace('"""', "'''").replace("\\", "\\\\")
    return f'"""{one_line}"""'


def default_output_path() -> Path:
    return Path(__file__).resolve().parents[3] / "lib" / "lienthong" / "contracts" / "events.py"


def generate(schemas: SchemaSet | None = None) -> str:
    """The source of ``lienthong.contracts.events`` for ``schemas`` (default: ``schemas/``)."""
    return _Renderer(_collect(schemas or load_schema_set())).render()
