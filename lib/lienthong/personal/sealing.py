"""Sealing personal fields of an Avro record: the codec edge's part that knows no keys.

Why this exists: every record that holds personal fields (``"personal"`` marks in the
schema) carries them sealed in its ``sealed_personal`` bytes field: one AES-256-GCM box per
person record, under that person's data key, bound (associated data) to the event type and
the subject id, so a box cannot be moved to another event or person. While sealed, the
personal fields hold placeholders (empty text, null, day 0, the enum's default), which
keeps every version FULL_TRANSITIVE compatible: a reader of an old version sees valid
values and ignores the box. Works on the decoded Avro record (a dict), before encoding and
after decoding, so it does not care how the codec itself is built.

Reading: a field whose kind the reader is entitled to is opened; any other reads masked
(``***``, or null for dates and enums) without the box being opened; when the person's key
is gone (erased) the field reads ``erased``. A record written in clear (before sealing) is
masked the same way for readers that are not entitled, so what they see never depends on
when an event was written.

Box layout: ``01`` (format) | 4-byte key id | 12-byte nonce | ciphertext and 16-byte tag.
The plaintext is a JSON object of the record's personal values by field name (dates as days
since 1970-01-01), so a box stays readable when a later version adds a personal field.
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lienthong.contracts.personal import EPOCH, SEALED_FIELD, PersonalField, personal_fields
from lienthong.contracts.schemas import SchemaSet

MASKED = "***"
ERASED = "erased"
FORMAT = 1
NONCE_LENGTH = 12
_HEADER = struct.Struct(">B4s")
_BODY_AT = _HEADER.size + NONCE_LENGTH


@dataclass(frozen=True)
class DataKey:
    """A citizen's unwrapped data key, ready to use (the AES key schedule is built once)."""

    key_id: bytes
    aead: AESGCM

    @classmethod
    def of(cls, key_id: bytes, material: bytes) -> DataKey:
        return cls(key_id, AESGCM(material))


@dataclass(frozen=True)
class Slot:
    """One kind of person record inside an event: where it is and which fields it seals."""

    steps: tuple[tuple[str, bool], ...]
    """(field, is an array) from the top record down to the person record."""
    subject: tuple[str, ...]
    """Path from the person record to its subject id field."""
    fields: tuple[PersonalField, ...]
    sealable: bool
    """Whether the newest schema version has the ``sealed_personal`` field here."""

    def __post_init__(self) -> None:
        # Precomputed once: the hot path only looks these up.
        object.__setattr__(self, "names", tuple(f.name for f in self.fields))
        object.__setattr__(self, "dates", tuple(f.name for f in self.fields if f.is_date))
        object.__setattr__(self, "placeholders", {f.name: f.placeholder for f in self.fields})
        object.__setattr__(self, "masks", {f.name: _masked(f) for f in self.fields})
        object.__setattr__(self, "erasures", {f.name: _erased(f) for f in self.fields})

    names: tuple[str, ...] = field(init=False)
    dates: tuple[str, ...] = field(init=False)
    placeholders: dict[str, Any] = field(init=False)
    masks: dict[str, Any] = field(init=False)
    erasures: dict[str, Any] = field(init=False)

    def records(self, top: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
        yield from _records(top, self.steps)

    def subject_of(self, record: Mapping[str, Any]) -> str | None:
        value: Any = record
        for name in self.subject:
            if not isinstance(value, dict):
                return None
            value = value.get(name)
        return value if isinstance(value, str) and value else None

    def kinds(self) -> frozenset[str]:
        return frozenset(f.kind for f in self.fields)


def _records(value: Any, steps: tuple[tuple[str, bool], ...]) -> Iterator[Mapping[str, Any]]:
    if not steps:
        if isinstance(value, dict):
            yield value
        return
    if not isinstance(value, dict):
        return
    (name, is_array), rest = steps[0], steps[1:]
    inner = value.get(name)
    if inner is None:
        return
    if is_array:
        for item in inner:
            yield from _records(item, rest)
    else:
        yield from _records(inner, rest)


def _rewrite(
    value: Any,
    steps: tuple[tuple[str, bool], ...],
    change: Callable[[dict[str, Any]], dict[str, Any]],
) -> Any:
    """``value`` with every record at ``steps`` replaced by ``change(copy of it)``; the
    containers on the way are copied, nothing of the caller's is modified."""
    if not steps:
        return change(dict(value)) if isinstance(value, dict) else value
    if not isinstance(value, dict):
        return value
    (name, is_array), rest = steps[0], steps[1:]
    inner = value.get(name)
    if inner is None:
        return value
    copied = dict(value)
    if is_array:
        copied[name] = [_rewrite(item, rest, change) for item in inner]
    else:
        copied[name] = _rewrite(inner, rest, change)
    return copied


def _steps(record_path: str) -> tuple[tuple[str, bool], ...]:
    if not record_path:
        return ()
    return tuple((part.removesuffix("[]"), part.endswith("[]")) for part in record_path.split("."))


def plan_slots(schema: Mapping[str, Any]) -> tuple[Slot, ...]:
    """The person records of one schema version and their personal fields."""
    grouped: dict[str, list[PersonalField]] = {}
    for marked in personal_fields(schema):
        grouped.setdefault(marked.record_path, []).append(marked)
    slots = []
    for record_path, fields in grouped.items():
        steps = _steps(record_path)
        slots.append(
            Slot(
                steps=steps,
                subject=tuple(fields[0].subject_path.split(".")),
                fields=tuple(fields),
                sealable=_has_sealed_field(schema, steps),
            )
        )
    return tuple(slots)


def _has_sealed_field(schema: Mapping[str, Any], steps: tuple[tuple[str, bool], ...]) -> bool:
    named: dict[str, Mapping[str, Any]] = {}

    def record_of(node: Any) -> Mapping[str, Any] | None:
        if isinstance(node, list):
            for branch in node:
                found = record_of(branch)
                if found is not None:
                    return found
            return None
        if isinstance(node, str):
            return next((v for k, v in named.items() if k == node or k.endswith("." + node)), None)
        if isinstance(node, dict):
            if node.get("type") == "record":
                named[str(node.get("name"))] = node
                for field in node.get("fields", []):
                    record_of(field.get("type"))  # registers nested definitions
                return node
            if node.get("type") == "array":
                return record_of(node.get("items"))
        return None

    current = record_of(dict(schema))
    for name, _ in steps:
        if current is None:
            return False
        field = next((f for f in current.get("fields", []) if f.get("name") == name), None)
        current = record_of(field.get("type")) if field else None
    if current is None:
        return False
    return any(f.get("name") == SEALED_FIELD for f in current.get("fields", []))


class Sealer:
    """Seals and opens the personal fields of records of every event type in a schema set."""

    def __init__(self, schemas: SchemaSet) -> None:
        self._slots: dict[str, tuple[Slot, ...]] = {}
        for name in schemas.names():
            slots = plan_slots(schemas.latest(name))
            if slots:
                self._slots[name] = slots

    def has_personal_fields(self, event_type: str) -> bool:
        return event_type in self._slots

    def kinds(self, event_type: str) -> frozenset[str]:
        return frozenset(k for slot in self._slots.get(event_type, ()) for k in slot.kinds())

    def subjects(self, event_type: str, record: Mapping[str, Any]) -> set[str]:
        """Subject ids whose keys sealing or opening this record needs."""
        found: set[str] = set()
        for slot in self._slots.get(event_type, ()):
            for person in slot.records(record):
                subject = slot.subject_of(person)
                if subject is not None:
                    found.add(subject)
        return found

    def sealed_subjects(self, event_type: str, record: Mapping[str, Any]) -> set[str]:
        """Subject ids of the boxes actually present in a decoded record."""
        found: set[str] = set()
        for slot in self._slots.get(event_type, ()):
            for person in slot.records(record):
                subject = slot.subject_of(person)
                if subject is not None and person.get(SEALED_FIELD) is not None:
                    found.add(subject)
        return found

    def seal(
        self, event_type: str, record: Mapping[str, Any], keys: Mapping[str, DataKey]
    ) -> dict[str, Any]:
        """The record with each person record's personal fields sealed under its key."""
        result: Any = record if isinstance(record, dict) else dict(record)
        aad_prefix = event_type.encode() + b"\x00"
        for slot in self._slots.get(event_type, ()):
            if not slot.sealable:
                continue

            def seal_one(person: dict[str, Any], slot: Slot = slot) -> dict[str, Any]:
                if person.get(SEALED_FIELD) is not None:
                    return person
                subject = slot.subject_of(person)
                key = keys.get(subject) if subject is not None else None
                if key is None:
                    raise KeyError(f"no data key for a person in {event_type}")
                values = {name: person.get(name) for name in slot.names}
                for name in slot.dates:
                    value = values[name]
                    if isinstance(value, date):
                        values[name] = (value - EPOCH).days
                nonce = os.urandom(NONCE_LENGTH)
                box = key.aead.encrypt(
                    nonce, orjson.dumps(values), aad_prefix + str(subject).encode()
                )
                person.update(slot.placeholders)
                person[SEALED_FIELD] = _HEADER.pack(FORMAT, key.key_id) + nonce + box
                return person

            result = _rewrite(result, slot.steps, seal_one)
        return dict(result)

    def open(
        self,
        event_type: str,
        record: Mapping[str, Any],
        allowed: frozenset[str] | None,
        keys: Mapping[str, DataKey | None],
        *,
        in_place: bool = False,
    ) -> dict[str, Any]:
        """The record as a reader entitled to ``allowed`` kinds (None: all) sees it.

        ``in_place``: change the given record instead of a copy (for a record fresh from the
        decoder, which nobody else holds).

        ``keys`` holds the keys of the sealed subjects (None or absent: erased). Kinds not
        allowed are masked without opening anything; a box is opened only when the reader
        may see at least one of its fields.
        """
        result: Any = record if isinstance(record, dict) else dict(record)
        aad_prefix = event_type.encode() + b"\x00"
        for slot in self._slots.get(event_type, ()):

            def open_one(person: dict[str, Any], slot: Slot = slot) -> dict[str, Any]:
                box = person.get(SEALED_FIELD)
                if allowed is None and box is not None:  # the common case, kept short
                    subject = slot.subject_of(person) or ""
                    values = _unseal(box, keys.get(subject), aad_prefix, subject)
                    if values is None:
                        person.update(slot.erasures)
                        return person
                    for name in slot.names:
                        person[name] = values.get(name)
                    for name in slot.dates:
                        days = person[name]
                        if isinstance(days, int):
                            person[name] = EPOCH + timedelta(days=days)
                    return person
                if allowed is not None and not allowed:
                    person.update(slot.masks)
                    return person
                visible = [f for f in slot.fields if allowed is None or f.kind in allowed]
                if box is not None and visible:
                    subject = slot.subject_of(person) or ""
                    values = _unseal(box, keys.get(subject), aad_prefix, subject)
                    for f in slot.fields:
                        if allowed is not None and f.kind not in allowed:
                            person[f.name] = _masked(f)
                        elif values is None:
                            person[f.name] = _erased(f)
                        else:
                            person[f.name] = _typed(values.get(f.name), f)
                    return person
                for f in slot.fields:
                    if box is not None or (allowed is not None and f.kind not in allowed):
                        person[f.name] = _masked(f)
                return person

            if in_place:
                for person in _records(result, slot.steps):
                    open_one(person)  # type: ignore[arg-type]
            else:
                result = _rewrite(result, slot.steps, open_one)
        return result if in_place else dict(result)


def _unseal(
    box: Any, key: DataKey | None, aad_prefix: bytes, subject: str
) -> dict[str, Any] | None:
    """The sealed values, or None when they cannot be had any more (key erased)."""
    if key is None:
        return None
    raw = (
        box
        if type(box) is bytes
        else (base64.b64decode(box) if isinstance(box, str) else bytes(box))
    )
    if len(raw) < _BODY_AT + 16 or raw[0] != FORMAT or raw[1:5] != key.key_id:
        return None  # not ours, or sealed under a destroyed key (the subject has a new one)
    try:
        plain = key.aead.decrypt(raw[5:_BODY_AT], raw[_BODY_AT:], aad_prefix + subject.encode())
    except InvalidTag:
        return None
    try:
        values = orjson.loads(plain)
    except orjson.JSONDecodeError:
        return None
    return values if isinstance(values, dict) else None


def _typed(value: Any, field: PersonalField) -> Any:
    if field.is_date and isinstance(value, int):
        return EPOCH + timedelta(days=value)
    return value


def _masked(field: PersonalField) -> Any:
    return MASKED if field.value_type == "text" else None


def _erased(field: PersonalField) -> Any:
    return ERASED if field.value_type == "text" else None
