"""The Project 06 error categories of birth ID-number requests, as the province counts them.

Why this exists: the Quảng Ngãi six-month report (21 June 2022, section on the civil
registry; /work/shared/seed/bao-cao-de-an-06-quang-ngai-2022.md) summarises the review of
ID-number issuance for birth registrations ordered by Công văn 548/STP-HCTP&BTTP of
20/5/2022: "1.328 trường hợp báo lỗi, trong đó: 05 trường hợp sai khác dữ liệu giữa CSDL hộ
tịch và CSDL quốc gia về dân cư; 39 trường hợp báo lỗi nghi trùng thông tin, chưa được cấp số
định danh và 1.284 trường hợp trẻ em dưới 14 tuổi, đã đăng ký khai sinh nhưng phần mềm báo lỗi
thông tin cần xác minh hoặc ngày sinh không được trước ngày 01/7/2021..., chưa được cấp số
định danh". Every birth ID-number request that fails is counted in exactly one of three
categories, and the reconciliation figures are these three counts.

The third category's rule, written down from that sentence: the child is **under 14** on
the day the request is checked, its **birth was registered** (the request comes from a
civil-registry birth registration), it has **no ID number**, and it was **born before
01/07/2021** — the day the electronic link between the civil registry and the population
database opened (``LINK_OPENED``). Such children were registered late; the issuing software
answers "information needs verification" or "birth date may not be before 01/07/2021", so
their data must be verified by an officer before a number is issued. A child that may
already have a record is a suspected duplicate instead (that check comes first).
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Final

from identity.domain.events import MismatchCategory

LINK_OPENED: Final = date(2021, 7, 1)
CHILD_AGE_LIMIT: Final = 14
CHILD_RULE_DETAIL: Final = (
    "child under 14 born before 01/07/2021 (registered late): the population data need "
    "verifying before an ID number is issued"
)


class BirthIdNumberError(enum.Enum):
    """The three categories of the report."""

    CIVIL_REGISTRY_POPULATION_MISMATCH = "civil_registry_population_mismatch"
    SUSPECTED_DUPLICATE = "suspected_duplicate"
    CHILD_NEEDS_VERIFICATION = "child_needs_verification"


def child_needs_verification(birth_date: date | None, on: date) -> bool:
    """The rule above, for a registered child without an ID number."""
    if birth_date is None or birth_date >= LINK_OPENED:
        return False
    return _age(birth_date, on) < CHILD_AGE_LIMIT


def _age(birth_date: date, on: date) -> int:
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - before_birthday


def classify(category: MismatchCategory | None) -> BirthIdNumberError | None:
    """The report category of a checked registered child (``None``: no error)."""
    if category is None:
        return None
    if category is MismatchCategory.SUSPECTED_DUPLICATE:
        return BirthIdNumberError.SUSPECTED_DUPLICATE
    if category is MismatchCategory.NEEDS_VERIFICATION:
        return BirthIdNumberError.CHILD_NEEDS_VERIFICATION
    return BirthIdNumberError.CIVIL_REGISTRY_POPULATION_MISMATCH
