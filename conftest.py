"""Test tiers by location: ``*/tests/integration/`` → integration, ``e2e_tests/`` → e2e.

Why this exists: ``make unit`` selects ``not integration and not e2e``; the markers follow
from where a test lives, so no test can land in the wrong tier by forgetting a marker. The
shared fixtures on the real broker and PostgreSQL (``database``, ``topic``) come from one
plugin, ``lienthong_tools.pytest_plugin``, instead of a conftest copied into each package.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["lienthong_tools.pytest_plugin"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = item.path.parts
        if "e2e_tests" in parts:
            item.add_marker(pytest.mark.e2e)
        elif "integration" in parts and "tests" in parts:
            item.add_marker(pytest.mark.integration)
