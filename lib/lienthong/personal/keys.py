"""The key service: citizens' data keys in PostgreSQL, wrapped; unwrapping with a cache and
an audit trail; KEK rotation; erasure by key destruction.

Why this exists: crypto-shredding needs exactly one place where a citizen's data key lives.
It is the ``keys`` database: ``data_keys`` holds each subject's 256-bit data key wrapped by
the KEK (``MasterKey``: configuration or a Transit KMS), ``key_access`` records which
service created or unwrapped whose key for what purpose (one row per cache miss), and
``erasures`` who destroyed whose key and why. ``KeyRing`` is what a service holds: it
creates keys for subjects it writes about, unwraps keys for subjects it may read, and keeps
unwrapped keys in memory for ``ttl`` seconds (an erased key may be served from a cache for
at most that long; services that show personal data forget it at once on the erasure
event). ``KeyService`` is the administrative side: erase and rotate.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from lienthong.personal.master import MasterKey
from lienthong.personal.sealing import DataKey

MIGRATIONS = Path(__file__).parent / "migrations"
KEY_BYTES = 32


@dataclass(frozen=True)
class Erasure:
    erasure_id: uuid.UUID
    subject_id: str
    requested_by: str
    requested_by_unit: str | None
    legal_basis: str
    reason: str
    keys_destroyed: int
    erased_at: datetime


class KeyRing:
    """One service's access to data keys, with an in-memory cache of unwrapped keys."""

    def __init__(
        self, pool: asyncpg.Pool, master: MasterKey, service: str, *, ttl: float = 300.0
    ) -> None:
        self._pool = pool
        self._master = master
        self._service = service
        self._ttl = ttl
        self._cache: dict[str, tuple[DataKey | None, float]] = {}
        self._lock = asyncio.Lock()
        self.misses = 0

    @property
    def master(self) -> MasterKey:
        return self._master

    def forget(self, subject_id: str) -> None:
        """Drop a cached key (on an erasure event), so it is never used again here."""
        self._cache.pop(subject_id, None)

    def clear(self) -> None:
        self._cache.clear()

    def _cached(self, subjects: Iterable[str]) -> tuple[dict[str, DataKey | None], list[str]]:
        now = time.monotonic()
        found: dict[str, DataKey | None] = {}
        missing: list[str] = []
        for subject in subjects:
            entry = self._cache.get(subject)
            if entry is not None and entry[1] > now:
                found[subject] = entry[0]
            else:
                missing.append(subject)
        return found, missing

    def _remember(self, keys: dict[str, DataKey | None]) -> None:
        expires = time.monotonic() + self._ttl
        for subject, key in keys.items():
            self._cache[subject] = (key, expires)

    async def for_opening(self, subjects: Iterable[str], purpose: str) -> dict[str, DataKey | None]:
        """Keys to open what was sealed for ``subjects``; None for an erased (or unknown) one."""
        found, missing = self._cached(subjects)
        if not missing:
            return found
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                """WITH wanted AS (SELECT unnest($1::text[]) AS subject_id),
                        logged AS (
                          INSERT INTO key_access (service, action, purpose, subject_id)
                          SELECT $2, 'unwrap', $3, subject_id FROM wanted)
                   SELECT d.subject_id, d.key_id, d.wrapped
                   FROM data_keys d JOIN wanted USING (subject_id)""",
                missing,
                self._service,
                purpose,
            )
        unwrapped = await self._unwrap(rows)
        loaded: dict[str, DataKey | None] = {subject: None for subject in missing}
        loaded.update(unwrapped)
        self.misses += len(missing)
        self._remember(loaded)
        found.update(loaded)
        return found

    async def for_sealing(self, subjects: Iterable[str], purpose: str) -> dict[str, DataKey]:
        """Keys to seal data about ``subjects``, creating a key for each subject that has none
        (also for one whose earlier key was erased: new data, new key)."""
        wanted = set(subjects)
        found, missing = self._cached(wanted)
        keys: dict[str, DataKey] = {s: k for s, k in found.items() if k is not None}
        missing += [s for s, k in found.items() if k is None]
        if not missing:
            return keys
        async with self._lock:  # one creator per process at a time: no wasted wraps
            loaded = await self._load_or_create(missing, purpose)
        self.misses += len(missing)
        self._remember(dict(loaded))
        keys.update(loaded)
        return keys

    async def _load_or_create(self, subjects: list[str], purpose: str) -> dict[str, DataKey]:
        """One round trip in the common case (subjects new to the key service): insert fresh
        wrapped keys, keep those that were not there yet, log the access; a second one only
        for subjects that already had a key (theirs is unwrapped and used)."""
        materials = [os.urandom(KEY_BYTES) for _ in subjects]
        key_ids = [os.urandom(4) for _ in subjects]
        wrapped = await self._master.wrap(materials, subjects)
        async with self._pool.acquire() as conn:
            inserted = await conn.fetch(
                """WITH input AS (
                     SELECT * FROM unnest($1::text[], $2::bytea[], $3::int[], $4::bytea[])
                       AS t(subject_id, key_id, kek_version, wrapped)),
                   logged AS (
                     INSERT INTO key_access (service, action, purpose, subject_id)
                     SELECT $5, 'seal', $6, subject_id FROM input)
                   INSERT INTO data_keys (subject_id, key_id, kek_version, wrapped)
                   SELECT * FROM input ON CONFLICT (subject_id) DO NOTHING
                   RETURNING subject_id""",
                subjects,
                key_ids,
                [self._master.version_of(w) for w in wrapped],
                wrapped,
                self._service,
                purpose,
            )
            created = {r["subject_id"] for r in inserted}
            keys = {
                subject: DataKey.of(key_id, material)
                for subject, key_id, material in zip(subjects, key_ids, materials, strict=True)
                if subject in created
            }
            existing = [s for s in subjects if s not in created]
            if existing:
                rows = await conn.fetch(
                    """SELECT subject_id, key_id, wrapped FROM data_keys
                       WHERE subject_id = ANY($1::text[])""",
                    existing,
                )
                keys.update(await self._unwrap(rows))
        return keys

    async def _unwrap(self, rows: list[asyncpg.Record]) -> dict[str, DataKey]:
        if not rows:
            return {}
        subjects = [r["subject_id"] for r in rows]
        materials = await self._master.unwrap([bytes(r["wrapped"]) for r in rows], subjects)
        return {
            r["subject_id"]: DataKey.of(bytes(r["key_id"]), material)
            for r, material in zip(rows, materials, strict=True)
        }


class KeyService:
    """Administrative operations on the key database: erase a citizen's key, rotate the KEK."""

    def __init__(self, pool: asyncpg.Pool, master: MasterKey) -> None:
        self._pool = pool
        self._master = master

    async def erase(
        self,
        conn: asyncpg.Connection,
        subject_id: str,
        *,
        requested_by: str,
        requested_by_unit: str | None,
        legal_basis: str,
        reason: str,
        erasure_id: uuid.UUID | None = None,
    ) -> Erasure:
        """Destroy the subject's data key in the caller's transaction and record who and why.

        The caller writes the ``PersonalDataErased`` event to its outbox in the same
        transaction, so the erasure and its announcement happen together.
        """
        destroyed = await conn.fetchval(
            "WITH gone AS (DELETE FROM data_keys WHERE subject_id = $1 RETURNING 1)"
            " SELECT count(*) FROM gone",
            subject_id,
        )
        erasure = Erasure(
            erasure_id=erasure_id or uuid.uuid4(),
            subject_id=subject_id,
            requested_by=requested_by,
            requested_by_unit=requested_by_unit,
            legal_basis=legal_basis,
            reason=reason,
            keys_destroyed=int(destroyed),
            erased_at=datetime.now(UTC),
        )
        await conn.execute(
            """INSERT INTO erasures (erasure_id, subject_id, requested_by, requested_by_unit,
                                     legal_basis, reason, keys_destroyed, erased_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            erasure.erasure_id,
            erasure.subject_id,
            erasure.requested_by,
            erasure.requested_by_unit,
            erasure.legal_basis,
            erasure.reason,
            erasure.keys_destroyed,
            erasure.erased_at,
        )
        await conn.execute(
            """INSERT INTO key_access (service, action, purpose, subject_id)
               VALUES ('keys', 'erase', $1, $2)""",
            f"{legal_basis}: {reason}",
            subject_id,
        )
        return erasure

    async def rotate(self, *, batch: int = 500) -> int:
        """Rewrap every data key not yet under the current KEK; returns how many."""
        current = self._master.current_version
        done = 0
        while True:
            async with self._pool.acquire() as conn, conn.transaction():
                rows = await conn.fetch(
                    """SELECT subject_id, wrapped FROM data_keys WHERE kek_version <> $1
                       ORDER BY subject_id LIMIT $2 FOR UPDATE SKIP LOCKED""",
                    current,
                    batch,
                )
                if not rows:
                    return done
                subjects = [r["subject_id"] for r in rows]
                materials = await self._master.unwrap([bytes(r["wrapped"]) for r in rows], subjects)
                wrapped = await self._master.wrap(materials, subjects)
                await conn.execute(
                    """UPDATE data_keys d SET wrapped = u.wrapped, kek_version = $3,
                                             rewrapped_at = now()
                       FROM unnest($1::text[], $2::bytea[]) AS u(subject_id, wrapped)
                       WHERE d.subject_id = u.subject_id""",
                    subjects,
                    wrapped,
                    current,
                )
                await conn.execute(
                    """INSERT INTO key_access (service, action, purpose, subject_id)
                       SELECT 'keys', 'rewrap', $1, unnest($2::text[])""",
                    f"KEK rotation to version {current}",
                    subjects,
                )
                done += len(rows)

    async def kek_versions(self) -> dict[int, int]:
        """How many data keys each KEK version wraps (a retired version must reach 0)."""
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT kek_version, count(*) AS n FROM data_keys GROUP BY 1 ORDER BY 1"
            )
        return {int(r["kek_version"]): int(r["n"]) for r in rows}
