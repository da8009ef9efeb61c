"""Maps event objects to Avro records and back.

Why this exists: domain code speaks in typed events, never in Avro dicts. The generated
contracts (``lienthong.contracts.events``, ``msgspec.Struct`` per schema version) convert in
one call each way, in C, with no per-field Python code. Services that still hold a
hand-written dataclass go through the generic dataclass mapper below: field names match the
schema's, enums travel by member name, ``UUID`` as its string, ``date``/``datetime`` as
fastavro's logical types, nested dataclasses as nested records, ``tuple`` as arrays.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, TypeVar, get_args, get_origin

import msgspec

T = TypeVar("T")
_AVRO_BUILTINS = (datetime, date, bytes, uuid.UUID)
"""Values fastavro writes as they are (logical types, bytes): msgspec leaves them alone."""


def to_record(obj: Any) -> Any:
    """An event (generated struct or dataclass, recursively) as the dict fastavro writes."""
    if isinstance(obj, msgspec.Struct):
        return msgspec.to_builtins(obj, builtin_types=_AVRO_BUILTINS)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_record(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, enum.Enum):
        return obj.name
    if isinstance(obj, uuid.UUID):
        return str(obj)
    if isinstance(obj, datetime):
        return obj if obj.tzinfo else obj.replace(tzinfo=UTC)
    if isinstance(obj, tuple | list):
        return [to_record(item) for item in obj]
    if isinstance(obj, Mapping):
        return {str(k): to_record(v) for k, v in obj.items()}
    return obj


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_record(cls: type[T], record: Mapping[str, Any]) -> T:
    """Build ``cls`` from a decoded Avro record; fields absent from the record use defaults."""
    if isinstance(cls, type) and issubclass(cls, msgspec.Struct):
        return msgspec.convert(record, cls)
    hints = _hints(typing.cast(Any, cls))
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in record:
            kwargs[f.name] = _convert(hints[f.name], record[f.name])
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        (item,) = get_args(hint)[:1]
        return tuple(_convert(item, v) for v in value)
    if origin is list:
        (item,) = get_args(hint)
        return [_convert(item, v) for v in value]
    if origin is dict:
        return dict(value)
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return from_record(hint, value)
        if issubclass(hint, enum.Enum):
            return hint[value]
        if hint is uuid.UUID:
            return uuid.UUID(str(value))
        if hint is str and isinstance(value, uuid.UUID):
            return str(value)
        if hint is datetime and isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if hint is date and isinstance(value, date):
            return value
    return value
