"""Abuse limits on unauthenticated and citizen endpoints: 429 with ``Retry-After``.

Why this exists: the public dossier look-up answered without limit — one known ID number
and 200 sequential dossier codes found 67 of that person's dossiers in 2 s. Each limited
route counts twice: per client (the caller's address) and per subject looked up (the
pseudonymous subject id of the ID number in the request, so the number itself is never a
key), so neither many codes for one person nor many people from one client get through.
A citizen's token is limited per subject on every citizen route.

The counting is the ``limits`` library's moving window (an exact token-bucket equivalent
for "at most N in any window", with no burst at window edges), in memory per process
(ADR 0122): a deployment with several replicas divides the limit by the replica count or
points ``limits`` at a shared storage.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from lienthong.problems import Problem


class RateLimits:
    """Named limits (``"20/minute"``) checked against any number of keys at once."""

    def __init__(self, limits: dict[str, str]) -> None:
        self._items: dict[str, RateLimitItem] = {name: parse(v) for name, v in limits.items()}
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    async def check(self, name: str, *keys: str) -> None:
        """Count one hit against ``name`` for each key; 429 if any key is over its limit."""
        item = self._items[name]
        for key in keys:
            if not await self._limiter.hit(item, name, key):
                stats = await self._limiter.get_window_stats(item, name, key)
                wait = max(1, math.ceil(stats.reset_time - time.time()))
                raise Problem(
                    429,
                    "too-many-requests",
                    "Too many requests; retry later",
                    f"at most {item} for this {name}",
                    retry_after=wait,
                )
