"""Legacy TCVN3 (ABC) and VNI names: the tables, detection and repair, as specifications."""

from __future__ import annotations

import unicodedata

import pytest

from lienthong.vn.legacy_encodings import (
    detect_legacy_encoding,
    encode_legacy_text,
    repair_legacy_text,
)
from lienthong.vn.names import normalize_name
from lienthong.vn.provinces import PROVINCE_NAMES_BY_CODE

REAL_NAMES = [
    "Nguyễn Văn Hùng",
    "Trần Thị Thuỷ",
    "Lê Văn Đức",
    "Phạm Minh Tuấn",
    "Hoàng Thị Hoà",
    "Huỳnh Ngọc Ánh",
    "Phan Thanh Bình",
    "Vũ Thị Hằng",
    "Võ Văn Kiệt",
    "Đặng Thuỳ Trâm",
    "Bùi Xuân Phái",
    "Đỗ Mười",
    "Hồ Xuân Hương",
    "Ngô Bảo Châu",
    "Dương Thu Hương",
    "Lý Tự Trọng",
    "Đinh Bộ Lĩnh",
    "Trương Mỹ Hoa",
    "Lương Thế Vinh",
    "Tạ Quang Bửu",
    "Châu Văn Liêm",
    "Mai Thị Phượng",
    "Cao Bá Quát",
    "Hà Huy Tập",
    "Thái Thị Khuê",
    "Tôn Đức Thắng",
    "Lâm Quỳnh Như",
    "Quách Thị Trang",
    "Triệu Thị Trinh",
    "Đoàn Thị Điểm",
    "Vương Đình Huệ",
    "Kiều Thị Nguyệt",
    "Nguyễn Thị Minh Khai",
    "Phạm Văn Đồng",
    "Lê Thị Hồng Gấm",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Huỳnh Thúc Kháng",
    "Phan Bội Châu",
    "Nguyễn Thị Định",
    "Đàm Thị Loan",
    "Ông Ích Khiêm",
    "Ưng Hoàng Phúc",
    "Nguyễn Hữu Cảnh",
]


@pytest.mark.parametrize(
    ("letter", "byte"),
    [
        ("à", 0xB5),
        ("ạ", 0xB9),
        ("ằ", 0xBB),
        ("ặ", 0xC6),
        ("ầ", 0xC7),
        ("è", 0xCC),
        ("ẻ", 0xCE),
        ("ĩ", 0xDC),
        ("ò", 0xDF),
        ("ỏ", 0xE1),
        ("ù", 0xEF),
        ("ủ", 0xF1),
        ("ỵ", 0xFE),
        ("Ă", 0xA1),
        ("Đ", 0xA7),
        ("ă", 0xA8),
        ("ư", 0xAD),
        ("đ", 0xAE),
    ],
)
def test_tcvn3_puts_each_letter_at_its_standard_code(letter: str, byte: int) -> None:
    assert encode_legacy_text(letter, "tcvn3") == bytes([byte]).decode("latin-1")


def test_tcvn3_toned_vowels_fill_b5_to_fe_except_the_fourteen_unused_codes() -> None:
    toned = [
        unicodedata.normalize("NFC", vowel + tone)
        for vowel in "aăâeêioôơuưy"
        for tone in "\u0300\u0309\u0303\u0301\u0323"
    ]
    codes = {ord(encode_legacy_text(letter, "tcvn3")) for letter in toned}
    unused = {0xBA, 0xBF, 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xCD, 0xD9, 0xDA, 0xDB, 0xE0, 0xF0}

    assert len(codes) == 60
    assert codes == set(range(0xB5, 0xFF)) - unused


def test_tcvn3_has_no_capital_toned_vowels_so_they_share_the_lower_case_code() -> None:
    assert encode_legacy_text("Ễ", "tcvn3") == encode_legacy_text("ễ", "tcvn3") == "Ô"


@pytest.mark.parametrize(
    ("letter", "vni"),
    [
        ("á", "aù"),
        ("ậ", "aä"),
        ("ắ", "aé"),
        ("ẵ", "aü"),
        ("ế", "eá"),
        ("ơ", "ô"),
        ("ợ", "ôï"),
        ("ư", "ö"),
        ("ừ", "öø"),
        ("đ", "ñ"),
        ("ỉ", "æ"),
        ("ĩ", "ó"),
        ("ị", "ò"),
        ("ỵ", "î"),
        ("Ấ", "AÁ"),
        ("Đ", "Ñ"),
        ("Ư", "Ö"),
    ],
)
def test_vni_writes_each_letter_as_its_base_and_mark_characters(letter: str, vni: str) -> None:
    assert encode_legacy_text(letter, "vni") == vni


def test_encoding_a_character_the_font_cannot_hold_is_refused() -> None:
    with pytest.raises(ValueError):
        encode_legacy_text("Straße", "tcvn3")


@pytest.mark.parametrize(
    ("legacy", "encoding"),
    [
        ("NguyÔn V¨n Hïng", "tcvn3"),
        ("Tr\u00ad\u00acng ThÞ Mü Hoa", "tcvn3"),
        ("§Æng Thïy Tr©m", "tcvn3"),
        ("Nguyeãn Vaên Huøng", "vni"),
        ("Ñaëng Thuøy Traâm", "vni"),
        ("Leâ Vaên Taùm", "vni"),
        ("Nguyeãn Thò Lan", "vni"),
    ],
)
def test_legacy_names_are_detected(legacy: str, encoding: str) -> None:
    assert detect_legacy_encoding(legacy) == encoding


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("NguyÔn V¨n Hïng", "Nguyễn Văn Hùng"),
        ("Nguyeãn Vaên Huøng", "Nguyễn Văn Hùng"),
        ("Tr\u00ad\u00acng ThÞ Mü Hoa", "Trương Thị Mỹ Hoa"),
        ("Tröông Thò Myõ Hoa", "Trương Thị Mỹ Hoa"),
        ("Ph¹m V¨n §ång", "Phạm Văn Đồng"),
        ("Phaïm Vaên Ñoàng", "Phạm Văn Đồng"),
    ],
)
def test_legacy_full_names_repair_to_unicode(legacy: str, unicode: str) -> None:
    assert repair_legacy_text(legacy) == unicode


def test_repaired_text_is_nfc() -> None:
    repaired = repair_legacy_text("Nguyeãn Vaên Huøng")

    assert unicodedata.is_normalized("NFC", repaired)


def test_tcvn3_capital_font_repairs_to_lower_case_toned_letters_until_normalized() -> None:
    repaired = repair_legacy_text("NGUYÔN V¡N HïNG")

    assert repaired == "NGUYễN VĂN HùNG"
    assert normalize_name(repaired) == "Nguyễn Văn Hùng"


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Thuỷ",
        "Lê Văn Đức",
        "Phan Hoà",
        "Nguyen Van A",
        "Hoá",
        "Chí Tô",
        "Trần Thị Ánh",
        "Ðinh Công Tráng",
        "H'Hen Niê",
        "José Peña",
        "Jørgen Müller",
        "Björk",
        "",
        "   ",
        unicodedata.normalize("NFD", "Nguyễn Thị Thuỷ"),
        "NGUYỄN THỊ THUỶ",
    ],
)
def test_unicode_and_ascii_names_are_never_taken_for_legacy(name: str) -> None:
    assert detect_legacy_encoding(name) == "unicode"
    assert repair_legacy_text(name) == name


@pytest.mark.parametrize("name", sorted(PROVINCE_NAMES_BY_CODE.values()))
def test_province_names_are_never_taken_for_legacy(name: str) -> None:
    assert detect_legacy_encoding(name) == "unicode"
    assert detect_legacy_encoding(name.upper()) == "unicode"


def test_text_mixing_unicode_and_legacy_is_left_alone() -> None:
    assert repair_legacy_text("Nguyễn V¨n Hïng") == "Nguyễn V¨n Hïng"


def test_legacy_text_that_also_reads_as_valid_unicode_is_left_alone() -> None:
    # TCVN3 for "Cao Dũng" is "Cao Dòng", itself a well-spelled Unicode name.
    assert detect_legacy_encoding(encode_legacy_text("Cao Dũng", "tcvn3")) == "unicode"


@pytest.mark.parametrize("name", REAL_NAMES)
def test_tcvn3_round_trip_of_real_names(name: str) -> None:
    for typed in (name, name.upper()):
        legacy = encode_legacy_text(typed, "tcvn3")

        assert detect_legacy_encoding(legacy) == "tcvn3"
        assert normalize_name(repair_legacy_text(legacy)) == normalize_name(name)


@pytest.mark.parametrize("name", REAL_NAMES)
def test_vni_round_trip_of_real_names(name: str) -> None:
    for typed in (name, name.upper()):
        legacy = encode_legacy_text(typed, "vni")

        if legacy != typed:  # "Phan Thanh Bình" is spelled the same in VNI
            assert detect_legacy_encoding(legacy) == "vni"
        assert repair_legacy_text(legacy) == typed
