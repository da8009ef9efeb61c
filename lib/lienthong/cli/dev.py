"""Developer commands: tokens for trying the APIs, demo data."""

from __future__ import annotations

import asyncio
import os

import typer

from lienthong.auth import Role, issue_token
from lienthong.cli import fail

app = typer.Typer(no_args_is_help=True, help="Local development helpers.")


def _secret() -> str:
    secret = os.environ.get("AUTH_JWT_SECRET")
    if not secret:
        fail("AUTH_JWT_SECRET is not set (source .local/dev.env first)")
    return secret


@app.command()
def token(
    role: Role = typer.Option(Role.OFFICER, help="citizen, officer, auditor or admin"),
    subject: str = typer.Option("demo-user"),
    agency: str = typer.Option("JUSTICE", help="officer's agency"),
    unit: str = typer.Option("51", help="officer's administrative unit code"),
) -> None:
    """Print a bearer token signed with the local secret."""
    officer = role is Role.OFFICER
    typer.echo(
        issue_token(_secret(), subject=subject, role=role, agency=agency if officer else None,
                    unit=unit if officer else None)
    )


@app.command("demo")
def demo(
    intake_url: str = typer.Option("http://127.0.0.1:8001"),
    wait: float = typer.Option(120.0, help="seconds to wait for the services to be ready"),
    births: int = typer.Option(6),
    others: int = typer.Option(24),
) -> None:
    """Load demo dossiers (linked birth bundles and everyday procedures) through the API."""
    from lienthong import demo as demo_data

    secret = _secret()
    officer = issue_token(secret, subject="demo-officer", role=Role.OFFICER, agency="JUSTICE", unit="51")
    try:
        asyncio.run(demo_data.wait_ready([intake_url], wait))
        codes = asyncio.run(demo_data.load(intake_url, officer, births, others))
    except (TimeoutError, OSError) as exc:
        fail(str(exc))
    typer.echo(f"loaded {len(codes)} demo dossiers ({births} linked birth bundles)")
