"""Developer commands: tokens for trying the APIs, demo data."""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

import typer

from lienthong.auth import Role, issue_token
from lienthong_tools.cli import fail

app = typer.Typer(no_args_is_help=True, help="Local development helpers.")


def _secret() -> str:
    secret = os.environ.get("AUTH_JWT_SECRET")
    if not secret:
        fail("AUTH_JWT_SECRET is not set (source .local/dev.env first)")
    return secret


@app.command()
def token(
    role: Annotated[Role, typer.Option(help="citizen, officer, auditor or admin")] = Role.OFFICER,
    subject: Annotated[str, typer.Option(help="the token's sub claim")] = "demo-user",
    agency: Annotated[str, typer.Option(help="officer's agency")] = "JUSTICE",
    unit: Annotated[str, typer.Option(help="officer's administrative unit code")] = "51",
) -> None:
    """Print a bearer token signed with the local secret."""
    officer = role is Role.OFFICER
    typer.echo(
        issue_token(
            _secret(),
            subject=subject,
            role=role,
            agency=agency if officer else None,
            unit=unit if officer else None,
        )
    )


@app.command("demo")
def demo(
    intake_url: Annotated[str, typer.Option(help="intake's base URL")] = "http://127.0.0.1:8001",
    wait: Annotated[float, typer.Option(help="seconds to wait for the services")] = 120.0,
    births: Annotated[int, typer.Option(help="linked birth dossiers")] = 6,
    others: Annotated[int, typer.Option(help="everyday dossiers")] = 24,
) -> None:
    """Load demo dossiers (linked birth bundles and everyday procedures) through the API."""
    from lienthong_tools import demo as demo_data

    secret = _secret()
    officer = issue_token(
        secret, subject="demo-officer", role=Role.OFFICER, agency="JUSTICE", unit="51"
    )
    try:
        asyncio.run(demo_data.wait_ready([intake_url], wait))
        codes = asyncio.run(demo_data.load(intake_url, officer, births, others))
    except (TimeoutError, OSError) as exc:
        fail(str(exc))
    typer.echo(f"loaded {len(codes)} demo dossiers ({births} linked birth bundles)")
