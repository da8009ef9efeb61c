"""Vietnamese names: canonical spelling, tone-less forms, blocking keys and matching."""

from __future__ import annotations

import unicodedata

import pytest

from lienthong.vn.legacy_encodings import encode_legacy_text
from lienthong.vn.names import (
    MatchLevel,
    NameMatch,
    ascii_fold,
    compare_names,
    is_vietnamese_syllable,
    name_key,
    normalize_name,
    strip_tones,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_hoa_with_tone_on_o_equals_hoa_with_tone_on_a() -> None:
    assert normalize_name("Phan Hòa") == normalize_name("Phan Hoà") == "Phan Hoà"


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [
        ("hòa", "hoà"),
        ("Hóa", "Hoá"),
        ("thủy", "thuỷ"),
        ("Thúy", "Thuý"),
        ("khỏe", "khoẻ"),
        ("úy", "uý"),
        ("Tùy", "Tuỳ"),
        ("Xòe", "Xoè"),
        ("Lụy", "Luỵ"),
    ],
)
def test_old_style_tone_placement_normalizes_to_new_style(old_style: str, new_style: str) -> None:
    assert normalize_name(old_style) == normalize_name(new_style)
    assert normalize_name(old_style) == new_style.capitalize()


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("nguyễn", "Nguyễn"),  # quality-marked vowel takes the tone
        ("tuấn", "Tuấn"),
        ("thuế", "Thuế"),
        ("trường", "Trường"),  # ươ: on ơ
        ("rượu", "Rượu"),
        ("hữu", "Hữu"),  # ưu: on ư
        ("thuở", "Thuở"),
        ("quý", "Quý"),  # qu is an onset
        ("qúy", "Quý"),
        ("qúa", "Quá"),
        ("già", "Già"),  # gi before a vowel is an onset
        ("gìa", "Già"),
        ("giữ", "Giữ"),
        ("gì", "Gì"),  # gi alone: i is the vowel
        ("giường", "Giường"),
        ("hòang", "Hoàng"),  # final consonant: last vowel
        ("huỳnh", "Huỳnh"),
        ("tóan", "Toán"),
        ("ngòai", "Ngoài"),  # three vowels: the middle one
        ("khủyu", "Khuỷu"),
        ("xóay", "Xoáy"),
        ("nghĩa", "Nghĩa"),  # falling diphthongs: the first vowel
        ("của", "Của"),
        ("múa", "Múa"),
        ("chịu", "Chịu"),
        ("tài", "Tài"),
    ],
)
def test_tone_is_placed_on_the_main_vowel(typed: str, canonical: str) -> None:
    assert normalize_name(typed) == canonical


def test_decomposed_input_normalizes_like_precomposed_input() -> None:
    name = "Nguyễn Thị Thuỷ Đặng Hữu Phước"

    assert normalize_name(nfd(name)) == normalize_name(name) == name


def test_combining_marks_typed_in_any_order_give_the_same_letter() -> None:
    tone_before_circumflex = "Nguye\u0303\u0302n"
    dot_before_horn = "Phu\u031bo\u0323\u031bng"

    assert normalize_name(tone_before_circumflex) == "Nguyễn"
    assert normalize_name(dot_before_horn) == "Phượng"


def test_deprecated_combining_acute_counts_as_the_acute_tone() -> None:
    assert normalize_name("Tu\u0341") == "Tú"


def test_same_tone_typed_twice_in_one_syllable_counts_once() -> None:
    assert normalize_name("hòà") == "Hoà"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Ðặng Văn Ðức", "Đặng Văn Đức"),  # U+00D0 Icelandic eth
        ("Ɖinh Thị Hoa", "Đinh Thị Hoa"),  # U+0189 African D
        ("ðỗ ðình", "Đỗ Đình"),  # U+00F0 lower-case eth
    ],
)
def test_look_alikes_of_d_with_stroke_become_d_with_stroke(typed: str, canonical: str) -> None:
    assert normalize_name(typed) == canonical


def test_whitespace_is_collapsed_and_stripped() -> None:
    assert normalize_name("  nguyễn \t văn\u00a0\u00a0an\n") == "Nguyễn Văn An"


def test_invisible_format_characters_are_dropped() -> None:
    assert normalize_name("Nguy\u200bễn\ufeff Văn An") == "Nguyễn Văn An"


def test_each_syllable_is_capitalized_and_the_rest_lower_case() -> None:
    assert normalize_name("NGUYỄN văn aN") == "Nguyễn Văn An"


def test_syllables_after_hyphen_or_apostrophe_are_capitalized() -> None:
    assert normalize_name("h'hen niê") == "H'Hen Niê"
    assert normalize_name("nguyễn-trần thị an") == "Nguyễn-Trần Thị An"


@pytest.mark.parametrize("foreign", ["José", "Peña", "Müller", "Đắk"])
def test_non_vietnamese_syllables_keep_their_marks_where_typed(foreign: str) -> None:
    assert normalize_name(foreign) == foreign


@pytest.mark.parametrize(
    "name", ["Nguyễn Thị Thuỷ", "hòa  THỦY", nfd("khỏe"), "Ðặng", "Bà Rịa - Vũng Tàu"]
)
def test_normalizing_twice_changes_nothing(name: str) -> None:
    assert normalize_name(normalize_name(name)) == normalize_name(name)


def test_strip_tones_keeps_vowel_quality_marks_and_d_with_stroke() -> None:
    assert strip_tones("Nguyễn Văn Đức Hùng") == "Nguyên Văn Đưc Hung"


def test_strip_tones_keeps_case_and_accepts_decomposed_input() -> None:
    assert strip_tones(nfd("TRẦN Thị Ánh")) == "TRÂN Thi Anh"


def test_ascii_fold_removes_every_mark_and_maps_d_with_stroke_to_d() -> None:
    assert ascii_fold("Nguyễn Văn Đức, Ðinh Ướt") == "Nguyen Van Duc, Dinh Uot"


def test_name_key_is_folded_lower_case_with_single_spaces() -> None:
    assert name_key("  NGUYỄN   văn\tĐức ") == "nguyen van duc"


def test_name_key_of_a_legacy_encoded_name_equals_the_unicode_key() -> None:
    legacy = encode_legacy_text("Nguyễn Văn Đức", "tcvn3")

    assert name_key(legacy) == name_key("Nguyễn Văn Đức")


def test_identical_strings_are_an_exact_match() -> None:
    assert compare_names("Lê Văn Đức", "Lê Văn Đức") == NameMatch(MatchLevel.EXACT, 100.0)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Phan Hòa", "Phan Hoà"),
        ("NGUYỄN THỊ THUỶ", "Nguyễn Thị Thủy"),
        ("Nguyễn  Văn An ", nfd("Nguyễn Văn An")),
        ("Ðặng Văn Lâm", "Đặng Văn Lâm"),
        ("NguyÔn V¨n Hïng", "Nguyễn Văn Hùng"),  # TCVN3 shown as Latin-1
        ("Nguyeãn Vaên Huøng", "Nguyễn Văn Hùng"),  # VNI shown as Latin-1
    ],
)
def test_spelling_variants_of_one_name_match_when_normalized(a: str, b: str) -> None:
    assert compare_names(a, b) == NameMatch(MatchLevel.NORMALIZED, 100.0)


def test_names_differing_only_in_tones_match_without_tones() -> None:
    match = compare_names("Lê Thị Hồng", "Lê Thị Hông")

    assert match.level is MatchLevel.WITHOUT_TONES
    assert match.score == 100.0


def test_different_vowel_quality_is_not_a_tone_difference() -> None:
    assert compare_names("Nguyễn Văn Hùng", "Nguyễn Văn Hưng").level is MatchLevel.SIMILAR


def test_name_typed_without_diacritics_is_similar() -> None:
    match = compare_names("Nguyễn Văn Hùng", "Nguyen Van Hung")

    assert match.level is MatchLevel.SIMILAR
    assert match.score == 100.0


def test_family_name_written_last_is_similar() -> None:
    match = compare_names("Nguyễn Văn Hùng", "Văn Hùng Nguyễn")

    assert match.level is MatchLevel.SIMILAR


def test_one_letter_typo_is_similar_with_a_score_below_100() -> None:
    match = compare_names("Trần Thị Phương Thảo", "Trần Thị Phươn Thảo")

    assert match.level is MatchLevel.SIMILAR
    assert 85.0 <= match.score < 100.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nguyễn Văn Hùng", "Trần Thị Mai"),
        ("Lê Văn Đức", "Lê Thị Thu Hà"),
        ("Phạm Minh Tuấn", "Phạm Văn Hoà"),
    ],
)
def test_different_people_are_different(a: str, b: str) -> None:
    match = compare_names(a, b)

    assert match.level is MatchLevel.DIFFERENT
    assert match.score < 85.0


def test_similarity_threshold_can_be_raised() -> None:
    a, b = "Trần Thị Phương Thảo", "Trần Thị Phươn Thảo"

    assert compare_names(a, b, threshold=99.0).level is MatchLevel.DIFFERENT


def test_match_levels_are_named_for_their_meaning() -> None:
    assert [level.name for level in MatchLevel] == [
        "EXACT",
        "NORMALIZED",
        "WITHOUT_TONES",
        "SIMILAR",
        "DIFFERENT",
    ]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Nguyễn", True),
        ("hoà", True),
        ("hòa", True),  # old style is still well spelled
        ("Quý", True),
        ("học", True),
        ("hoc", False),  # p, t, c, ch take only the sắc or nặng tone
        ("hòang", False),  # tone on the glide before a final consonant
        ("Ñam", False),  # a tone mark on a consonant
        ("Nguyeãn", False),
        ("Kdăm", False),
        ("ng", False),
    ],
)
def test_vietnamese_syllable_grammar(word: str, expected: bool) -> None:
    assert is_vietnamese_syllable(word) is expected
