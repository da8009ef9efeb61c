"""Published contracts tell the truth: schemathesis drives every service's OpenAPI against
the running service (bounded examples) and finds no server error and no answer outside the
documented schema."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lienthong.auth import Role
from lienthong_tools.devstack import Stack

SERVICES = (
    "intake",
    "digitization",
    "identity",
    "orchestrator",
    "reporting",
    "population_registry",
    "civil_registry",
    "residence",
    "insurance",
    "welfare",
    "national_portal",
)
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"


def schemathesis(url: str, token: str, report: Path) -> subprocess.CompletedProcess[str]:
    st = Path(sys.executable).with_name("st")
    return subprocess.run(
        [
            str(st),
            "run",
            f"{url}/openapi.json",
            "--checks",
            CHECKS,
            "--phases",
            os.environ.get("LIENTHONG_SCHEMATHESIS_PHASES", "examples,fuzzing"),
            "--max-examples",
            os.environ.get("LIENTHONG_SCHEMATHESIS_EXAMPLES", "8"),
            "--seed",
            "15",
            "--workers",
            "1",
            "--request-timeout",
            "15",
            "--header",
            f"Authorization: Bearer {token}",
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize("service", SERVICES)
async def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    stack: Stack, service: str
) -> None:
    token = stack.token(Role.ADMIN)
    report = stack.log_dir / f"schemathesis-{service}.xml"
    run = await asyncio.to_thread(schemathesis, stack.url(service), token, report)
    assert run.returncode == 0, run.stdout[-6000:]
