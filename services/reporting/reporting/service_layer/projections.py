"""Projection handler: each event becomes one fact in the projection versions.

Every consumed event becomes one fact (``domain.facts``) in the live version and any version
being rebuilt, inside the consumer's transaction. The walking skeleton's per-dossier view and
counters are aggregates over those facts (``adapters.figures``), so a replay rebuilds them
too (ADR 0051).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lienthong.bus import UnitOfWork
from reporting.adapters import repository
from reporting.domain.events import CONSUMED
from reporting.domain.facts import Stamp, fact_of


@dataclass(frozen=True)
class Dependencies:
    pass


@dataclass
class ProjectionUnitOfWork(UnitOfWork):
    """The consumer's transaction, with when the log recorded the event being projected."""

    recorded_at: datetime | None = None


async def project(event: object, uow: UnitOfWork, deps: Dependencies) -> None:
    """Record the event's fact in every version being served or built."""
    if uow.cause is None:
        raise ValueError("a projected event needs its envelope")
    recorded = getattr(uow, "recorded_at", None) or uow.cause.time
    fact = fact_of(event, Stamp(uow.cause.id, recorded))
    if fact is not None:
        await repository.add_fact(uow.conn, fact)


HANDLERS: dict[type, Any] = {cls: project for cls in CONSUMED.values()}
