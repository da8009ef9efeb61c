"""Population import: a province-sized extract (CSV) loaded into a fresh registry database.

Why this exists: a deployment starts by loading the population database's extract; the
issue asks for a million citizens in minutes. ``population_registry.import_rows_per_s`` is
the whole import (read, check, pseudonymise, COPY, upsert); its CPU per 1,000 rows is this
process's (PostgreSQL's own share runs on the other core).
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import asyncpg
import psutil

from lienthong.db import create_pool
from lienthong.subjects import SubjectIds
from lienthong_tools.bench.runner import Figure
from lienthong_tools.devstack import pg_base

SURNAMES = (("Nguyễn", 38), ("Trần", 11), ("Lê", 10), ("Phạm", 7), ("Huỳnh", 5), ("Võ", 4))
MIDDLE = {"MALE": ("Văn", "Minh", "Đức", "Quốc"), "FEMALE": ("Thị", "Ngọc", "Thu", "Kim")}
GIVEN = {"MALE": ("Hùng", "Dũng", "Nam", "Khôi"), "FEMALE": ("Lan", "Hoa", "Mai", "Hân")}


def write_extract(path: Path, n: int) -> None:
    """n citizens of Quảng Ngãi with consistent numbers (names with real surname shares)."""
    surnames = [s for s, w in SURNAMES for _ in range(w)]
    from population_registry.domain.extract import COLUMNS

    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for i in range(n):
            gender = "FEMALE" if i % 2 else "MALE"
            year = 1930 + i % 90
            century = (0 if year < 2000 else 2) + (1 if gender == "FEMALE" else 0)
            number = f"051{century}{year % 100:02d}{i % 1_000_000:06d}"
            name = (
                f"{surnames[i % len(surnames)]} {MIDDLE[gender][i % 4]} {GIVEN[gender][i // 4 % 4]}"
            )
            writer.writerow(
                (
                    number,
                    name,
                    date(year, 1 + i % 12, 1 + i % 28).isoformat(),
                    gender,
                    "",
                    "",
                    "",
                    "51",
                    "",
                )
            )


async def population_import(n: int | None = None) -> list[Figure]:
    from population_registry.bootstrap import MIGRATIONS
    from population_registry.entrypoints.importer import import_extract

    n = n or int(os.environ.get("LIENTHONG_BENCH_POPULATION_ROWS", "1000000"))
    name = "bench_population_" + uuid.uuid4().hex[:8]
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory() as tmp:
            extract = Path(tmp) / "extract.csv"
            write_extract(extract, n)
            pool = await create_pool(f"{pg_base()}/{name}", MIGRATIONS, max_size=2)
            try:
                me = psutil.Process()
                cpu = me.cpu_times()
                begun = time.perf_counter()
                result = await import_extract(
                    pool,
                    SubjectIds("bench-subject-key-0123456789"),
                    extract,
                    today=date(2026, 12, 1),
                )
                elapsed = time.perf_counter() - begun
                after = me.cpu_times()
            finally:
                await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    cpu_s = (after.user - cpu.user) + (after.system - cpu.system)
    return [
        Figure("population_registry.import_rows", result.rows_read, "rows"),
        Figure("population_registry.import_rows_per_s", result.rows_read / elapsed, "rows/s"),
        Figure("population_registry.import_seconds", elapsed, "s"),
        Figure("population_registry.import_cpu_ms_per_1k_rows", cpu_s * 1000 / (n / 1000), "ms"),
    ]
