"""Writes the report's forms to ``.xlsx`` (openpyxl) and CSV.

Why this exists: openpyxl is the maintained library for the Office Open XML format; the
workbook has one worksheet per form with the heading merged over the table, bold column
titles and a bold total row, the way provincial offices fill the template.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from reporting.domain.template import Sheet, long_rows


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        width = len(sheet.columns)
        for i, line in enumerate(sheet.heading, start=1):
            ws.cell(row=i, column=1, value=line).font = Font(bold=i <= 2)
            ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
            ws.cell(row=i, column=1).alignment = Alignment(
                horizontal="center" if i <= 2 else "left"
            )
        header_row = len(sheet.heading) + 2
        for j, title in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=header_row, column=j, value=title)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for i, row in enumerate(sheet.rows, start=header_row + 1):
            for j, value in enumerate(row, start=1):
                ws.cell(row=i, column=j, value=value)
            if row and row[sheet.label_columns - 1] == "Tổng cộng":
                for j in range(1, width + 1):
                    ws.cell(row=i, column=j).font = Font(bold=True)
        for j in range(1, width + 1):
            ws.column_dimensions[get_column_letter(j)].width = 14
        ws.column_dimensions[get_column_letter(sheet.label_columns)].width = 60
        ws.freeze_panes = ws.cell(row=header_row + 1, column=sheet.label_columns + 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(sheets: Sequence[Sheet]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("bieu", "dong", "chi_tieu", "gia_tri"))
    writer.writerows(long_rows(sheets))
    return out.getvalue()
