"""The Project 06 report laid out as the province files it: numbered forms ("Biểu") with a
heading, Vietnamese column titles, one row per service or unit and a total row.

Why this exists: an officer sends the report upward as a spreadsheet in the template's
layout, not as JSON. The layout is built here from the same report dict the API returns
(pure: no I/O), so the spreadsheet and the CSV hold exactly the API's figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

Cell = str | int | float | None

DOSSIER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("submitted", "Số hồ sơ tiếp nhận"),
    ("decided", "Đã giải quyết"),
    ("approved", "Chấp thuận"),
    ("acknowledged", "Đã tiếp nhận thông báo"),
    ("rejected", "Từ chối"),
    ("on_time", "Đúng hạn"),
    ("overdue", "Trễ hạn"),
    ("late_recorded", "Ghi nhận muộn"),
    ("pending_within_due", "Đang giải quyết trong hạn"),
    ("pending_overdue", "Đang giải quyết quá hạn"),
)
LEVELS_VI = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã"}
BUNDLE_NAMES_VI = {
    "BIRTH": "Liên thông khai sinh – thường trú – thẻ BHYT trẻ em dưới 6 tuổi",
    "DEATH": "Liên thông khai tử – xóa thường trú – tử tuất, mai táng phí",
    "CIVIL_STATUS_CHANGE": "Liên thông thay đổi hộ tịch",
}
LOOKUP_NAMES_VI = {
    "FOUND_VALID": "Tra cứu thành công (thẻ còn hiệu lực)",
    "NO_VALID_CARD": "Không có thẻ còn hiệu lực",
    "NOT_FOUND": "Không tìm thấy",
    "NAME_MISMATCH": "Sai lệch họ và tên",
    "BIRTH_DATE_MISMATCH": "Sai lệch ngày sinh",
    "UNREADABLE_QR": "Không đọc được mã QR",
    "OTHER": "Khác",
}


@dataclass(frozen=True)
class Sheet:
    title: str
    heading: tuple[str, ...]
    columns: tuple[str, ...]
    #: How many leading columns name the row (the rest are figures).
    label_columns: int
    rows: tuple[tuple[Cell, ...], ...]


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def heading(report: Mapping[str, Any], province_name: str) -> tuple[str, ...]:
    unit = report.get("unit_name") or province_name
    return (
        f"ỦY BAN NHÂN DÂN {province_name.upper()}",
        "BÁO CÁO KẾT QUẢ TRIỂN KHAI ĐỀ ÁN 06",
        f"Kỳ báo cáo: từ ngày {_day(report['from'])} đến ngày {_day(report['to'])}; "
        f"số liệu tính đến ngày {_day(report['as_of'])} (theo thời điểm phát sinh)",
        f"Đơn vị: {unit}",
    )


def _figures(values: Mapping[str, Any]) -> tuple[Cell, ...]:
    return tuple(int(values.get(key, 0)) for key, _ in DOSSIER_COLUMNS)


def sheets(report: Mapping[str, Any], province_name: str) -> list[Sheet]:
    head = heading(report, province_name)
    procedures: Mapping[str, Any] = report["procedures"]
    essential_codes = [s["code"] for s in report["essential_services"]["services"]]
    rows: list[tuple[Cell, ...]] = []
    for i, code in enumerate(essential_codes, start=1):
        p = procedures[code]
        rows.append((i, code, p["name_vi"], *_figures(p)))
    others = [c for c, p in procedures.items() if c not in essential_codes and p["submitted"]]
    for i, code in enumerate(others, start=len(rows) + 1):
        p = procedures[code]
        rows.append((i, code, p["name_vi"], *_figures(p)))
    rows.append((None, None, "Tổng cộng", *_figures(report["dossiers"] | _totals(report))))
    services = report["essential_services"]
    by_service = Sheet(
        "Biểu 01 - DVC thiết yếu",
        (
            *head,
            f"Dịch vụ công thiết yếu (Quyết định 06/QĐ-TTg): {services['total']}; "
            f"có hồ sơ: {services['with_dossiers']}; chưa có hồ sơ: "
            f"{services['without_dossiers']}",
        ),
        ("STT", "Mã", "Tên thủ tục / dịch vụ công", *(t for _, t in DOSSIER_COLUMNS)),
        3,
        tuple(rows),
    )
    by_unit = Sheet(
        "Biểu 02 - Theo đơn vị",
        head,
        ("Mã đơn vị", "Tên đơn vị hành chính", "Cấp", *(t for _, t in DOSSIER_COLUMNS)),
        3,
        tuple(
            (code, u["name_vi"], LEVELS_VI.get(u["level"] or "", ""), *_figures(u))
            for code, u in report["units"].items()
        ),
    )
    bundles = Sheet(
        "Biểu 03 - Liên thông",
        head,
        (
            "Nhóm thủ tục liên thông",
            "Đã bắt đầu",
            "Hoàn thành",
            "Hoàn thành đúng hạn",
            "Quá hạn",
            "Bước thất bại",
            "Thời gian trung bình (ngày)",
        ),
        1,
        tuple(
            (
                BUNDLE_NAMES_VI.get(kind, kind),
                b["started"],
                b["completed"],
                b["completed_on_time"],
                b["breached"],
                b["step_failures"],
                round(b["avg_duration_s"] / 86400, 2) if b["avg_duration_s"] is not None else None,
            )
            for kind, b in report["linked_bundles"].items()
        ),
    )
    return [by_service, by_unit, bundles, _data_sheet(report, head), _trend_sheet(report, head)]


def _totals(report: Mapping[str, Any]) -> dict[str, int]:
    d = report["dossiers"]
    return {
        "decided": d["completed"],
        "on_time": d["completed_on_time"],
        "overdue": d["completed_overdue"],
        **d["decisions"],
    }


def _data_sheet(report: Mapping[str, Any], head: Sequence[str]) -> Sheet:
    births = report["births"]
    names = report["names"]["birth_registration_types"]
    insurance = report["insurance"]
    rows: list[tuple[Cell, ...]] = [
        ("Khai sinh", "Tổng số trẻ được đăng ký khai sinh", births["registered"])
    ]
    rows += [("Khai sinh", names.get(k, k), n) for k, n in births["by_registration_type"].items()]
    rows.append(("Khai sinh", "Ghi nhận muộn so với ngày đăng ký", births["late_recorded"]))
    rows.append(
        (
            "Số định danh",
            "Hồ sơ khai sinh lỗi khi cấp số định danh",
            births["id_number_errors"]["total"],
        )
    )
    rows += [("Số định danh", k, n) for k, n in births["id_number_errors"]["by_category"].items()]
    identity = report["identity"]
    rows.append(("Xác thực", "Số lượt xác thực với CSDLQGvDC", identity["checked"]))
    rows.append(("Xác thực", "Khớp dữ liệu", identity["verified"]))
    rows += [("Xác thực", k, n) for k, n in identity["mismatches"].items()]
    lookups = insurance["clinic_lookups"]
    rows.append(("BHYT", "Lượt tra cứu thẻ BHYT bằng CCCD tại cơ sở KCB", lookups["total"]))
    rows += [("BHYT", LOOKUP_NAMES_VI.get(k, k), n) for k, n in lookups["by_outcome"].items()]
    rows.append(
        (
            "BHYT",
            "CCCD đã đồng bộ với thẻ BHYT còn hiệu lực",
            insurance["cccd_with_valid_bhyt"]["total"],
        )
    )
    cleaning = report["dataset_cleaning"]
    rows.append(("Làm sạch dữ liệu", "Bản ghi đối chiếu với CSDLQGvDC", cleaning["rows_checked"]))
    rows.append(("Làm sạch dữ liệu", "Bản ghi đúng", cleaning["verified"]))
    rows.append(("Làm sạch dữ liệu", "Bản ghi sai, cần xác minh", cleaning["wrong_or_missing"]))
    rows += [("Làm sạch dữ liệu", k, n) for k, n in cleaning["by_category"].items()]
    digitization = report["digitization"]
    rows.append(("Số hóa", "Giấy tờ được số hóa", digitization["documents_digitized"]))
    rows.append(("Số hóa", "Kết quả giải quyết được số hóa", digitization["results_issued"]))
    rows.append(("Số hóa", "Lượt tái sử dụng dữ liệu số hóa", digitization["documents_reused"]))
    return Sheet(
        "Biểu 04 - Dữ liệu dân cư", tuple(head), ("Nhóm", "Chỉ tiêu", "Số lượng"), 2, tuple(rows)
    )


def _trend_sheet(report: Mapping[str, Any], head: Sequence[str]) -> Sheet:
    return Sheet(
        "Biểu 05 - Xu hướng",
        tuple(head),
        ("Tháng", "Hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Trễ hạn", "Khai sinh"),
        1,
        tuple(
            (m["month"], m["submitted"], m["decided"], m["on_time"], m["overdue"], m["births"])
            for m in report["trend"]
        ),
    )


def long_rows(all_sheets: Sequence[Sheet]) -> list[tuple[Cell, ...]]:
    """Every figure of every sheet as one CSV row: form, row labels, column title, value."""
    out: list[tuple[Cell, ...]] = []
    for sheet in all_sheets:
        width = sheet.label_columns
        for row in sheet.rows:
            label = " | ".join(str(c) for c in row[:width] if c is not None)
            for title, value in zip(sheet.columns[width:], row[width:], strict=True):
                out.append((sheet.title, label, title, value))
    return out
