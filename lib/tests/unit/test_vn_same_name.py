"""``same_name``: one name written differently, or two different names."""

from __future__ import annotations

import unicodedata

import pytest

from lienthong.vn.legacy_encodings import encode_legacy_text
from lienthong.vn.names import MatchLevel, compare_names, same_name


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


@pytest.mark.parametrize(
    ("stated", "held"),
    [
        ("Nguyeãn Thò Lan", "Nguyễn Thị Lan"),  # VNI "Thò" is "Thị" and also valid Unicode
        ("Cao Dòng", "Cao Dũng"),  # TCVN3 for "Dũng" spells the Unicode syllable "Dòng"
        ("Lª Anh Tó", "Lê Anh Tú"),  # TCVN3 "Tó" is "Tú"
        ("Hoµng ThÞ CÈm", "Hoàng Thị Cẩm"),  # TCVN3 "CÈm" is "Cẩm"
    ],
)
def test_legacy_text_that_also_spells_valid_unicode_is_the_same_name(
    stated: str, held: str
) -> None:
    assert same_name(stated, held)
    assert compare_names(stated, held).level is MatchLevel.NORMALIZED


def test_a_typo_inside_legacy_text_does_not_stop_the_other_words_from_being_repaired() -> None:
    stated = "Ph¹m V¨n Kh¶j"  # TCVN3 "Phạm Văn Khải" with "i" mistyped "j"
    match = compare_names(stated, "Phạm Văn Khải")
    assert match.level is MatchLevel.SIMILAR
    assert match.score > 90
    assert not same_name(stated, "Phạm Văn Khải")  # a typo is still a typo


def test_a_legacy_reading_does_not_make_two_different_names_the_same() -> None:
    assert not same_name("Cao Dòng", "Cao Đông")
    assert not same_name("Lª Anh Tó", "Lê Anh Tuấn")
