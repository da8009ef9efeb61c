"""Pure rules of the population register."""

from __future__ import annotations

from datetime import date

from lienthong.vn.id_numbers import IdNumberError, check_consistency, parse_id_number
from lienthong.vn.legacy_encodings import encode_legacy_text
from population_registry.domain.model import (
    block_key,
    canonical_name,
    load_demo_population,
    swapped_day_month,
)


def test_spelling_variants_and_word_order_share_one_block() -> None:
    key = block_key("Nguyễn Văn Hùng")
    assert block_key("NGUYEN  van hung") == key
    assert block_key("Hùng Nguyễn Văn") == key
    assert block_key(encode_legacy_text("Nguyễn Văn Hùng", "tcvn3")) == key


def test_register_keeps_repaired_normalized_names() -> None:
    assert canonical_name(encode_legacy_text("Trần Thị Thuỷ", "vni")) == "Trần Thị Thuỷ"
    assert canonical_name("  trần   thị thủy ") == "Trần Thị Thuỷ"


def test_day_month_swap_only_when_it_is_another_valid_date() -> None:
    assert swapped_day_month(date(1990, 3, 4)) == date(1990, 4, 3)
    assert swapped_day_month(date(1990, 3, 14)) is None
    assert swapped_day_month(date(1990, 5, 5)) is None


def test_demo_population_holds_the_e2e_parents_with_consistent_numbers() -> None:
    citizens = {c.id_number: c for c in load_demo_population()}
    assert citizens["051090123456"].full_name == "Nguyễn Văn Hùng"
    assert citizens["051192654321"].birth_date == date(1992, 7, 2)
    assert citizens["051090123456"].cmnd_numbers == ("212345678",)
    for citizen in citizens.values():
        parsed = parse_id_number(citizen.id_number)
        assert not isinstance(parsed, IdNumberError)
        assert check_consistency(parsed, citizen.birth_date, citizen.gender) == []


def test_demo_families_of_lib_demo_are_in_the_demo_population() -> None:
    from lienthong_tools.demo import FAMILIES, PARENTS

    citizens = {c.id_number: c for c in load_demo_population()}
    for (father, mother, _child), (father_id, father_born, mother_id, mother_born) in zip(
        FAMILIES, PARENTS, strict=True
    ):
        assert citizens[father_id].full_name == father
        assert citizens[father_id].birth_date.isoformat() == father_born
        assert citizens[mother_id].full_name == mother
        assert citizens[mother_id].birth_date.isoformat() == mother_born


def test_insurance_card_is_valid_between_its_dates_until_cover_ends() -> None:
    from population_registry.domain.model import InsuranceCard

    card = InsuranceCard("TE1", date(2026, 1, 1), date(2031, 12, 31))
    assert card.valid_on(date(2026, 1, 1)) and card.valid_on(date(2031, 12, 31))
    assert not card.valid_on(date(2025, 12, 31))
    ended = InsuranceCard("TE1", date(2026, 1, 1), date(2031, 12, 31), date(2026, 6, 30))
    assert not ended.valid_on(date(2026, 7, 1))
