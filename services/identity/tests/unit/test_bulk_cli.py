"""Reading an agency dataset for a bulk check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from identity.entrypoints.bulk import _contiguous, parse_date, read_rows


def test_dates_in_iso_or_vietnamese_order_are_read() -> None:
    assert parse_date("1990-03-14") == date(1990, 3, 14)
    assert parse_date("14/03/1990") == date(1990, 3, 14)
    assert parse_date(" ") is None
    with pytest.raises(ValueError):
        parse_date("March 14")


def test_unreadable_lines_are_reported_by_number_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        "id_number,full_name,birth_date,gender\n"
        "051090123456,Nguyễn  Văn Hùng,14/03/1990,nam\n"
        "051192654321,Trần Thị Thuỷ,not a date,nữ\n"
        ",Lê Văn Đức,,\n",
        encoding="utf-8",
    )
    rows = list(read_rows(path))
    assert rows[0] == (0, {"id_number": "051090123456", "full_name": "Nguyễn Văn Hùng",
                           "birth_date": "1990-03-14", "gender": "male"})  # fmt: skip
    assert rows[1][0] == 1 and isinstance(rows[1][1], str) and "Thuỷ" not in rows[1][1]
    assert rows[2] == (2, {"id_number": None, "full_name": "Lê Văn Đức", "birth_date": None,
                           "gender": None})  # fmt: skip


def test_rows_are_sent_in_runs_of_consecutive_numbers() -> None:
    chunk = [(0, {"a": 0}), (1, {"a": 1}), (3, {"a": 3}), (4, {"a": 4})]
    assert list(_contiguous(chunk)) == [(0, [{"a": 0}, {"a": 1}]), (3, [{"a": 3}, {"a": 4}])]
