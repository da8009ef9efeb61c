"""Black-box fixtures: every service as a real process on the real broker and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from lienthong.auth import Role
from lienthong_tools.devstack import Stack


@pytest_asyncio.fixture(scope="session")
async def stack() -> AsyncIterator[Stack]:
    # LIENTHONG_E2E_PORT_BASE lets two runs share a machine without sharing ports.
    port_base = int(os.environ.get("LIENTHONG_E2E_PORT_BASE", "18000"))
    async with Stack(port_base=port_base) as running:
        yield running


@pytest.fixture(scope="session")
def officer_token(stack: Stack) -> str:
    return stack.token(Role.OFFICER, agency="JUSTICE", unit="51")


@pytest.fixture(scope="session")
def auditor_token(stack: Stack) -> str:
    return stack.token(Role.AUDITOR)
