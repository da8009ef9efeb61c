"""Record mapping: a decoded Avro record to a typed event and back, per event, in CPU time.

Before: intake's hand-written ``DossierSubmitted`` dataclass through the generic dataclass
mapper (``lienthong.mapping``, per-field Python). After: the generated
``lienthong.contracts.events.DossierSubmitted`` (``msgspec.convert`` / ``to_builtins``).
Both map the same records, read by fastavro from the newest schema.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import fastavro
from fastavro.utils import generate_many

from intake.domain.events import DossierSubmitted as HandWrittenDossierSubmitted
from lienthong.contracts import events
from lienthong.contracts.schemas import load_schema_set
from lienthong.mapping import from_record, to_record
from lienthong_tools.bench.runner import Figure

FULL_NAME = "vn.lienthong.intake.DossierSubmitted"


def _records(n: int) -> list[dict[str, Any]]:
    """Random records of the newest schema that the hand-written class can also map (its
    enums lag the schema's symbols, one of the drifts generated types remove)."""
    parsed = fastavro.parse_schema(dict(load_schema_set().latest(FULL_NAME)), named_schemas={})
    out: list[dict[str, Any]] = []
    while len(out) < n:
        for generated in generate_many(parsed, n):
            buffer = io.BytesIO()
            fastavro.schemaless_writer(buffer, parsed, generated)
            buffer.seek(0)
            record = fastavro.schemaless_reader(buffer, parsed, None)
            if not isinstance(record, dict):
                continue
            try:
                from_record(HandWrittenDossierSubmitted, record)
            except (KeyError, ValueError):
                continue
            out.append(record)
    return out[:n]


def _per_second(work: Callable[[], object], count: int, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return count / best if best > 0 else float("inf")


async def records(n: int = 2000) -> list[Figure]:
    records = _records(n)
    hand = [from_record(HandWrittenDossierSubmitted, r) for r in records]
    generated = [from_record(events.DossierSubmitted, r) for r in records]
    figures = {
        "decode_dataclass": _per_second(
            lambda: [from_record(HandWrittenDossierSubmitted, r) for r in records], n
        ),
        "decode_generated": _per_second(
            lambda: [from_record(events.DossierSubmitted, r) for r in records], n
        ),
        "encode_dataclass": _per_second(lambda: [to_record(e) for e in hand], n),
        "encode_generated": _per_second(lambda: [to_record(e) for e in generated], n),
    }
    return [
        Figure(f"platform.mapping_{name}_per_cpu_s", value, "records/cpu-s")
        for name, value in figures.items()
    ]
