"""Blue/green rebuild of the fact projection from offset 0, while the live one keeps serving.

Why this exists: a projection's code changes, or an auditor doubts a figure. A new version
(schema ``projection_vN``) is registered as "building" first, so the live consumer writes
every new event into it too; then the whole log up to its end-at-start is bulk-loaded into
it (COPY, thousands of facts per transaction; event ids dedupe the overlap). When the read
is done the two versions are compared in one snapshot (exports ordered by event id) and
the new one is switched live — only if they are equal, unless asked otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
from confluent_kafka import Message

from lienthong.codec import AvroCodec, DecodeError
from reporting.adapters import repository
from reporting.adapters.event_log import LogReader, logged_event
from reporting.adapters.views import builder
from reporting.domain.facts import Stamp, fact_of

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Comparison:
    live_schema: str
    rebuilt_schema: str
    live_facts: int
    rebuilt_facts: int
    only_live: list[str]
    only_rebuilt: list[str]

    @property
    def equal(self) -> bool:
        return not self.only_live and not self.only_rebuilt


@dataclass(frozen=True)
class ReplayResult:
    version: int
    schema: str
    events: int
    facts: int
    skipped: int
    seconds: float
    comparison: Comparison | None
    switched: bool

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def facts_of_messages(
    messages: Iterable[Message], codec: AvroCodec, classes: Mapping[str, type]
) -> tuple[list[tuple[Any, ...]], int, int]:
    """Fact rows of a batch; also how many messages were read and how many were unusable
    (the live consumer dead-letters those, so they count for nothing here either)."""
    rows: list[tuple[Any, ...]] = []
    read = skipped = 0
    for msg in messages:
        read += 1
        logged = logged_event(msg)
        if logged is None:
            skipped += 1
            continue
        cls = classes.get(logged.event_type)
        if cls is None:
            continue  # audit-only type: no fact, so no need to decode it
        try:
            decoded = codec.decode(logged.body)
        except DecodeError:
            skipped += 1
            continue
        if decoded.full_name != logged.event_type:
            skipped += 1
            continue
        try:
            fact = fact_of(builder(cls)(decoded.record), Stamp(logged.event_id, logged.recorded_at))
        except (KeyError, ValueError, TypeError):
            skipped += 1
            continue
        if fact is not None:
            rows.append(fact.row())
    return rows, read, skipped


async def compare(pool: asyncpg.Pool, live: str, rebuilt: str) -> Comparison:
    """Both exports in one snapshot: the live consumer writes both versions in one
    transaction, so any difference is a difference in what the versions computed."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        left = set(await repository.export(conn, live))
        right = set(await repository.export(conn, rebuilt))
    return Comparison(
        live,
        rebuilt,
        len(left),
        len(right),
        sorted(str(r[0]) for r in left - right)[:20],
        sorted(str(r[0]) for r in right - left)[:20],
    )


async def rebuild(
    pool: asyncpg.Pool,
    client_config: dict[str, Any],
    topics: list[str],
    codec: AvroCodec,
    classes: Mapping[str, type],
    *,
    progress: Progress | None = None,
    switch: bool = True,
    switch_if_different: bool = False,
    batch_size: int = 20_000,
) -> ReplayResult:
    async with pool.acquire() as conn:
        live = await repository.live_schema(conn)
        version = await repository.create_version(conn)
    started = time.perf_counter()
    reader = await asyncio.to_thread(LogReader, client_config, topics)
    events = facts = skipped = 0
    fetching: asyncio.Future[tuple[list[Message], bool]] | None = None
    try:
        if progress:
            progress(0, reader.total)
        pending: asyncio.Task[None] | None = None

        def read() -> tuple[list[Message], bool]:
            return list(reader.batch(batch_size)), reader.done

        async with pool.acquire() as conn:
            # Three stages overlap: the next batch is fetched (a thread) while this one is
            # decoded here, and the previous one is being COPYed by PostgreSQL.
            fetching = asyncio.ensure_future(asyncio.to_thread(read))
            while fetching is not None:
                batch, done = await fetching
                fetching = None if done else asyncio.ensure_future(asyncio.to_thread(read))
                rows, read_count, bad = facts_of_messages(batch, codec, classes)
                events, skipped, facts = events + read_count, skipped + bad, facts + len(rows)
                if pending is not None:
                    await pending
                    pending = None
                if rows:
                    pending = asyncio.create_task(
                        repository.copy_facts(conn, version.schema_name, rows)
                    )
                if progress:
                    progress(events, reader.total)
            if pending is not None:
                await pending
    except BaseException:
        async with pool.acquire() as conn:
            await repository.abandon(conn, version.version)
        raise
    finally:
        if fetching is not None:  # never close the consumer under a running fetch
            with contextlib.suppress(BaseException):
                await fetching
        await asyncio.to_thread(reader.close)
    seconds = time.perf_counter() - started
    comparison = await compare(pool, live, version.schema_name)
    switched = switch and (comparison.equal or switch_if_different)
    async with pool.acquire() as conn:
        if switched:
            await repository.switch_live(conn, version.version)
        else:
            await repository.abandon(conn, version.version)  # kept, retired, for inspection
    return ReplayResult(
        version.version,
        version.schema_name,
        events,
        facts,
        skipped,
        seconds,
        comparison,
        switched,
    )
