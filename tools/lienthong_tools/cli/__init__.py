"""The ``lienthong`` command line: one entry point for operating and checking the platform.

Why this exists: developers, CI and operators run the same commands (``make schemas-check``
calls ``lienthong schemas check``). Each area is a Typer sub-app in its own module, mounted
in ``main.py``. A user mistake ends in one red line on stderr and a non-zero exit, never a
traceback: sub-apps report through ``fail`` and ``report_problems``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape


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
