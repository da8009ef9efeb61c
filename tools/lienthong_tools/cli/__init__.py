"""The ``lienthong`` command line: one entry point for operating and checking the platform.

Why this exists: developers, CI and operators run the same commands (``make schemas-check``
calls ``lienthong schemas check``). Each area is a Typer sub-app in its own module, mounted
in ``main.py``. A user mistake ends in one red line on stderr and a non-zero exit, never a
traceback: sub-apps report through ``fail`` and ``report_problems``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from lienthong.settings import KafkaSettings


def stdout() -> Console:
    """A console for normal output; lines are never hard-wrapped (logs and CI stay greppable)."""
    return Console(highlight=False, soft_wrap=True)


def fail(message: str, *, code: int = 1) -> NoReturn:
    """Print ``message`` as one red line on stderr and exit with ``code``."""
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    console.print(f"[red]error: {escape(message)}[/red]")
    raise typer.Exit(code)


def report_problems(problems: Sequence[str], *, code: int = 1) -> NoReturn:
    """Print each problem as a red line on stderr, then a count, and exit with ``code``."""
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    for problem in problems:
        console.print(f"[red]{escape(problem)}[/red]")
    noun = "problem" if len(problems) == 1 else "problems"
    console.print(f"[red]error: {len(problems)} {noun}[/red]")
    raise typer.Exit(code)


def kafka_client_config(bootstrap: str) -> dict[str, Any]:
    """Client settings incl. SASL/TLS from ``KAFKA_*`` (security is configuration)."""
    os.environ.setdefault("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
    settings = KafkaSettings()  # type: ignore[call-arg]
    config: dict[str, Any] = settings.client_config()
    config["bootstrap.servers"] = bootstrap
    return config


def when(value: str | None, option: str) -> datetime | None:
    """``value`` of ``option`` as an aware date-time, or one red line and exit 1."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not an ISO 8601 date-time")
    if parsed.tzinfo is None:
        fail(f"{option}: {value!r} needs a UTC offset (e.g. +07:00)")
    return parsed
