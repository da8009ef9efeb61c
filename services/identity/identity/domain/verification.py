"""Checks one person's stated identity; returns what was found, field by field.

Why this exists: the rules (ID-number structure, consistency of its century/gender digit and
birth year with the stated birth date and gender) are pure and testable without Kafka or a
database. A newborn has no number yet: that is expected for a child, a finding otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from identity.domain.events import (
    FieldMatch,
    MatchLevel,
    MismatchCategory,
    PersonRole,
    SubmittedPerson,
)
from lienthong.vn.id_numbers import IdNumberError, check_consistency, parse_id_number


@dataclass(frozen=True)
class Finding:
    field_matches: tuple[FieldMatch, ...]
    category: MismatchCategory | None
    detail: str

    @property
    def verified(self) -> bool:
        return self.category is None


def check_person(person: SubmittedPerson) -> Finding:
    if person.id_number is None:
        unchecked = (FieldMatch("id_number", MatchLevel.NOT_CHECKED),)
        if person.role is PersonRole.CHILD:
            return Finding(unchecked, None, "newborn without an ID number")
        return Finding(unchecked, MismatchCategory.NEEDS_VERIFICATION, "no ID number given")
    parsed = parse_id_number(person.id_number)
    if isinstance(parsed, IdNumberError):
        return Finding(
            (FieldMatch("id_number", MatchLevel.DIFFERENT),),
            MismatchCategory.INVALID_ID_NUMBER,
            parsed.code,
        )
    matches: list[FieldMatch] = [FieldMatch("id_number", MatchLevel.EXACT)]
    gender = person.gender.name if person.gender and person.gender.name != "UNKNOWN" else None
    if person.birth_date is None:
        matches.append(FieldMatch("birth_date", MatchLevel.NOT_CHECKED))
        return Finding(tuple(matches), None, "")
    codes = {p.code for p in check_consistency(parsed, person.birth_date, gender)}
    fields = {"birth_date" for c in codes if c.startswith("BIRTH_")} | {
        "gender" for c in codes if c == "GENDER_MISMATCH"
    }
    matches.append(
        FieldMatch(
            "birth_date", MatchLevel.DIFFERENT if "birth_date" in fields else MatchLevel.EXACT
        )
    )
    if gender is not None:
        matches.append(
            FieldMatch("gender", MatchLevel.DIFFERENT if "gender" in fields else MatchLevel.EXACT)
        )
    if "birth_date" in fields:
        return Finding(
            tuple(matches), MismatchCategory.BIRTH_DATE_MISMATCH, "birth year vs ID number"
        )
    if "gender" in fields:
        return Finding(tuple(matches), MismatchCategory.GENDER_MISMATCH, "gender vs ID number")
    return Finding(tuple(matches), None, "")
