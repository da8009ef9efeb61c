"""Fast record → view construction for the replay's hot path.

Why this exists: ``lienthong.mapping.from_record`` is generic (it inspects type hints per
value) and costs more than the Avro decode itself. Reporting's views are flat — strings,
ids, times, numbers, enums by name — so a converter per field is worked out once per class.
The result is the same as ``from_record`` (a unit test checks it).
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

Build = Callable[[Mapping[str, Any]], object]


def _same(value: Any) -> Any:
    return value


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


def _converter(hint: Any) -> Callable[[Any], Any]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = _converter(options[0]) if len(options) == 1 else _same
        return lambda value: None if value is None else inner(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        members = hint.__members__
        return lambda value: members[value]
    if hint is str:
        return _text
    return _same


@cache
def builder(cls: type) -> Build:
    """One function per class that calls the class with positional arguments (no per-event
    dict of keyword arguments, no per-field membership test): the replay's hot path."""
    hints = typing.get_type_hints(cls)
    names: dict[str, Any] = {"cls": cls}
    args = []
    for i, f in enumerate(dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()):
        convert = _converter(hints[f.name])
        if f.default is not dataclasses.MISSING:
            # An older reader view field the record lacks keeps the view's default.
            names[f"d{i}"] = f.default
            value = f"r.get({f.name!r}, d{i})"
        else:
            value = f"r[{f.name!r}]"
        if convert is _same:
            args.append(value)
        else:
            names[f"c{i}"] = convert
            args.append(f"c{i}({value})")
    source = f"def build(r):\n    return cls({', '.join(args)})\n"
    exec(source, names)  # generated from the dataclass's own field names only
    build: Build = names["build"]
    return build
