"""Death benefits and the stop of recurring payments."""

from __future__ import annotations

from datetime import date

from welfare.domain.rules import Category, funeral_allowance, is_overpayment, survivor_benefit


def test_social_protection_beneficiary_gets_twenty_times_the_assistance_standard() -> None:
    b = funeral_allowance(Category.SOCIAL_PROTECTION)
    assert (b.eligible, b.amount_vnd) == (True, 7_200_000)


def test_meritorious_person_gets_funeral_allowance_and_three_months_survivor_benefit() -> None:
    assert funeral_allowance(Category.MERITORIOUS_PERSON).amount_vnd == 23_400_000
    s = survivor_benefit(Category.MERITORIOUS_PERSON, 2_000_000)
    assert (s.eligible, s.amount_vnd) == (True, 6_000_000)


def test_someone_welfare_never_paid_gets_nothing_from_welfare() -> None:
    assert funeral_allowance(None).basis == "NOT_A_BENEFICIARY"
    assert not survivor_benefit(None, 0).eligible
    assert not survivor_benefit(Category.SOCIAL_PROTECTION, 500_000).eligible


def test_a_payment_on_or_after_the_date_of_death_is_an_overpayment() -> None:
    death = date(2026, 11, 10)
    assert is_overpayment(date(2026, 11, 10), death)
    assert is_overpayment(date(2026, 12, 1), death)
    assert not is_overpayment(date(2026, 11, 9), death)
