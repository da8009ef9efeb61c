"""Message bus: the one way entry points reach handlers.

Why this exists: an HTTP route and a Kafka consumer both end in the same place — a plain
handler function looked up by message type in an explicit registry, given a unit of work
(one PostgreSQL transaction with the outbox bound to it) and the service's dependencies.
Entry points only decode and call ``bus.handle``; handlers never see Kafka or HTTP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import asyncpg

from lienthong.envelope import Envelope
from lienthong.inbox import Dispatch, IncomingEvent
from lienthong.mapping import from_record
from lienthong.outbox import Outbox

D = TypeVar("D")


@dataclass
class UnitOfWork:
    """One database transaction; events emitted here commit or roll back with it."""

    conn: asyncpg.Connection
    outbox: Outbox
    cause: Envelope | None = None

    async def emit(
        self,
        event: object,
        *,
        time: datetime,
        subject: str | None = None,
    ) -> Envelope:
        """Add ``event`` to the outbox; its topic and partition key come from the catalog."""
        return await self.outbox.add(
            self.conn,
            event=event,
            time=time,
            subject=subject,
            cause=self.cause,
        )


Handler = Callable[[Any, UnitOfWork, D], Awaitable[Any]]


class MessageBus(Generic[D]):
    def __init__(
        self, handlers: Mapping[type, Handler[D]], dependencies: D, outbox: Outbox
    ) -> None:
        self._handlers = dict(handlers)
        self.dependencies = dependencies
        self.outbox = outbox

    async def handle(self, message: object, uow: UnitOfWork) -> Any:
        handler = self._handlers.get(type(message))
        if handler is None:
            raise LookupError(f"no handler registered for {type(message).__name__}")
        return await handler(message, uow, self.dependencies)

    async def handle_in_transaction(self, pool: asyncpg.Pool, message: object) -> Any:
        async with pool.acquire() as conn, conn.transaction():
            return await self.handle(message, UnitOfWork(conn, self.outbox))

    def consumer_dispatch(self, event_classes: Mapping[str, type]) -> Dispatch:
        """Decode an incoming event into its domain class and hand it to the bus."""

        async def dispatch(conn: asyncpg.Connection, incoming: IncomingEvent) -> None:
            cls = event_classes[incoming.event_type]
            message: object = from_record(cls, incoming.record)
            await self.handle(message, UnitOfWork(conn, self.outbox, incoming.envelope))

        return dispatch
