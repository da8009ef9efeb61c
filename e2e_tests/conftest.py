"""Black-box fixtures: every service as a real process on the real broker and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from lienthong.auth import Role
from lienthong.devstack import Stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest_asyncio.fixture(scope="session")
async def stack() -> AsyncIterator[Stack]:
    async with Stack(port_base=18000) as running:
        yield running


@pytest.fixture(scope="session")
def officer_token(stack: Stack) -> str:
    return stack.token(Role.OFFICER, agency="JUSTICE", unit="51")


@pytest.fixture(scope="session")
def auditor_token(stack: Stack) -> str:
    return stack.token(Role.AUDITOR)
