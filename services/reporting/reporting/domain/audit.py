"""The tamper-evident audit trail: a hash chain over every event reporting consumed.

Why this exists: auditors must trust that the trail of who did what, when, to which dossier
or citizen was not edited afterwards. Each entry's hash covers its own content and the
previous entry's hash, and a checkpoint (sequence number, hash) is kept every
``CHECKPOINT_EVERY`` entries, with the chain head kept apart. Changing, inserting or
deleting any entry breaks the chain at a place ``verify`` names.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64
CHECKPOINT_EVERY = 100
PERSONAL_FIELDS = frozenset(
    {
        "id_number",
        "mother_id_number",
        "full_name",
        "birth_date",
        "gender",
        "card_number",
        "old_value",
        "new_value",
        "place_of_birth",
        "place_of_death",
        "sealed_personal",
    }
)
SEALED_FIELD = "sealed_personal"
MASK = "***"


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    event_id: str
    event_type: str
    topic: str
    event_time: datetime
    recorded_at: datetime
    source: str
    actor: str | None
    subjects: tuple[str, ...]
    dossier_id: str | None
    body: Mapping[str, Any]

    def content(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "event_id": self.event_id,
            "event_type": self.event_type,
            "topic": self.topic,
            "event_time": _instant(self.event_time),
            "recorded_at": _instant(self.recorded_at),
            "source": self.source,
            "actor": self.actor,
            "subjects": list(self.subjects),
            "dossier_id": self.dossier_id,
            "body": self.body,
        }


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def chain_hash(previous: str, entry: AuditEntry) -> str:
    canonical = json.dumps(entry.content(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


def json_safe(value: Any) -> Any:
    """A decoded Avro record as plain JSON values (what the audit log stores and hashes)."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, datetime):
        return _instant(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, Decimal):
        return str(value)
    return value


def subjects_in(record: Mapping[str, Any], envelope_subject: str | None) -> tuple[str, ...]:
    """Every pseudonymous subject id an event is about (the envelope's and the body's)."""
    found: set[str] = {envelope_subject} if envelope_subject else set()

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                if key.endswith("subject_id") and isinstance(inner, str):
                    found.add(inner)
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(record)
    return tuple(sorted(found))


def masked(value: Any) -> Any:
    """The body with personal data replaced, for roles that may not see it."""
    if isinstance(value, Mapping):
        return {
            k: (MASK if k in PERSONAL_FIELDS and v is not None else masked(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


def without_boxes(value: Any) -> Any:
    """A body without its sealed boxes (ciphertext means nothing to a reader)."""
    if isinstance(value, Mapping):
        return {k: without_boxes(v) for k, v in value.items() if k != SEALED_FIELD}
    if isinstance(value, list):
        return [without_boxes(v) for v in value]
    return value


@dataclass(frozen=True)
class StoredEntry:
    entry: AuditEntry
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Finding:
    problem: str  # modified | inserted | deleted
    seq: int
    event_id: str | None
    detail: str

    def line(self) -> str:
        name = f"seq {self.seq}" + (f" (event {self.event_id})" if self.event_id else "")
        return f"{self.problem} record {name}: {self.detail}"


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


def verify(
    stored: Sequence[StoredEntry],
    checkpoints: Iterable[Head],
    head: Head | None,
) -> list[Finding]:
    """Walk the chain in sequence order; name every entry that was changed, added or removed."""
    findings: list[Finding] = []
    by_seq = {s.entry.seq: s for s in stored}
    previous_hash, before_previous_hash = GENESIS, GENESIS
    previous_seq = 0
    previous: StoredEntry | None = None
    for item in stored:
        seq = item.entry.seq
        if chain_hash(item.prev_hash, item.entry) != item.hash:
            findings.append(
                Finding("modified", seq, item.entry.event_id, "content does not match its hash")
            )
        if item.prev_hash != previous_hash:
            if previous is not None and item.prev_hash == before_previous_hash:
                findings.append(
                    Finding(
                        "inserted",
                        previous.entry.seq,
                        previous.entry.event_id,
                        f"not in the chain: seq {seq} links to the record before it",
                    )
                )
            elif seq > previous_seq + 1:
                for missing in range(previous_seq + 1, seq):
                    findings.append(
                        Finding(
                            "deleted", missing, None, f"missing between {previous_seq} and {seq}"
                        )
                    )
            elif previous is not None and not any(f.seq == previous.entry.seq for f in findings):
                findings.append(
                    Finding(
                        "modified",
                        previous.entry.seq,
                        previous.entry.event_id,
                        "its hash was rewritten: the next record does not link to it",
                    )
                )
        elif seq > previous_seq + 1:
            findings.append(
                Finding("deleted", previous_seq + 1, None, f"sequence gap before {seq}")
            )
        before_previous_hash, previous_hash = previous_hash, item.hash
        previous_seq, previous = seq, item
    tail = Head(previous_seq, previous_hash)
    for point in [*checkpoints, *([head] if head else [])]:
        found = by_seq.get(point.seq)
        if found is None:
            if point.seq > tail.seq:
                for missing in range(tail.seq + 1, point.seq + 1):
                    findings.append(Finding("deleted", missing, None, "missing at the end"))
                tail = Head(point.seq, point.hash)
            continue
        if found.hash != point.hash and not any(f.seq == point.seq for f in findings):
            findings.append(
                Finding("modified", point.seq, found.entry.event_id, "differs from its checkpoint")
            )
    return findings
