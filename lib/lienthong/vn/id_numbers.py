"""Personal ID numbers (số định danh cá nhân) and old 9-digit CMND numbers.

Why this exists: every linked procedure keys a citizen by the 12-digit personal ID number,
and the 2022 Quảng Ngãi report counts 1,328 birth records that failed when an ID number was
requested. Most of those failures are detectable before any call to the population
database: a wrong length, an unknown prefix, or a number whose century, year of birth or
gender digit contradicts the record it travels with. This module parses and checks the
structure, and builds numbers for the population registry, without ever raising on user
input: callers get a value they can act on.

Structure (Decree 137/2015/ND-CP, Article 13; Circular 07/2016/TT-BCA and its successor
Circular 59/2021/TT-BCA)::

    PPP  G  YY  SSSSSS
    |    |  |   `-- six random digits
    |    |  `------ last two digits of the year of birth
    |    `--------- gender and century: 0/1 = male/female born 1900-1999, 2/3 = 2000-2099,
    |               4/5 = 2100-2199, 6/7 = 2200-2299, 8/9 = 2300-2399
    `-------------- province (or, for births registered abroad, country) of birth
                    registration

The prefix is where the birth was REGISTERED, never where the person lives: do not route a
dossier, pick a residence office or infer jurisdiction from it (residence must be looked up).

ID numbers are personal data (Decree 13/2023/ND-CP): no message, exception or ``repr`` built
here contains one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from lienthong.vn.provinces import province_name

Gender = Literal["MALE", "FEMALE"]

ID_NUMBER_LENGTH: Final = 12
CMND_LENGTH: Final = 9
FIRST_CENTURY_START: Final = 1900
LAST_CENTURY_START: Final = 2300
_ASCII_DIGITS: Final = frozenset("0123456789")
_SERIAL_LIMIT: Final = 1_000_000


@dataclass(frozen=True, slots=True)
class IdNumberError:
    """Why a text is not a usable number; ``code`` is stable, ``message`` is for people."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ParsedIdNumber:
    """The parts of a structurally valid personal ID number.

    ``number`` and ``serial`` are left out of ``repr`` so that logging a parsed value does
    not leak the number.
    """

    number: str = field(repr=False)
    registration_province_code: str
    registration_province_name: str
    gender: Gender
    century_start: int
    birth_year_two_digits: int
    serial: str = field(repr=False)

    def possible_birth_year(self) -> int:
        """The year of birth the number encodes (it may contradict the civil record)."""
        return self.century_start + self.birth_year_two_digits


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """A contradiction between an ID number and the record it travels with."""

    code: str
    message: str


def parse_id_number(text: str) -> ParsedIdNumber | IdNumberError:
    """Parse a 12-digit personal ID number; whitespace anywhere in ``text`` is ignored.

    Returns ``IdNumberError`` with code ``NOT_12_DIGITS`` unless exactly twelve ASCII digits
    remain (other scripts' digits, letters and punctuation are refused), or
    ``UNKNOWN_PROVINCE`` when the prefix is not one of the 63 province codes (this includes
    country codes of births registered abroad, whose table is not modelled here).
    """
    digits = _without_whitespace(text)
    if len(digits) != ID_NUMBER_LENGTH or not _is_ascii_digits(digits):
        return IdNumberError(
            code="NOT_12_DIGITS",
            message="a personal ID number is exactly 12 digits (0-9)",
        )
    province_code = digits[:3]
    name = province_name(province_code)
    if name is None:
        return IdNumberError(
            code="UNKNOWN_PROVINCE",
            message=(
                "the first three digits are not a province code of Circular 07/2016/TT-BCA; "
                "births registered abroad carry a country code, which is not supported here"
            ),
        )
    gender_century = int(digits[3])
    return ParsedIdNumber(
        number=digits,
        registration_province_code=province_code,
        registration_province_name=name,
        gender="MALE" if gender_century % 2 == 0 else "FEMALE",
        century_start=FIRST_CENTURY_START + (gender_century // 2) * 100,
        birth_year_two_digits=int(digits[4:6]),
        serial=digits[6:],
    )


def check_consistency(
    parsed: ParsedIdNumber, birth_date: date, gender: str | None
) -> list[Inconsistency]:
    """Contradictions between the number and the birth date and gender on record.

    ``gender`` is ``"MALE"`` or ``"FEMALE"`` (any case); ``None`` means not recorded and is
    not checked. An empty list means the number is consistent with the record.
    """
    found: list[Inconsistency] = []
    if _century_start(birth_date.year) != parsed.century_start:
        found.append(
            Inconsistency(
                code="BIRTH_CENTURY_MISMATCH",
                message="the century encoded in the ID number differs from the birth date's",
            )
        )
    if birth_date.year % 100 != parsed.birth_year_two_digits:
        found.append(
            Inconsistency(
                code="BIRTH_YEAR_MISMATCH",
                message="the year of birth encoded in the ID number differs from the birth date's",
            )
        )
    if gender is not None:
        recorded = _parse_gender(gender)
        if recorded is None:
            found.append(
                Inconsistency(
                    code="GENDER_NOT_RECOGNISED",
                    message="the recorded gender is neither MALE nor FEMALE; it was not checked",
                )
            )
        elif recorded != parsed.gender:
            found.append(
                Inconsistency(
                    code="GENDER_MISMATCH",
                    message="the gender encoded in the ID number differs from the recorded one",
                )
            )
    return found


def build_id_number(province_code: str, gender: str, birth_date: date, serial: int) -> str:
    """Compose the number the population registry issues to a newly registered birth.

    ``province_code`` is the three-digit code of the province where the birth is registered
    (not where the child will live), ``gender`` is ``"MALE"`` or ``"FEMALE"`` and ``serial``
    the six-digit random part (0-999999). Raises ``ValueError`` on invalid arguments: this
    is a programming error in the issuer, not bad user data. Round-trips with
    ``parse_id_number``.
    """
    if province_name(province_code) is None:
        raise ValueError("unknown province code")
    recorded = _parse_gender(gender)
    if recorded is None:
        raise ValueError("gender must be MALE or FEMALE")
    if not FIRST_CENTURY_START <= birth_date.year < LAST_CENTURY_START + 100:
        raise ValueError("year of birth outside the range ID numbers can encode (1900-2399)")
    if not 0 <= serial < _SERIAL_LIMIT:
        raise ValueError("serial must be between 0 and 999999")
    century_index = (birth_date.year - FIRST_CENTURY_START) // 100
    gender_century = century_index * 2 + (0 if recorded == "MALE" else 1)
    return f"{province_code}{gender_century}{birth_date.year % 100:02d}{serial:06d}"


def parse_cmnd(text: str) -> str | IdNumberError:
    """Validate an old 9-digit CMND number and return it without whitespace.

    Only the shape is checked: nine ASCII digits (the first two name the issuing police
    department, which is not validated). A 12-digit number is refused with code
    ``PERSONAL_ID_NOT_CMND``: the 12-digit CMND cards issued under Circular 27/2012/TT-BCA
    already carry the personal ID number, which was kept when those holders moved to a
    CCCD, so such a number belongs to ``parse_id_number``; only 9-digit numbers are "old
    CMND numbers" that must be confirmed against a CCCD.
    """
    digits = _without_whitespace(text)
    if _is_ascii_digits(digits) and len(digits) == ID_NUMBER_LENGTH:
        return IdNumberError(
            code="PERSONAL_ID_NOT_CMND",
            message="12-digit numbers (including 12-digit CMND cards) are personal ID numbers",
        )
    if len(digits) != CMND_LENGTH or not _is_ascii_digits(digits):
        return IdNumberError(
            code="NOT_9_DIGITS",
            message="an old CMND number is exactly 9 digits (0-9)",
        )
    return digits


def _without_whitespace(text: str) -> str:
    return "".join(text.split())


def _is_ascii_digits(text: str) -> bool:
    return bool(text) and all(character in _ASCII_DIGITS for character in text)


def _century_start(year: int) -> int:
    return year - year % 100


def _parse_gender(text: str) -> Gender | None:
    cleaned = text.strip().upper()
    if cleaned == "MALE":
        return "MALE"
    if cleaned == "FEMALE":
        return "FEMALE"
    return None
