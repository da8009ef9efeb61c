"""What intake accepts as a person's name and number (no I/O)."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from intake.domain.commands import PersonRole
from intake.entrypoints.api import PersonIn
from intake.service_layer.handlers import _subject_id
from lienthong.subjects import SubjectIds

SUBJECTS = SubjectIds("intake-test-subject-key-0123456789")


def test_a_name_typed_in_the_tcvn3_font_is_accepted_for_identity_to_repair() -> None:
    person = PersonIn(role=PersonRole.APPLICANT, full_name="Ph¹m V¨n Kh¶i")
    assert person.full_name == "Ph¹m V¨n Kh¶i"


def test_a_name_with_a_real_digit_is_refused() -> None:
    with pytest.raises(ValidationError, match="a name has no digits"):
        PersonIn(role=PersonRole.APPLICANT, full_name="Nguyễn Văn 2")


def test_an_old_nine_digit_cmnd_number_is_accepted_and_kept_for_identity() -> None:
    person = PersonIn(role=PersonRole.APPLICANT, full_name="Lê Thị Hoa", id_number="212 345 678")
    assert person.id_number == "212345678"


@pytest.mark.parametrize("number", ["12345678", "1234567890", "05109012345x", "０５１０９０１２３"])
def test_numbers_of_other_lengths_or_other_digits_are_refused(number: str) -> None:
    with pytest.raises(ValidationError, match="12-digit ID number or a 9-digit CMND"):
        PersonIn(role=PersonRole.APPLICANT, full_name="Lê Thị Hoa", id_number=number)


def test_a_cmnd_holder_gets_one_stable_subject_id_that_is_not_derived_as_an_id_number() -> None:
    first = _subject_id(SUBJECTS, "212345678", uuid.uuid4(), "applicant", 0)
    again = _subject_id(SUBJECTS, "212345678", uuid.uuid4(), "applicant", 0)
    assert first == again != SUBJECTS.for_id_number("212345678")
    assert _subject_id(SUBJECTS, "051090123456", uuid.uuid4(), "applicant", 0) == (
        SUBJECTS.for_id_number("051090123456")
    )
