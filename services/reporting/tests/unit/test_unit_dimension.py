"""The unit dimension: facts roll up by the layout of their day or onto 2025 units."""

from __future__ import annotations

from datetime import date

import pytest

from lienthong.vn.units import Layout, Level
from reporting.domain.units import Target, UnitCount, UnitTree

TREE = UnitTree.load(("51",))
IN_2022 = [
    UnitCount("21211", Layout.LEGACY, 5),  # Xã Tịnh Khê, Thành phố Quảng Ngãi
    UnitCount("21190", Layout.LEGACY, 2),  # Xã Tịnh Kỳ, absorbed into Tịnh Khê in 2025
    UnitCount("21253", Layout.LEGACY, 1),  # Xã Nghĩa Phú, merged into Xã An Phú in 2025
    UnitCount("21238", Layout.LEGACY, 3),  # Thị trấn Sông Vệ, Huyện Tư Nghĩa
    UnitCount("522", Layout.LEGACY, 4),  # the city's own counter
    UnitCount("23284", Layout.LEGACY, 1),  # Phường Duy Tân, Thành phố Kon Tum
]


def test_2022_dossiers_count_per_legacy_district_with_names() -> None:
    rolled = TREE.roll_up(IN_2022, Level.DISTRICT, Target.RECORDED, date(2022, 12, 31))
    assert rolled.counts == {"522": 12, "528": 3, "608": 1}
    assert rolled.names["522"] == "Thành phố Quảng Ngãi"
    assert rolled.unallocated == 0


def test_the_same_dossiers_on_2025_communes_keep_the_total() -> None:
    by_district = TREE.roll_up(IN_2022, Level.DISTRICT, Target.RECORDED)
    by_ward = TREE.roll_up(IN_2022, Level.COMMUNE, Target.REFORM_2025)
    assert by_ward.counts["21211"] == 7  # Tịnh Khê and Tịnh Kỳ
    assert by_ward.names["21211"] == "Xã Tịnh Khê"
    assert by_ward.unallocated == 4  # the city counter has no single 2025 commune
    assert by_ward.total == by_district.total == 16


def test_on_2025_provinces_kon_tum_counts_in_quang_ngai() -> None:
    rolled = TREE.roll_up(IN_2022, Level.PROVINCE, Target.REFORM_2025)
    assert rolled.counts == {"51": 16}


def test_a_2026_fact_has_no_legacy_district() -> None:
    rolled = TREE.roll_up(
        [UnitCount("21211", Layout.REFORM_2025, 2)], Level.DISTRICT, Target.RECORDED
    )
    assert (rolled.counts, rolled.unallocated) == ({}, 2)


def test_names_are_those_of_the_reports_day() -> None:
    fact = [UnitCount("21262", Layout.LEGACY, 1)]
    in_2022 = TREE.roll_up(fact, Level.COMMUNE, Target.RECORDED, date(2022, 6, 21))
    in_2025 = TREE.roll_up(fact, Level.COMMUNE, Target.RECORDED, date(2025, 3, 1))
    assert (in_2022.names["21262"], in_2025.names["21262"]) == ("Xã Nghĩa An", "Xã An Phú")


def test_the_2025_layout_has_no_district_level() -> None:
    with pytest.raises(ValueError):
        TREE.roll_up(IN_2022, Level.DISTRICT, Target.REFORM_2025)


def test_a_filter_on_a_2025_commune_takes_the_legacy_codes_it_absorbed() -> None:
    assert {"21211", "21190"} <= set(TREE.with_descendants("21211"))
    assert {"522", "21211", "21253"} <= set(TREE.with_descendants("522"))
