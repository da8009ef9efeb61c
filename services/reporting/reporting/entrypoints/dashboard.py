"""The Project 06 dashboard page (static HTML; it reads the report API with the user's token).

The page signs the officer in itself: OIDC authorization code flow with PKCE (S256) against
the configured identity provider, whose issuer, client id and redirect URI the page finds in
a JSON block this route fills from the settings.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from lienthong.dev_identity_provider import PREFIX as DEV_PROVIDER_PREFIX
from lienthong.policy import public

router = APIRouter(tags=["dashboard"])
PAGE = Path(__file__).with_name("dashboard.html")
MARK = "/*SIGN-IN*/{}"


def sign_in_settings(request: Request) -> dict[str, str | None]:
    """Issuer, client id and redirect URI for the page (nothing secret: a public client)."""
    settings = request.app.state.settings
    origin = str(request.base_url).rstrip("/")
    issuer = settings.oidc_issuer
    if issuer is None and settings.dev_identity_provider:
        issuer = origin + DEV_PROVIDER_PREFIX
    return {
        "issuer": issuer.rstrip("/") if issuer else None,
        "client_id": settings.oidc_client_id,
        "redirect_uri": settings.oidc_redirect_uri or origin + "/dashboard",
    }


@router.get(
    "/dashboard",
    response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(public("dashboard.page", limited=False))],
)
async def dashboard(request: Request) -> HTMLResponse:
    """The dashboard page; a token never travels in the query (a fragment or sign-in only)."""
    config = json.dumps(sign_in_settings(request)).replace("<", "\\u003c")
    return HTMLResponse(PAGE.read_text("utf-8").replace(MARK, config))
