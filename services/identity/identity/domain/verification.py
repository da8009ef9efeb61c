"""Checks one person's stated identity; returns what was found, field by field.

Why this exists: the rules are pure and testable without Kafka or a database. A check has
two steps. ``precheck`` decides what needs no population data: a newborn without a number
(expected for a child), a missing or malformed number, a number whose century/gender digit
and birth year contradict the stated birth date and gender. Everything else is compared by
``assess`` with the population registry's answer: the record (NOT_FOUND, DECEASED, and the
match level of name, birth date and gender) and the records that may be the same person
(``duplicates.suspected_duplicates``).

What counts as the same name is ``lienthong.vn.names.same_name`` (ADR 0021): equal after
legacy-encoding repair, NFC, tone placement, the ``Đ`` look-alikes, case and spacing; tones
lost on one side; the same words in another order; a name written without any diacritic
with the same letters. Any other difference (a typo, a changed tone or letter) is a
NAME_MISMATCH that a person must look at: the data differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from identity.domain.duplicates import Reference, SuspectedDuplicate, suspected_duplicates
from identity.domain.events import (
    CitizenStatus,
    CitizenVerificationAnswered,
    FieldMatch,
    Gender,
    MatchedBy,
    MatchLevel,
    MismatchCategory,
    PersonRole,
    SubmittedPerson,
)
from lienthong.vn import names
from lienthong.vn.id_numbers import IdNumberError, check_consistency, parse_cmnd, parse_id_number


@dataclass(frozen=True)
class Finding:
    field_matches: tuple[FieldMatch, ...]
    category: MismatchCategory | None
    detail: str
    duplicates: tuple[SuspectedDuplicate, ...] = ()

    @property
    def verified(self) -> bool:
        return self.category is None


def precheck(person: SubmittedPerson, *, ask_for_unnumbered_child: bool = False) -> Finding | None:
    """The finding when no population data is needed; ``None`` when the registry must be
    asked. ``ask_for_unnumbered_child``: a newborn without a number is still searched for
    duplicates (civil-registry births), instead of being accepted as not checked."""
    if person.id_number is None:
        unchecked = (FieldMatch("id_number", MatchLevel.NOT_CHECKED),)
        if person.role is PersonRole.CHILD:
            if ask_for_unnumbered_child and person.birth_date is not None:
                return None
            return Finding(unchecked, None, "newborn without an ID number")
        return Finding(unchecked, MismatchCategory.NEEDS_VERIFICATION, "no ID number given")
    if not isinstance(parse_cmnd(person.id_number), IdNumberError):
        return None  # an old 9-digit CMND: only the registry's aliases can resolve it
    parsed = parse_id_number(person.id_number)
    if isinstance(parsed, IdNumberError):
        return Finding(
            (FieldMatch("id_number", MatchLevel.DIFFERENT),),
            MismatchCategory.INVALID_ID_NUMBER,
            parsed.code,
        )
    gender = _stated_gender(person)
    if person.birth_date is None:
        return None
    codes = {p.code for p in check_consistency(parsed, person.birth_date, gender)}
    if any(c.startswith("BIRTH_") for c in codes):
        return Finding(
            (
                FieldMatch("id_number", MatchLevel.EXACT),
                FieldMatch("birth_date", MatchLevel.DIFFERENT),
            ),
            MismatchCategory.BIRTH_DATE_MISMATCH,
            "birth year differs from the one encoded in the ID number",
        )
    if "GENDER_MISMATCH" in codes:
        return Finding(
            (
                FieldMatch("id_number", MatchLevel.EXACT),
                FieldMatch("birth_date", MatchLevel.EXACT),
                FieldMatch("gender", MatchLevel.DIFFERENT),
            ),
            MismatchCategory.GENDER_MISMATCH,
            "gender differs from the one encoded in the ID number",
        )
    return None


def compare_name(stated: str, held: str) -> tuple[MatchLevel, bool]:
    """The match level of two names and whether they count as the same name
    (``lienthong.vn.names.same_name``)."""
    match = names.compare_names(stated, held)
    return MatchLevel[match.level.name], names.same_name(stated, held, match)


def compare_birth_date(stated: date | None, held: date) -> MatchLevel:
    if stated is None:
        return MatchLevel.NOT_CHECKED
    return MatchLevel.EXACT if stated == held else MatchLevel.DIFFERENT


def assess(
    person: SubmittedPerson,
    answer: CitizenVerificationAnswered,
    cleared: frozenset[str] = frozenset(),
    mother_id_number: str | None = None,
) -> Finding:
    """Compare the stated person with the registry's answer. ``cleared``: subject ids an
    officer already confirmed to be other people (never suspected again);
    ``mother_id_number``: the stated mother of a child (duplicate search by parents)."""
    record = answer.record
    if record is None:
        duplicates: tuple[SuspectedDuplicate, ...] = ()
        if person.birth_date is not None:
            reference = Reference(
                person.subject_id,
                person.full_name,
                person.birth_date,
                _stated_gender(person),
                mother_id_number,
            )
            duplicates = suspected_duplicates(reference, answer.candidates, cleared)
        if person.id_number is None:
            unchecked = (FieldMatch("id_number", MatchLevel.NOT_CHECKED),)
            if duplicates:
                return Finding(
                    unchecked,
                    MismatchCategory.SUSPECTED_DUPLICATE,
                    f"{len(duplicates)} population record(s) may be this person",
                    duplicates,
                )
            return Finding(unchecked, None, "newborn without an ID number; no duplicate")
        return Finding(
            (FieldMatch("id_number", MatchLevel.DIFFERENT),),
            MismatchCategory.NOT_FOUND,
            "no population record with this number",
            duplicates,
        )
    id_level = (
        MatchLevel.EXACT if answer.matched_by is MatchedBy.ID_NUMBER else (MatchLevel.NORMALIZED)
    )
    name_level, name_ok = compare_name(person.full_name, record.full_name)
    birth_level = compare_birth_date(person.birth_date, record.birth_date)
    stated_gender = _stated_gender(person)
    if stated_gender is None or record.gender is Gender.UNKNOWN:
        gender_level = MatchLevel.NOT_CHECKED
    else:
        gender_level = (
            MatchLevel.EXACT if stated_gender == record.gender.name else MatchLevel.DIFFERENT
        )
    matches = (
        FieldMatch("id_number", id_level),
        FieldMatch("full_name", name_level),
        FieldMatch("birth_date", birth_level),
        FieldMatch("gender", gender_level),
    )
    reference = Reference(
        record.subject_id,
        record.full_name,
        record.birth_date,
        record.gender.name,
        record.mother_id_number or mother_id_number,
    )
    duplicates = suspected_duplicates(reference, answer.candidates, cleared)
    if record.status is CitizenStatus.DECEASED and person.role is not PersonRole.DECEASED:
        return Finding(matches, MismatchCategory.DECEASED, "the population data record a death")
    if not name_ok:
        return Finding(matches, MismatchCategory.NAME_MISMATCH, _name_detail(name_level))
    if birth_level is MatchLevel.DIFFERENT:
        detail = "birth date differs from the population data"
        if person.birth_date is not None and _swapped(person.birth_date, record.birth_date):
            detail += " (day and month swapped)"
        return Finding(matches, MismatchCategory.BIRTH_DATE_MISMATCH, detail, duplicates)
    if gender_level is MatchLevel.DIFFERENT:
        return Finding(
            matches, MismatchCategory.GENDER_MISMATCH, "gender differs from the population data"
        )
    if duplicates:
        return Finding(
            matches,
            MismatchCategory.SUSPECTED_DUPLICATE,
            f"{len(duplicates)} other population record(s) may be this person",
            duplicates,
        )
    return Finding(matches, None, "")


def _name_detail(level: MatchLevel) -> str:
    if level is MatchLevel.SIMILAR:
        return "name is similar to, but not the same as, the population data (a typo?)"
    return "name differs from the population data"


def _stated_gender(person: SubmittedPerson) -> str | None:
    if person.gender is None or person.gender is Gender.UNKNOWN:
        return None
    return person.gender.name


def _swapped(a: date, b: date) -> bool:
    return a.year == b.year and a.day == b.month and a.month == b.day


MISSING_CATEGORIES = frozenset(
    {
        MismatchCategory.NOT_FOUND,
        MismatchCategory.INVALID_ID_NUMBER,
        MismatchCategory.NEEDS_VERIFICATION,
    }
)


def bulk_outcome(finding: Finding) -> str:
    """A dataset row's outcome: VERIFIED, MISSING (no usable number, or not in the population
    data) or WRONG (the data differ: name, birth date, gender, deceased, duplicate)."""
    if finding.category is None:
        return "VERIFIED"
    return "MISSING" if finding.category in MISSING_CATEGORIES else "WRONG"
