"""Every legacy commune and every 2025 commune of three provinces, walked through the
registration-province derivation and the officer scope check."""

from __future__ import annotations

from datetime import date

import pytest

from lienthong.vn.provinces import province_name, registration_code
from lienthong.vn.units import LAYOUT_2022, Level, units

D2026 = date(2026, 3, 2)
LEGACY_PROVINCES = ("51", "62", "46")  # Quảng Ngãi, Kon Tum, Thừa Thiên Huế
PROVINCES_2025 = ("51", "46", "01")  # Quảng Ngãi (with Kon Tum), Huế, Hà Nội


@pytest.mark.parametrize("province", LEGACY_PROVINCES)
def test_every_legacy_commune_registers_births_in_its_province_and_is_in_scope(
    province: str,
) -> None:
    directory = units()
    communes = list(directory.iter_units(LAYOUT_2022, Level.COMMUNE, province))
    assert communes
    for commune in communes:
        assert registration_code(commune.code, LAYOUT_2022) == "0" + province, commune
        assert commune.parent_code is not None
        assert directory.covers(commune.parent_code, commune.code, LAYOUT_2022)
        assert directory.covers(province, commune.code, LAYOUT_2022)
        main = directory.to_2025(commune.code, LAYOUT_2022)
        assert main is not None
        assert directory.covers(main.code, commune.code, D2026, unit_recorded_on=LAYOUT_2022)
        assert directory.covers(main.province_code, commune.code, D2026)


@pytest.mark.parametrize("province", PROVINCES_2025)
def test_every_2025_commune_registers_births_with_a_known_code_and_is_in_scope(
    province: str,
) -> None:
    directory = units()
    communes = list(directory.iter_units(D2026, Level.COMMUNE, province))
    assert communes
    for commune in communes:
        code = registration_code(commune.code, D2026)
        assert code is not None and province_name(code) is not None, commune
        legacy_provinces = {p.province_code for p in directory.predecessors_of(commune.code)}
        assert code[1:] in legacy_provinces
        assert directory.covers(province, commune.code, D2026)
        assert directory.covers(commune.code, commune.code, D2026)
        for predecessor in directory.predecessors_of(commune.code):
            assert directory.covers(commune.code, predecessor.code, D2026)
