"""``same_name``: one name written differently, or two different names."""

from __future__ import annotations

import unicodedata

import pytest

from lienthong.vn.legacy_encodings import encode_legacy_text
from lienthong.vn.names import same_name


@pytest.mark.parametrize(
    "written",
    [
        "Trần Thị Thuỷ",
        "Trần Thị Thủy",
        unicodedata.normalize("NFD", "Trần Thị Thuỷ"),
        "  TRẦN   thị thuỷ ",
        encode_legacy_text("Trần Thị Thuỷ", "tcvn3"),
        encode_legacy_text("Trần Thị Thuỷ", "vni"),
        "Tran Thi Thuy",
        "Thuỷ Trần Thị",
    ],
)
def test_spellings_of_one_name_are_the_same_name(written: str) -> None:
    assert same_name(written, "Trần Thị Thuỷ")


@pytest.mark.parametrize(
    "other",
    ["Trần Thị Thuỵ Anh", "Trần Thị Thuỳ", "Trần Thị Thu", "Trần Thị Thuyr"],
)
def test_a_changed_letter_or_word_is_another_name(other: str) -> None:
    assert not same_name(other, "Trần Thị Thuỷ")


def test_look_alike_d_is_the_same_letter() -> None:
    assert same_name("Ðặng Văn Lộc", "Đặng Văn Lộc")


def test_lost_tones_are_the_same_name_but_changed_tones_are_not() -> None:
    assert same_name("Tran Thi Thuy", "Trần Thị Thuỷ")
    assert same_name("Nguyên Văn Hung", "Nguyễn Văn Hùng")  # every tone lost, marks kept
    assert not same_name("Nguyễn Văn Hứng", "Nguyễn Văn Hùng")
