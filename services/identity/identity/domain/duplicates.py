"""Suspected duplicates: two population records that may be one person.

Why this exists: the 2022 report counts 39 suspected duplicates among 1,328 birth records.
The registry does the blocking (same name key with words sorted and the same birth date or
the date with day and month swapped, or the same mother and birth date), so only a handful
of records are compared; this module decides which of them are suspects:

- the same gender when both are known;
- names at least SIMILAR (``lienthong.vn.names.compare_names``: tone placement, legacy
  encodings, word order and small typos all pass; clearly different names do not);
- mothers that do not contradict: two records whose known mothers differ are two people
  (twins excepted by the name rule, same-name-same-birthday strangers by this one);
- birth places that do not contradict: namesakes born the same day whose births were
  registered in two different places are two people;
- and something beyond the name and the birthday in common: the same known mother or the
  same known birth place. About 5 % of a province's people have a namesake of their gender
  born the same day (``lienthong_tools.bench.identity_set``); suspecting every such pair floods
  the review queue with strangers (ADR 0131), while a record entered twice comes from one
  source and carries its place or its parents;
- given names that are not two different well-spelled names: ``Khôi`` and ``Bảo`` born the
  same day to the same mother are twins, while ``Khôi`` and ``Khoi`` or ``Khôj`` (a typo
  that is no Vietnamese syllable) are one child written twice;
- not a pair an officer already cleared as different persons.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from identity.domain.events import CitizenRecord, CitizenStatus
from lienthong.vn import names
from lienthong.vn.legacy_encodings import repair_legacy_text


@dataclass(frozen=True)
class Reference:
    """The person the candidates are compared with."""

    subject_id: str
    full_name: str
    birth_date: date
    gender: str | None
    mother_id_number: str | None
    birth_place_code: str | None = None


@dataclass(frozen=True)
class SuspectedDuplicate:
    candidate: CitizenRecord
    name_score: float
    reason: str


def suspected_duplicates(
    reference: Reference,
    candidates: Iterable[CitizenRecord],
    cleared: frozenset[str] = frozenset(),
) -> tuple[SuspectedDuplicate, ...]:
    found: list[SuspectedDuplicate] = []
    for candidate in candidates:
        reason = duplicate_reason(reference, candidate, cleared)
        if reason is not None:
            score = names.compare_names(reference.full_name, candidate.full_name).score
            found.append(SuspectedDuplicate(candidate, score, reason))
    return tuple(found)


def duplicate_reason(
    reference: Reference, candidate: CitizenRecord, cleared: frozenset[str] = frozenset()
) -> str | None:
    """Why ``candidate`` may be the same person as ``reference``; ``None`` if it is not."""
    if candidate.subject_id == reference.subject_id or candidate.subject_id in cleared:
        return None
    if candidate.status is CitizenStatus.MERGED:
        return None
    if (
        reference.gender is not None
        and candidate.gender.name in ("MALE", "FEMALE")
        and candidate.gender.name != reference.gender
    ):
        return None
    if names.compare_names(reference.full_name, candidate.full_name).level is (
        names.MatchLevel.DIFFERENT
    ):
        return None
    if two_given_names(reference.full_name, candidate.full_name):
        return None
    same_mother = (
        reference.mother_id_number is not None
        and reference.mother_id_number == candidate.mother_id_number
    )
    if (
        reference.mother_id_number is not None
        and candidate.mother_id_number is not None
        and not same_mother
    ):
        return None
    if (
        reference.birth_place_code is not None
        and candidate.birth_place_code is not None
        and reference.birth_place_code != candidate.birth_place_code
    ):
        return None
    same_place = (
        reference.birth_place_code is not None
        and reference.birth_place_code == candidate.birth_place_code
    )
    if not (same_mother or same_place):
        return None  # nothing but a name and a birthday in common: a namesake, as often as not
    if candidate.birth_date == reference.birth_date:
        return "MOTHER_AND_BIRTH_DATE" if same_mother else "NAME_AND_BIRTH_DATE"
    if (
        candidate.birth_date.year == reference.birth_date.year
        and candidate.birth_date.day == reference.birth_date.month
        and candidate.birth_date.month == reference.birth_date.day
    ):
        return "NAME_AND_SWAPPED_BIRTH_DATE"
    return None


def two_given_names(a: str, b: str) -> bool:
    """The given names (last word, word order aside) are two different real names."""
    words_a, words_b = names.name_key(a).split(), names.name_key(b).split()
    if sorted(words_a) == sorted(words_b):
        return False
    given_a, given_b = _given(a), _given(b)
    if given_a is None or given_b is None or _one_letter_apart(given_a, given_b):
        return False
    return (
        names.ascii_fold(given_a).lower() != names.ascii_fold(given_b).lower()
        and names.is_vietnamese_syllable(given_a)
        and names.is_vietnamese_syllable(given_b)
    )


def _one_letter_apart(a: str, b: str) -> bool:
    """One plain letter replaced and every mark kept: how a keyboard typo looks (``Hùng`` /
    ``Hùnh``); two chosen names differ in more (``Hùng`` / ``Dũng``)."""
    a, b = a.lower(), b.lower()
    if len(a) != len(b):
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differing) == 1 and all(c.isascii() and c.isalpha() for c in differing[0])


def _given(name: str) -> str | None:
    words = names.normalize_name(repair_legacy_text(name)).split()
    return words[-1] if words else None
