"""Real Kafka: reporting's topics under a fresh prefix (``database`` comes from the shared
plugin)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest_asyncio

from lienthong_tools.bench.reporting import delete_topics, provision_reporting_topics


@pytest_asyncio.fixture
async def prefix() -> AsyncIterator[str]:
    """Reporting's consumed topics, created under a random prefix; deleted afterwards."""
    value = f"it{uuid.uuid4().hex[:8]}."
    await asyncio.to_thread(provision_reporting_topics, value)
    yield value
    await asyncio.to_thread(delete_topics, value)
