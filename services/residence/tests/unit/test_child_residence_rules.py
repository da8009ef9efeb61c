"""Where a newborn's permanent residence goes."""

from __future__ import annotations

from residence.domain.rules import RegisterAt, Reject, Residence, child_residence

HOME = Residence("21025", "12 Lê Lợi, Quảng Ngãi")
ELSEWHERE = Residence("20194", "3 Bạch Đằng, Đà Nẵng")


def test_child_is_registered_at_the_parents_common_residence() -> None:
    decision = child_residence(False, [HOME, HOME], "51")
    assert decision == RegisterAt("21025", HOME.address, False, "PARENT_RESIDENCE")


def test_parents_living_apart_must_choose_so_the_request_is_rejected() -> None:
    assert child_residence(False, [HOME, ELSEWHERE], "51") == Reject(
        "PARENTS_RESIDE_APART_CHOICE_REQUIRED"
    )


def test_a_person_never_gets_a_second_permanent_residence() -> None:
    assert child_residence(True, [HOME], "51") == Reject("ALREADY_HAS_PERMANENT_RESIDENCE")


def test_without_parents_in_the_register_the_child_waits_for_an_address_in_the_birth_unit() -> None:
    decision = child_residence(False, [], "51")
    assert isinstance(decision, RegisterAt)
    assert (decision.unit_code, decision.address_pending) == ("51", True)
