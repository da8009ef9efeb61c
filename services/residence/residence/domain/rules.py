"""Where a newborn's permanent residence goes (pure rules, no I/O).

Why this exists: the Residence Law 2020 (art. 20) and the Civil Code (art. 40) place a
minor's residence at the parents'; when the parents live apart, at the one the child lives
with, which the parents must declare. The reference register decides the same way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Residence:
    unit_code: str
    address: str | None


@dataclass(frozen=True)
class RegisterAt:
    unit_code: str
    address: str | None
    address_pending: bool
    basis: str


@dataclass(frozen=True)
class Reject:
    reason: str


def child_residence(
    child_has_residence: bool, parents: list[Residence], birth_unit_code: str
) -> RegisterAt | Reject:
    """The child's residence, given the parents' registered residences (mother first).

    - the child already has a permanent residence → reject (at most one per person);
    - the parents are registered at different addresses → reject: the parents must declare
      which one the child lives with (Civil Code art. 40);
    - a parent is registered → the child is registered at that address;
    - no parent is in this register (a reference register starts empty) → the child is
      registered in the unit of birth registration, address still to be declared.
    """
    if child_has_residence:
        return Reject("ALREADY_HAS_PERMANENT_RESIDENCE")
    distinct = {(p.unit_code, p.address) for p in parents}
    if len(distinct) > 1:
        return Reject("PARENTS_RESIDE_APART_CHOICE_REQUIRED")
    if parents:
        return RegisterAt(parents[0].unit_code, parents[0].address, False, "PARENT_RESIDENCE")
    return RegisterAt(birth_unit_code, None, True, "BIRTH_REGISTRATION_UNIT")
