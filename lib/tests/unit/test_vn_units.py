"""Administrative units in both layouts, as of a date (lienthong.vn.units)."""

from __future__ import annotations

from datetime import date

import pytest

from lienthong.vn.units import (
    LAYOUT_2022,
    LAYOUT_PRE_REFORM,
    REFORM_DATE,
    Layout,
    Level,
    Unit,
    UnitDirectory,
    UnitRefusal,
    units,
)

D2022 = LAYOUT_2022
D2026 = date(2026, 3, 2)


@pytest.fixture(scope="module")
def directory() -> UnitDirectory:
    return units()


def test_legacy_commune_tinh_khe_in_2022_belongs_to_quang_ngai_city(
    directory: UnitDirectory,
) -> None:
    unit = directory.get("21211", D2022)
    assert unit is not None
    assert (unit.name, unit.unit_type, unit.level, unit.layout) == (
        "Xã Tịnh Khê",
        "Xã",
        Level.COMMUNE,
        Layout.LEGACY,
    )
    assert [u.name for u in directory.ancestors("21211", D2022)] == [
        "Xã Tịnh Khê",
        "Thành phố Quảng Ngãi",
        "Tỉnh Quảng Ngãi",
    ]


def test_the_same_code_names_the_2025_commune_after_the_reform(directory: UnitDirectory) -> None:
    unit = directory.get("21211", D2026)
    assert unit is not None
    assert unit.layout is Layout.REFORM_2025
    assert unit.parent_code == "51"
    assert [p.name for p in directory.predecessors_of("21211")] == [
        "Xã Tịnh Kỳ",
        "Xã Tịnh Thiện",
        "Xã Tịnh Châu",
        "Xã Tịnh Khê",
        "Xã Tịnh Long",
    ]


def test_quang_ngai_has_173_communes_in_2022_170_before_the_reform_and_96_after(
    directory: UnitDirectory,
) -> None:
    def count(on: date) -> int:
        return sum(1 for _ in directory.iter_units(on, Level.COMMUNE, "51"))

    assert count(D2022) == 173
    assert count(LAYOUT_PRE_REFORM) == 170
    assert count(REFORM_DATE) == 96


def test_the_country_has_63_provinces_before_and_34_after_the_reform(
    directory: UnitDirectory,
) -> None:
    assert sum(1 for _ in directory.iter_units(LAYOUT_PRE_REFORM, Level.PROVINCE)) == 63
    assert sum(1 for _ in directory.iter_units(REFORM_DATE, Level.PROVINCE)) == 34
    assert not any(directory.iter_units(REFORM_DATE, Level.DISTRICT))


def test_a_renamed_commune_answers_with_the_name_of_the_date(directory: UnitDirectory) -> None:
    before, after = directory.get("21262", D2022), directory.get("21262", date(2025, 3, 1))
    assert before is not None and after is not None
    assert (before.name, after.name) == ("Xã Nghĩa An", "Xã An Phú")


def test_a_dissolved_commune_is_refused_after_its_merger_naming_what_it_joined(
    directory: UnitDirectory,
) -> None:
    assert directory.get("21253", D2022) is not None
    refusal = directory.lookup("21253", date(2025, 3, 1))
    assert isinstance(refusal, UnitRefusal)
    assert refusal.reason == "NOT_IN_FORCE"
    assert [u.code for u in refusal.successors] == ["21262"]


def test_a_legacy_code_after_the_reform_is_refused_naming_the_2025_units(
    directory: UnitDirectory,
) -> None:
    refusal = directory.lookup("21187", D2026)  # Xã Tịnh Hòa, became part of Xã Đông Sơn
    assert isinstance(refusal, UnitRefusal)
    assert refusal.reason == "NOT_IN_FORCE"
    assert [u.name for u in refusal.successors] == ["Xã Đông Sơn"]
    district = directory.lookup("522", D2026)
    assert isinstance(district, UnitRefusal)
    assert {u.name for u in district.successors} >= {"Phường Cẩm Thành", "Xã Tịnh Khê"}


def test_an_unknown_code_is_refused_without_successors(directory: UnitDirectory) -> None:
    refusal = directory.lookup("51001", D2022)
    assert isinstance(refusal, UnitRefusal)
    assert (refusal.reason, refusal.successors) == ("UNKNOWN_UNIT", ())


def test_every_unit_has_its_province_and_every_legacy_commune_a_2025_successor(
    directory: UnitDirectory,
) -> None:
    legacy_communes = [u for u in directory.legacy.values() if u.level is Level.COMMUNE]
    assert len(legacy_communes) > 10_000
    assert all(directory.successor_codes(u.code) for u in legacy_communes)
    assert all(
        directory.predecessors_of(u.code)
        for u in directory.current.values()
        if u.level is Level.COMMUNE
    )


def test_subtree_of_a_legacy_district_holds_its_communes_in_force(
    directory: UnitDirectory,
) -> None:
    tree_2022 = directory.subtree("522", D2022)
    assert {"522", "21211", "21253"} <= tree_2022
    assert len(tree_2022) == 24
    assert "21253" not in directory.subtree("522", LAYOUT_PRE_REFORM)
    assert directory.subtree("522", D2026) == frozenset()


def test_ly_son_district_without_communes_becomes_the_special_zone(
    directory: UnitDirectory,
) -> None:
    target = directory.to_2025("536", D2022)
    assert target is not None and target.name == "Đặc khu Lý Sơn"


def test_reaggregation_sends_a_split_commune_whole_to_its_main_successor(
    directory: UnitDirectory,
) -> None:
    split = [c for c, wards in directory.successors.items() if len(wards) > 1]
    assert split
    code = split[0]
    recorded = directory.legacy[code]
    target = directory.to_2025(code, LAYOUT_PRE_REFORM if recorded.valid_until else D2022)
    assert isinstance(target, Unit)
    assert target.code == directory.successors[code][0]


def test_an_officer_of_a_2025_commune_covers_the_legacy_communes_it_absorbed(
    directory: UnitDirectory,
) -> None:
    assert directory.covers("21211", "21190", D2026)  # Tịnh Kỳ, absorbed into Tịnh Khê
    assert directory.covers("21211", "21190", D2026, unit_recorded_on=D2022)
    assert not directory.covers("21211", "21187", D2026)  # Tịnh Hòa went to Đông Sơn


def test_an_officer_of_the_2025_province_covers_kon_tum_legacy_units(
    directory: UnitDirectory,
) -> None:
    assert directory.covers("51", "62", D2026)  # Tỉnh Kon Tum merged into Quảng Ngãi
    assert directory.covers("51", "21211", D2026)
    assert not directory.covers("51", "01", D2026)


def test_a_legacy_officer_scope_is_the_district_subtree(directory: UnitDirectory) -> None:
    assert directory.covers("522", "21211", D2022)
    assert not directory.covers("524", "21211", D2022)
    assert not directory.covers("51001", "21211", D2022)


def test_the_directory_is_built_once(directory: UnitDirectory) -> None:
    assert units() is directory


def test_a_2025_commune_officer_does_not_cover_a_legacy_district_it_absorbed_only_in_part(
    directory: UnitDirectory,
) -> None:
    assert not directory.covers("21211", "522", D2026)
    assert directory.covers("51", "522", D2026)


def test_scope_codes_are_exactly_what_covers_accepts(directory: UnitDirectory) -> None:
    codes = directory.scope_codes("21211", D2026)
    assert {"21211", "21190", "21199", "21208", "21214"} <= codes
    assert "522" not in codes and "21187" not in codes
    assert all(directory.covers("21211", code, D2026) for code in codes)
    province = directory.scope_codes("51", D2026)
    assert {"51", "522", "62", "21211", "21253", "23284"} <= province
    assert "01" not in province
    assert directory.scope_codes("51001", D2026) == frozenset()
