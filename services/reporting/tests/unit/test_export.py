"""The catalogue matches intake's; the spreadsheet and CSV hold exactly the report's figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from openpyxl import load_workbook

from reporting.adapters.spreadsheet import csv_text, workbook_bytes
from reporting.domain.catalogue import Catalogue
from reporting.domain.project06 import birth_section, dossier_sections, names
from reporting.domain.report import UnitTree, assemble
from reporting.domain.template import sheets

INTAKE_CATALOGUE = (
    Path(__file__).resolve().parents[3] / "intake" / "intake" / "data" / "procedures.yaml"
)


def test_reporting_catalogue_equals_intakes_codes_names_and_flags() -> None:
    intake = yaml.safe_load(INTAKE_CATALOGUE.read_text("utf-8"))["procedures"]
    ours = Catalogue.load().procedures
    assert [(p.code, p.name_vi, p.essential, p.notification) for p in ours] == [
        (p["code"], p["name_vi"], p.get("essential", False), p.get("notification", False))
        for p in intake
    ]
    assert len(Catalogue.load().essential) == 25


def _row(procedure: str, unit: str, **figures: int) -> Any:
    base = dict.fromkeys(
        (
            "submitted",
            "decided",
            "approved",
            "acknowledged",
            "rejected",
            "on_time",
            "overdue",
            "late_recorded",
            "pending_within_due",
            "pending_overdue",
        ),
        0,
    )
    return SimpleNamespace(procedure_code=procedure, unit_code=unit, **(base | figures))


def _report() -> dict[str, Any]:
    tree, catalogue = UnitTree.load(), Catalogue.load()
    rows = [
        _row(
            "PASSPORT",
            "21211",
            submitted=7,
            decided=5,
            approved=4,
            rejected=1,
            on_time=3,
            overdue=2,
            late_recorded=1,
            pending_overdue=2,
        ),
        _row("STAY_NOTIFICATION", "522", submitted=3, decided=3, acknowledged=3, on_time=3),
    ]
    sections = dossier_sections(rows, catalogue, tree)
    report = assemble([], {}, {}, tree)
    totals = sections["totals"]
    report["dossiers"].update(
        submitted=totals["submitted"],
        completed=totals["decided"],
        completed_on_time=totals["on_time"],
        completed_overdue=totals["overdue"],
        decisions={k: totals[k] for k in ("approved", "acknowledged", "rejected")},
        late_recorded=totals["late_recorded"],
        pending_within_due=totals["pending_within_due"],
        pending_overdue=totals["pending_overdue"],
    )
    report.pop("id_number_errors")
    report["insurance"]["cccd_with_valid_bhyt"] = {"total": 12, "by_unit": {}}
    return {
        "from": "2022-01-01",
        "to": "2022-06-30",
        "as_of": "2022-06-30",
        "unit": None,
        "unit_name": None,
        **report,
        "essential_services": sections["essential_services"],
        "procedures": sections["by_procedure"],
        "units": sections["by_unit"],
        "births": birth_section([], {"NEEDS_VERIFICATION": 4}),
        "trend": [],
        "names": names(catalogue, tree),
    }


def test_units_roll_up_to_district_and_province_with_vietnamese_names() -> None:
    report = _report()
    assert report["units"]["21211"]["name_vi"] == "Xã Tịnh Khê"
    assert report["units"]["522"]["submitted"] == 10
    assert report["units"]["51"]["submitted"] == 10
    assert report["essential_services"]["without_dossiers"] == 23


def test_workbook_holds_the_reports_figures_in_the_templates_forms() -> None:
    report = _report()
    book = load_workbook(io.BytesIO(workbook_bytes(sheets(report, "Tỉnh Quảng Ngãi"))))
    assert book.sheetnames[0] == "Biểu 01 - DVC thiết yếu"
    first = book["Biểu 01 - DVC thiết yếu"]
    assert first["A1"].value == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    values = [[c.value for c in row] for row in first.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "STT")
    by_code = {r[1]: r for r in values[header + 1 :] if r[1]}
    passport = dict(zip(values[header], by_code["PASSPORT"], strict=True))
    assert passport["Số hồ sơ tiếp nhận"] == 7
    assert passport["Trễ hạn"] == 2 and passport["Ghi nhận muộn"] == 1
    assert passport["Đang giải quyết quá hạn"] == 2
    assert len(by_code) == 25  # every essential service, with or without dossiers
    total = next(r for r in values if r[2] == "Tổng cộng")
    assert total[3] == 10 and total[4] == 8
    data = [[c.value for c in row] for row in book["Biểu 04 - Dữ liệu dân cư"].iter_rows()]
    assert ["BHYT", "CCCD đã đồng bộ với thẻ BHYT còn hiệu lực", 12] in data
    assert ["Số định danh", "NEEDS_VERIFICATION", 4] in data


def test_csv_has_one_row_per_figure_of_the_forms() -> None:
    report = _report()
    rows = list(csv.DictReader(io.StringIO(csv_text(sheets(report, "Tỉnh Quảng Ngãi")))))
    passport = {
        r["chi_tieu"]: r["gia_tri"]
        for r in rows
        if r["bieu"] == "Biểu 01 - DVC thiết yếu" and "PASSPORT" in r["dong"]
    }
    assert passport["Chấp thuận"] == "4" and passport["Từ chối"] == "1"
