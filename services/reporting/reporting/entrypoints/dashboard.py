"""The Project 06 dashboard page (static HTML; it reads the report API with the user's token)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from lienthong.policy import public

router = APIRouter(tags=["dashboard"])
PAGE = Path(__file__).with_name("dashboard.html")


@router.get(
    "/dashboard",
    response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(public("dashboard.page", limited=False))],
)
async def dashboard() -> HTMLResponse:
    """The dashboard page; the token comes in the URL fragment (#token=...), never the query."""
    return HTMLResponse(PAGE.read_text("utf-8"))
