"""Loads a population extract (CSV with a header row, or an Avro object container file)
into the population registry: checked rows stored in batches, refused rows counted by
reason, resumable after a crash, progress reported as bytes read.

Why this exists: the registry must start from the province's real population, not from the
demo loader. ``lienthong population import`` drives this with a progress bar.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import asyncpg
import fastavro

from lienthong.subjects import SubjectIds
from population_registry.adapters import bulk_load
from population_registry.domain.extract import COLUMNS, ExtractedCitizen, Refused, check_row

#: (bytes read, bytes in the file, rows read)
OnProgress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class ImportResult:
    import_id: str
    rows_read: int
    rows_stored: int
    refused: dict[str, int] = field(default_factory=dict)
    resumed_from: int = 0
    already_done: bool = False

    @property
    def rows_refused(self) -> int:
        return sum(self.refused.values())


def fingerprint(path: Path) -> str:
    """The import's id: the SHA-256 of the file (the same extract resumes, another starts)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def detect_format(path: Path) -> str:
    with path.open("rb") as f:
        return "avro" if f.read(4) == b"Obj\x01" else "csv"


def _rows(raw: BinaryIO, fmt: str) -> Iterator[Mapping[str, Any]]:
    if fmt == "avro":
        yield from fastavro.reader(raw)  # type: ignore[misc]
        return
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    missing = [
        c
        for c in ("id_number", "full_name", "birth_date", "gender")
        if c not in (reader.fieldnames or ())
    ]
    if missing:
        raise ValueError(
            f"the CSV header lacks the columns {', '.join(missing)}; expected {', '.join(COLUMNS)}"
        )
    yield from reader


async def import_extract(
    pool: asyncpg.Pool,
    subjects: SubjectIds,
    path: Path,
    *,
    today: date,
    fmt: str | None = None,
    batch_size: int = 20_000,
    on_progress: OnProgress | None = None,
    stop_after_batches: int | None = None,
) -> ImportResult:
    """Load ``path``; an import of the same file that stopped resumes after its last stored
    batch, and one that finished is not loaded again. ``stop_after_batches`` stops early
    (tests and operators rehearse a resume with it)."""
    import_id = fingerprint(path)
    fmt = fmt or detect_format(path)
    async with pool.acquire() as conn:
        start = await bulk_load.progress_of(conn, import_id, path.name)
        if start.finished:
            return ImportResult(
                import_id, start.rows_read, start.rows_stored, start.refused, already_done=True
            )
        refused = Counter(start.refused)
        rows_read, stored, batches = start.rows_read, start.rows_stored, 0
        total = path.stat().st_size
        with path.open("rb") as raw:
            batch: list[ExtractedCitizen] = []
            finished = True
            for position, row in enumerate(_rows(raw, fmt)):
                if position < start.rows_read:
                    continue
                rows_read += 1
                checked = check_row(row, today)
                if isinstance(checked, Refused):
                    refused[checked.reason] += 1
                else:
                    batch.append(checked)
                if rows_read % batch_size == 0:
                    await bulk_load.store_batch(
                        conn, subjects, import_id, batch, rows_read, refused, False
                    )
                    stored += len(batch)
                    batch = []
                    batches += 1
                    if on_progress is not None:
                        on_progress(raw.tell(), total, rows_read)
                    if stop_after_batches is not None and batches >= stop_after_batches:
                        finished = False
                        break
            if finished:
                await bulk_load.store_batch(
                    conn, subjects, import_id, batch, rows_read, refused, True
                )
                stored += len(batch)
                if on_progress is not None:
                    on_progress(total, total, rows_read)
    return ImportResult(
        import_id, rows_read, stored, dict(sorted(refused.items())), start.rows_read
    )
