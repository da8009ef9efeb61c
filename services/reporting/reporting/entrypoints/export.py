"""The Project 06 report as a spreadsheet (the template's forms) and as CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from lienthong.auth import Principal
from lienthong.policy import Scope, as_principal, guard
from reporting.adapters.spreadsheet import csv_text, workbook_bytes
from reporting.domain.report import UnitTree
from reporting.domain.template import Sheet, sheets
from reporting.entrypoints.api import Report, report_request
from reporting.service_layer.project06 import build

router = APIRouter(prefix="/api/v1", tags=["read models"])
Reader = Annotated[
    Principal, Depends(as_principal(guard("report.export", officer=Scope.ALL, auditor=Scope.ALL)))
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _province_name(tree: UnitTree) -> str:
    return next((u.name_vi for u in tree.units.values() if u.level == "province"), "")


async def _sheets(request: Request, query: Report) -> tuple[list[Sheet], str]:
    tree: UnitTree = request.app.state.units
    report = await build(
        request.app.state.pool, report_request(request, query), tree, request.app.state.catalogue
    )
    name = f"bao-cao-de-an-06_{report['from']}_{report['to']}_{report.get('unit') or 'tinh'}"
    return sheets(report, _province_name(tree)), name


@router.get(
    "/reports/project06.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The report's forms (Biểu 01–05)"}},
)
async def project06_xlsx(request: Request, query: Report, principal: Reader) -> Response:
    """The Project 06 report as an .xlsx workbook laid out like the template (same query
    parameters and the same figures as ``/reports/project06``)."""
    forms, name = await _sheets(request, query)
    return Response(
        workbook_bytes(forms),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


@router.get(
    "/reports/project06.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One row per figure"}},
)
async def project06_csv(request: Request, query: Report, principal: Reader) -> Response:
    """Every figure of the report's forms as CSV: form, row, column title, value."""
    forms, name = await _sheets(request, query)
    return Response(
        csv_text(forms),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
