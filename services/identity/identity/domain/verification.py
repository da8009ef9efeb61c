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

from identity.domain import corrections, demographic, report_categories
from identity.domain.corrections import CorrectionSuggestion
from identity.domain.demographic import ScoredCandidate
from identity.domain.duplicates import Reference, SuspectedDuplicate, suspected_duplicates
from identity.domain.events import (
    CitizenRecord,
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
    """What a check found. ``duplicates``: other records that may be the same person as the
    record found (pairs for the review queue). ``matched``: the record a person without a
    usable number was matched to demographically. ``candidates``: ranked records an officer
    must choose among (one review case). ``correction``: the likely data-entry error and
    its fix (the correction queue)."""

    field_matches: tuple[FieldMatch, ...]
    category: MismatchCategory | None
    detail: str
    duplicates: tuple[SuspectedDuplicate, ...] = ()
    matched: CitizenRecord | None = None
    candidates: tuple[ScoredCandidate, ...] = ()
    correction: CorrectionSuggestion | None = None

    @property
    def verified(self) -> bool:
        return self.category is None


def precheck(person: SubmittedPerson, *, ask_for_unnumbered_child: bool = False) -> Finding | None:
    """The finding when no population data is needed; ``None`` when the registry must be
    asked. A person without a number is searched for by name and birth date; a newborn of a
    dossier is accepted as not checked, unless ``ask_for_unnumbered_child`` (civil-registry
    births: the child is searched for, a record found is a suspected duplicate)."""
    if person.id_number is None:
        unchecked = (FieldMatch("id_number", MatchLevel.NOT_CHECKED),)
        if person.role is PersonRole.CHILD and not ask_for_unnumbered_child:
            return Finding(unchecked, None, "newborn without an ID number")
        if person.birth_date is None:
            return Finding(
                unchecked, MismatchCategory.NEEDS_VERIFICATION, "no ID number and no birth date"
            )
        return None  # searched for by name and birth date (demographic match)
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
    on: date | None = None,
) -> Finding:
    """Compare the stated person with the registry's answer. ``cleared``: subject ids an
    officer already confirmed to be other people (never suspected again);
    ``mother_id_number``: the stated mother of a child (duplicate search by parents);
    ``on``: the day of the check (the child rule of ``report_categories``)."""
    record = answer.record
    if record is None:
        return _without_record(person, answer, cleared, mother_id_number, on or date.today())
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
        record.birth_place_code,
    )
    # Every finding carries the duplicate list, whatever else differs: the pair of records
    # is suspect on the register's data alone.
    duplicates = suspected_duplicates(reference, answer.candidates, cleared)
    if record.status is CitizenStatus.DECEASED and person.role is not PersonRole.DECEASED:
        return Finding(
            matches, MismatchCategory.DECEASED, "the population data record a death", duplicates
        )
    correction = None
    if not name_ok or birth_level is MatchLevel.DIFFERENT or gender_level is MatchLevel.DIFFERENT:
        correction = corrections.suggest(
            demographic.score(_stated(person, mother_id_number), record),
            person.full_name,
            person.birth_date,
            person.gender,
        )
    if not name_ok:
        return Finding(
            matches,
            MismatchCategory.NAME_MISMATCH,
            _name_detail(name_level),
            duplicates,
            correction=correction,
        )
    if birth_level is MatchLevel.DIFFERENT:
        detail = "birth date differs from the population data"
        if person.birth_date is not None and _swapped(person.birth_date, record.birth_date):
            detail += " (day and month swapped)"
        return Finding(
            matches, MismatchCategory.BIRTH_DATE_MISMATCH, detail, duplicates, correction=correction
        )
    if gender_level is MatchLevel.DIFFERENT:
        return Finding(
            matches,
            MismatchCategory.GENDER_MISMATCH,
            "gender differs from the population data",
            duplicates,
            correction=correction,
        )
    if duplicates:
        return Finding(
            matches,
            MismatchCategory.SUSPECTED_DUPLICATE,
            f"{len(duplicates)} other population record(s) may be this person",
            duplicates,
        )
    return Finding(matches, None, "")


def _stated(person: SubmittedPerson, mother_id_number: str | None) -> demographic.Stated:
    return demographic.Stated(person.full_name, person.birth_date, person.gender, mother_id_number)


def _without_record(
    person: SubmittedPerson,
    answer: CitizenVerificationAnswered,
    cleared: frozenset[str],
    mother_id_number: str | None,
    on: date,
) -> Finding:
    """No number, or one the register does not hold: the demographic search's candidates
    decide (``demographic``). A registered newborn found in the register is a suspected
    duplicate; otherwise the child rule of the report may apply."""
    ranked = demographic.rank(_stated(person, mother_id_number), answer.candidates, cleared)
    if person.id_number is None and person.role is PersonRole.CHILD:
        unchecked = (FieldMatch("id_number", MatchLevel.NOT_CHECKED),)
        if ranked:
            return Finding(
                unchecked,
                MismatchCategory.SUSPECTED_DUPLICATE,
                f"{len(ranked)} population record(s) may be this child",
                candidates=ranked,
            )
        if report_categories.child_needs_verification(person.birth_date, on):
            return Finding(
                unchecked,
                MismatchCategory.NEEDS_VERIFICATION,
                report_categories.CHILD_RULE_DETAIL,
            )
        return Finding(unchecked, None, "newborn without an ID number; no duplicate")
    id_level = MatchLevel.NOT_CHECKED if person.id_number is None else MatchLevel.DIFFERENT
    best = demographic.unambiguous(ranked)
    if (
        best is not None
        and best.record.status is CitizenStatus.DECEASED
        and person.role is not PersonRole.DECEASED
    ):
        return Finding(
            (FieldMatch("id_number", MatchLevel.DEMOGRAPHIC),),
            MismatchCategory.DECEASED,
            "the population data record a death (matched by name and birth date)",
            matched=best.record,
        )
    if best is not None and best.fields_agree:
        name_level, _ = compare_name(person.full_name, best.record.full_name)
        return Finding(
            (
                FieldMatch("id_number", MatchLevel.DEMOGRAPHIC),
                FieldMatch("full_name", name_level),
                FieldMatch("birth_date", MatchLevel.EXACT),
                FieldMatch(
                    "gender",
                    MatchLevel.NOT_CHECKED if person.gender is None else MatchLevel.EXACT,
                ),
            ),
            None,
            "matched by name and birth date (no usable ID number)",
            matched=best.record,
        )
    if best is not None:
        suggestion = corrections.suggest(best, person.full_name, person.birth_date, person.gender)
        if suggestion is not None:
            fields = {c.field for c in suggestion.corrections}
            category = (
                MismatchCategory.NAME_MISMATCH
                if "full_name" in fields
                else MismatchCategory.BIRTH_DATE_MISMATCH
                if "birth_date" in fields
                else MismatchCategory.GENDER_MISMATCH
            )
            return Finding(
                (FieldMatch("id_number", id_level),),
                category,
                "one population record is most likely this person; a correction is suggested",
                candidates=(best,),
                correction=suggestion,
            )
    if ranked:
        return Finding(
            (FieldMatch("id_number", id_level),),
            MismatchCategory.NEEDS_VERIFICATION,
            f"{len(ranked)} population records may be this person; an officer chooses",
            candidates=ranked,
        )
    detail = "no ID number; no population record found by name and birth date"
    if person.id_number is not None:
        detail = "no population record with this number, nor by name and birth date"
    return Finding((FieldMatch("id_number", id_level),), MismatchCategory.NOT_FOUND, detail)


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
