"""Loading a population extract on real PostgreSQL: refused rows counted by reason, an
interrupted import resumes without loading a row twice, CSV and Avro alike."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import asyncpg
import fastavro
import pytest
import pytest_asyncio

from lienthong.db import create_pool
from lienthong.subjects import SubjectIds
from population_registry.bootstrap import MIGRATIONS
from population_registry.domain.extract import COLUMNS
from population_registry.entrypoints.importer import import_extract

pytestmark = pytest.mark.integration
TODAY = date(2026, 11, 30)
SUBJECTS = SubjectIds("integration-subject-key-0123456789")
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ")


def _rows(n: int) -> list[dict[str, str]]:
    rows = []
    for i in range(n):
        female = i % 2
        rows.append(
            {
                "id_number": f"051{1 if female else 0}90{i:06d}",
                "full_name": f"{SURNAMES[i % len(SURNAMES)]} {'Thị Lan' if female else 'Văn Hùng'}",
                "birth_date": "1990-03-14",
                "gender": "FEMALE" if female else "MALE",
                "date_of_death": "",
                "mother_id_number": "",
                "father_id_number": "",
                "birth_place_code": "51",
                "cmnd_number": "",
            }
        )
    rows[3]["id_number"] = "05109012345"  # 11 digits
    rows[7]["birth_date"] = "1991-03-14"  # contradicts the number's year digits
    return rows


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest_asyncio.fixture
async def pool(database: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database, MIGRATIONS, max_size=2)
    yield pool
    await pool.close()


async def test_an_interrupted_csv_import_resumes_and_counts_refused_rows_by_reason(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    extract = _csv(tmp_path / "quang-ngai.csv", _rows(250))
    seen: list[int] = []
    first = await import_extract(
        pool,
        SUBJECTS,
        extract,
        today=TODAY,
        batch_size=100,
        stop_after_batches=1,
        on_progress=lambda done, total, rows: seen.append(rows),
    )
    assert (first.rows_read, first.rows_stored) == (100, 98)
    assert await pool.fetchval("SELECT count(*) FROM citizens") == 98

    second = await import_extract(pool, SUBJECTS, extract, today=TODAY, batch_size=100)
    assert second.resumed_from == 100
    assert second.rows_read == 250 and second.rows_stored == 248
    assert second.refused == {"ID_NUMBER_BIRTH_YEAR_MISMATCH": 1, "ID_NUMBER_NOT_12_DIGITS": 1}
    assert await pool.fetchval("SELECT count(*) FROM citizens") == 248
    assert seen == [100]

    again = await import_extract(pool, SUBJECTS, extract, today=TODAY)
    assert again.already_done and again.rows_stored == 248


async def test_an_avro_extract_loads_the_same_citizens(pool: asyncpg.Pool, tmp_path: Path) -> None:
    schema = fastavro.parse_schema(
        {
            "type": "record",
            "name": "PopulationExtractRow",
            "namespace": "vn.lienthong.population",
            "fields": [{"name": c, "type": ["null", "string"], "default": None} for c in COLUMNS],
        }
    )
    path = tmp_path / "quang-ngai.avro"
    with path.open("wb") as f:
        fastavro.writer(f, schema, [{k: v or None for k, v in r.items()} for r in _rows(30)])
    result = await import_extract(pool, SUBJECTS, path, today=TODAY, batch_size=7)
    assert (result.rows_read, result.rows_stored, result.rows_refused) == (30, 28, 2)
    name = await pool.fetchval(
        "SELECT full_name FROM citizens WHERE subject_id = $1",
        SUBJECTS.for_id_number("051190000001"),
    )
    assert name == "Trần Thị Lan"
