"""What sealing personal fields costs: the codec with and without it in the same run, the
key service's unwraps with and without its cache, and birth bundles end to end sealed vs
in clear.

The codec figures use the sample dossier of ``raw`` (four persons, three citizens) and the
real path: ``PersonalData.seal``/``open`` with a key ring over a real key database whose
cache is warm, as in a running service. CPU cost per record is printed beside each rate.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from typing import Any

import asyncpg
import httpx

from lienthong.auth import Role
from lienthong.codec import AvroCodec
from lienthong.contracts.catalog import load_catalog
from lienthong.contracts.schemas import load_schema_set
from lienthong.db import create_pool
from lienthong.personal import KeyRing, PersonalData
from lienthong.personal.keys import MIGRATIONS
from lienthong.personal.master import LocalMasterKeys, new_master_key_entry, parse_master_keys
from lienthong_tools.bench.raw import DOSSIER, sample_dossier
from lienthong_tools.bench.runner import Figure
from lienthong_tools.demo import birth_dossier
from lienthong_tools.devstack import SERVICES, Stack
from lienthong_tools.pytest_plugin import create_database, drop_database

BUNDLES = 150
CONCURRENCY = 16
DEFAULT_PORT_BASE = 19500


def _dossier() -> dict[str, Any]:
    record = sample_dossier()
    subjects = ["sub_" + c * 32 for c in "abcb"]  # applicant = father: three citizens
    record["persons"] = [
        dict(person, subject_id=subject)
        for person, subject in zip(record["persons"], subjects, strict=True)
    ]
    return record


def _rate(n: int, started: float, cpu_started: float) -> tuple[float, float]:
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return n / wall, cpu / n * 1e6


async def codec_and_keys(n: int = 20_000) -> list[Figure]:
    schemas = load_schema_set()
    avro = AvroCodec(schemas.all_versions())
    url = await create_database("bench_keys_")
    pool = await create_pool(url, MIGRATIONS, max_size=4)
    try:
        master = LocalMasterKeys(parse_master_keys(new_master_key_entry(1)))
        ring = KeyRing(pool, master, "intake", ttl=3600)
        catalog = load_catalog(schemas)
        writer = PersonalData.for_service(schemas, catalog, "intake", ring)
        reader = PersonalData.for_service(schemas, catalog, "identity", ring)
        record = _dossier()

        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            plain = avro.encode(DOSSIER, record)
        plain_encode, plain_encode_us = _rate(n, started, cpu)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            avro.decode(plain)
        plain_decode, plain_decode_us = _rate(n, started, cpu)

        sealed = avro.encode(DOSSIER, await writer.seal(DOSSIER, record))  # warms the cache
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            sealed = avro.encode(DOSSIER, await writer.seal(DOSSIER, record))
        sealed_encode, sealed_encode_us = _rate(n, started, cpu)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            await reader.open(DOSSIER, avro.decode(sealed).record, fresh=True)
        sealed_decode, sealed_decode_us = _rate(n, started, cpu)

        keys = await _key_figures(pool, master)
    finally:
        await pool.close()
        await drop_database(url)
    return [
        Figure("codec.plain_encode_per_s", plain_encode, "rec/s"),
        Figure("codec.plain_encode_cpu_us", plain_encode_us, "us/rec"),
        Figure("codec.encrypted_encode_per_s", sealed_encode, "rec/s"),
        Figure("codec.encrypted_encode_cpu_us", sealed_encode_us, "us/rec"),
        Figure("codec.encrypted_encode_vs_plain", sealed_encode / plain_encode, "x"),
        Figure("codec.plain_decode_per_s", plain_decode, "rec/s"),
        Figure("codec.plain_decode_cpu_us", plain_decode_us, "us/rec"),
        Figure("codec.encrypted_decode_per_s", sealed_decode, "rec/s"),
        Figure("codec.encrypted_decode_cpu_us", sealed_decode_us, "us/rec"),
        Figure("codec.encrypted_decode_vs_plain", sealed_decode / plain_decode, "x"),
        Figure("codec.encrypted_record_bytes", len(sealed), "B"),
        Figure("codec.plain_record_bytes", len(plain), "B"),
        *keys,
    ]


async def _key_figures(pool: asyncpg.Pool, master: LocalMasterKeys) -> list[Figure]:
    creator = KeyRing(pool, master, "bench", ttl=3600)
    subjects = [f"sub_bench{i:028d}" for i in range(2_000)]
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(subjects), 3):  # a dossier names about three citizens
        await creator.for_sealing(subjects[i : i + 3], "bench")
    created, created_us = _rate(len(subjects), started, cpu)

    cold = KeyRing(pool, master, "bench-reader", ttl=3600)
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(subjects), 3):
        await cold.for_opening(subjects[i : i + 3], "bench")
    uncached, uncached_us = _rate(len(subjects), started, cpu)

    rounds = 100_000
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(rounds):
        await cold.for_opening((subjects[i % len(subjects)],), "bench")
    cached, cached_us = _rate(rounds, started, cpu)
    return [
        Figure("keys.create_per_s", created, "keys/s"),
        Figure("keys.create_cpu_us", created_us, "us/key"),
        Figure("keys.unwrap_uncached_per_s", uncached, "keys/s"),
        Figure("keys.unwrap_uncached_cpu_us", uncached_us, "us/key"),
        Figure("keys.unwrap_cached_per_s", cached, "keys/s"),
        Figure("keys.unwrap_cached_cpu_us", cached_us, "us/key"),
    ]


async def _bundles_per_s(extra_env: dict[str, str], port_base: int, count: int) -> float:
    async with Stack(port_base=port_base, extra_env=extra_env) as stack:
        officer = stack.token(Role.OFFICER, agency="JUSTICE", unit="51")
        intake = stack.url("intake")
        spec = next(s for s in SERVICES if s.name == "orchestrator")
        conn = await asyncpg.connect(stack.database_url(spec))
        try:
            queue: asyncio.Queue[int] = asyncio.Queue()
            for i in range(count):
                queue.put_nowait(i)
            async with httpx.AsyncClient(timeout=30) as client:

                async def worker() -> None:
                    while not queue.empty():
                        family = queue.get_nowait()
                        r = await client.post(
                            f"{intake}/api/v1/dossiers",
                            json=birth_dossier(family=family),
                            headers={
                                "Authorization": f"Bearer {officer}",
                                "Idempotency-Key": str(uuid.uuid4()),
                            },
                        )
                        r.raise_for_status()

                started = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
                deadline = started + 300
                while time.perf_counter() < deadline:
                    done = await conn.fetchval(
                        "SELECT count(*) FROM bundles WHERE state = 'completed'"
                    )
                    if done >= count:
                        break
                    await asyncio.sleep(0.05)
                else:
                    raise TimeoutError(f"only {done} of {count} bundles completed")
                return count / (time.perf_counter() - started)
        finally:
            await conn.close()


async def birth_bundles_sealed_vs_clear(count: int = BUNDLES) -> list[Figure]:
    port_base = int(os.environ.get("LIENTHONG_BENCH_PORT_BASE", DEFAULT_PORT_BASE))
    clear = await _bundles_per_s({"KEYS_DATABASE_URL": ""}, port_base, count)
    sealed = await _bundles_per_s({}, port_base, count)
    return [
        Figure("personal.birth_bundles_clear_per_s", clear, "1/s"),
        Figure("personal.birth_bundles_sealed_per_s", sealed, "1/s"),
        Figure("personal.birth_bundles_sealed_vs_clear", sealed / clear, "x"),
    ]
