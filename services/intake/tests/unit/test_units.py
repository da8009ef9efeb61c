"""Specification of the administrative-unit directory of Quảng Ngãi."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from intake.domain.units import (
    DEFAULT_UNITS_PATH,
    AdministrativeLevel,
    AdministrativeUnit,
    UnitDirectory,
    UnitError,
    UnknownUnitError,
    load_units,
    parse_units,
)

DISTRICTS = {
    "522": "Thành phố Quảng Ngãi",
    "524": "Huyện Bình Sơn",
    "525": "Huyện Trà Bồng",
    "527": "Huyện Sơn Tịnh",
    "528": "Huyện Tư Nghĩa",
    "529": "Huyện Sơn Hà",
    "530": "Huyện Sơn Tây",
    "531": "Huyện Minh Long",
    "532": "Huyện Nghĩa Hành",
    "533": "Huyện Mộ Đức",
    "534": "Thị xã Đức Phổ",
    "535": "Huyện Ba Tơ",
    "536": "Huyện Lý Sơn",
}


@pytest.fixture(scope="module")
def units() -> UnitDirectory:
    return load_units()


def unit(code: str, level: str, parent_code: str | None, name: str = "Xã Thử") -> dict[str, Any]:
    return {"code": code, "name_vi": name, "level": level, "parent_code": parent_code}


class TestShippedUnits:
    def test_it_loads_from_the_package_data_by_default(self, units: UnitDirectory) -> None:
        assert DEFAULT_UNITS_PATH.is_file()
        assert load_units(DEFAULT_UNITS_PATH) == units
        assert "General Statistics Office" in units.source

    def test_the_province_is_quang_ngai_with_code_51(self, units: UnitDirectory) -> None:
        province = units.get("51")
        assert province == AdministrativeUnit(
            "51", "Tỉnh Quảng Ngãi", AdministrativeLevel.PROVINCE, None
        )
        assert units.at_level(AdministrativeLevel.PROVINCE) == (province,)

    def test_the_13_districts_carry_their_gso_codes(self, units: UnitDirectory) -> None:
        districts = units.children("51")
        assert {d.code: d.name_vi for d in districts} == DISTRICTS
        assert all(d.level is AdministrativeLevel.DISTRICT for d in districts)

    def test_every_district_but_ly_son_lists_at_least_two_communes(
        self, units: UnitDirectory
    ) -> None:
        for code in DISTRICTS:
            communes = units.children(code)
            if code == "536":
                assert communes == ()  # Lý Sơn has no commune-level units
            else:
                assert len(communes) >= 2, DISTRICTS[code]
                assert all(c.level is AdministrativeLevel.COMMUNE for c in communes)

    def test_codes_have_2_3_or_5_digits_by_level(self, units: UnitDirectory) -> None:
        for u in units:
            assert u.code.isdigit() and len(u.code) == u.level.code_length, u

    def test_names_are_nfc_unicode(self, units: UnitDirectory) -> None:
        for u in units:
            assert unicodedata.is_normalized("NFC", u.name_vi), u.code

    def test_names_are_not_unique_but_codes_are(self, units: UnitDirectory) -> None:
        city_ward, town_ward = units.get("21025"), units.get("21439")
        assert city_ward.name_vi == town_ward.name_vi == "Phường Nguyễn Nghiêm"
        assert units.province_of("21025") == units.province_of("21439")
        assert city_ward.parent_code == "522"
        assert town_ward.parent_code == "534"


class TestHierarchy:
    def test_parent_chain_runs_from_commune_to_district_to_province(
        self, units: UnitDirectory
    ) -> None:
        chain = units.parent_chain("21046")
        assert [u.name_vi for u in chain] == ["Xã Bình Thạnh", "Huyện Bình Sơn", "Tỉnh Quảng Ngãi"]
        assert [u.level for u in chain] == list(AdministrativeLevel)[::-1]

    def test_parent_chain_of_a_district_and_of_the_province(self, units: UnitDirectory) -> None:
        assert [u.code for u in units.parent_chain("536")] == ["536", "51"]
        assert [u.code for u in units.parent_chain("51")] == ["51"]

    def test_a_commune_is_contained_in_its_district_and_province(
        self, units: UnitDirectory
    ) -> None:
        assert units.contains("524", "21046")
        assert units.contains("51", "21046")
        assert units.contains("51", "524")

    def test_a_commune_is_not_contained_in_another_district(self, units: UnitDirectory) -> None:
        assert not units.contains("522", "21046")
        assert not units.contains("21046", "524")  # containment points downwards only
        assert not units.contains("21040", "21046")  # siblings

    def test_containment_is_reflexive(self, units: UnitDirectory) -> None:
        assert units.contains("21046", "21046")
        assert units.contains("51", "51")

    def test_unknown_codes_raise_a_key_error_naming_them(self, units: UnitDirectory) -> None:
        with pytest.raises(UnknownUnitError, match="99999"):
            units.get("99999")
        with pytest.raises(KeyError):
            units.parent_chain("99999")
        with pytest.raises(KeyError):
            units.contains("99", "21046")
        assert "99999" not in units
        assert "21046" in units


class TestValidation:
    def test_a_commune_must_sit_under_a_district(self) -> None:
        document = {"units": [unit("51", "province", None), unit("21046", "commune", "51")]}
        with pytest.raises(UnitError, match=r"'21046'.*parent must be a district"):
            parse_units(document)

    def test_a_parent_must_exist(self) -> None:
        document = {"units": [unit("51", "province", None), unit("524", "district", "52")]}
        with pytest.raises(UnitError, match=r"'524'.*unknown parent_code '52'"):
            parse_units(document)

    @pytest.mark.parametrize(
        ("entry", "message"),
        [
            (unit("5", "province", None), "2 digits"),
            (unit("0524", "district", "51"), "3 digits"),
            (unit("51", "province", "01"), "no parent"),
            (unit("524", "district", None), "must have a parent_code"),
            (unit("524", "hamlet", "51"), "level must be one of"),
            ({"code": 524, "name_vi": "Huyện", "level": "district", "parent_code": "51"}, "quoted"),
            ({**unit("524", "district", "51"), "colour": "red"}, "unknown keys"),
            (
                unit("524", "district", "51", name=unicodedata.normalize("NFD", "Huyện Bình Sơn")),
                "NFC",
            ),
        ],
    )
    def test_malformed_units_are_rejected_by_name(
        self, entry: dict[str, Any], message: str
    ) -> None:
        with pytest.raises(UnitError, match=message):
            parse_units({"units": [entry]})

    def test_duplicate_codes_are_rejected(self) -> None:
        document = {"units": [unit("51", "province", None), unit("51", "province", None)]}
        with pytest.raises(UnitError, match="duplicate"):
            parse_units(document)

    def test_a_file_on_disk_is_validated_too(self, tmp_path: Path) -> None:
        path = tmp_path / "units.yaml"
        document = {
            "source": "test",
            "units": [unit("51", "province", None), unit("522", "district", "99")],
        }
        path.write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
        with pytest.raises(UnitError, match="unknown parent_code"):
            load_units(path)
