"""Death benefits and the stop of recurring payments (pure rules, no I/O).

Eligibility, as this reference system applies it (amounts as of 2024):
- **Funeral allowance (mai táng phí)**
  - social-protection beneficiary receiving a monthly allowance (Decree 20/2021/NĐ-CP
    art. 11): 20 × the social-assistance standard (360,000 đ) = 7,200,000 đ;
  - meritorious person (Decree 75/2021/NĐ-CP art. 14): 10 × the base salary
    (2,340,000 đ) = 23,400,000 đ;
  - anyone else: not granted by welfare (basis ``NOT_A_BENEFICIARY``; insured people get
    theirs from social insurance, outside this system).
- **Survivor benefit (trợ cấp tuất)**: only for a meritorious person, a one-off allowance to
  the relatives of 3 months of the person's monthly allowance (Decree 75/2021 art. 14);
  other categories: not granted.
- **Recurring payments** stop from the date of death: no payment is due on or after it; every
  payment already made on or after that date is recorded for recovery.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

SOCIAL_ASSISTANCE_STANDARD_VND = 360_000
BASE_SALARY_VND = 2_340_000
SURVIVOR_MONTHS = 3


class Category(enum.Enum):
    SOCIAL_PROTECTION = "social_protection"
    MERITORIOUS_PERSON = "meritorious_person"


@dataclass(frozen=True)
class Benefit:
    eligible: bool
    amount_vnd: int
    basis: str


def funeral_allowance(category: Category | None) -> Benefit:
    if category is Category.SOCIAL_PROTECTION:
        return Benefit(True, 20 * SOCIAL_ASSISTANCE_STANDARD_VND, "SOCIAL_PROTECTION_BENEFICIARY")
    if category is Category.MERITORIOUS_PERSON:
        return Benefit(True, 10 * BASE_SALARY_VND, "MERITORIOUS_PERSON")
    return Benefit(False, 0, "NOT_A_BENEFICIARY")


def survivor_benefit(category: Category | None, monthly_amount_vnd: int) -> Benefit:
    if category is Category.MERITORIOUS_PERSON:
        return Benefit(True, SURVIVOR_MONTHS * monthly_amount_vnd, "MERITORIOUS_PERSON")
    if category is None:
        return Benefit(False, 0, "NOT_A_BENEFICIARY")
    return Benefit(False, 0, "NO_SURVIVOR_BENEFIT_FOR_CATEGORY")


def is_overpayment(paid_on: date, date_of_death: date) -> bool:
    """A payment made on or after the date of death must be recovered."""
    return paid_on >= date_of_death
