"""Demographic match: which population record a person is, when no usable number says so.

Why this exists: a person stated without a number (or with one the register does not hold)
was never verified; an officer searched by name, birth date and place by hand. As in MOSIP's
demographic authentication and OpenCRVS's deduplication, the registry returns the records
of a few blocking keys (``population_registry.adapters.repository.demographic_candidates``)
and this module scores each one field by field and decides, Vietnamese-aware: the name is
compared by ``lienthong.vn.names`` (legacy fonts, tone placement, NFD, case, spacing, the
``Đ`` look-alike, word order), the birth date allows a day/month swap and a one-digit slip.

Score of a candidate (0-1): a weighted sum of field scores (``WEIGHTS``); an unknown field
(gender, mother or birth place not stated, or not held) scores ``UNKNOWN``, so it neither
helps nor hurts.
A gender or a known mother that differs caps the score at ``CONTRADICTED_CAP``: a namesake
born the same day to another mother is another person unless everything else says
otherwise, and it never does, since the cap is below ``REVIEW_THRESHOLD``.

Decision (thresholds calibrated on the labelled set, ``lienthong_tools.bench.identity_set``;
the calibration figures are in docs/adr/0130-demographic-match.md):
- ``MATCH_THRESHOLD``: the best candidate scores at least this, and the runner-up at least
  ``MARGIN`` less → it is the person (one unambiguous match);
- ``REVIEW_THRESHOLD``: candidates scoring at least this (at most ``MAX_CANDIDATES``,
  ranked) are shown to an officer when no single one is unambiguous;
- below it for every candidate → no record (NOT_FOUND).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

from identity.domain.duplicates import two_given_names
from identity.domain.events import CitizenRecord, CitizenStatus, FieldScore, Gender
from lienthong.vn import names

MATCH_THRESHOLD: Final = 0.80
MARGIN: Final = 0.08
REVIEW_THRESHOLD: Final = 0.78
MAX_CANDIDATES: Final = 5
UNKNOWN: Final = 0.5
CONTRADICTED_CAP: Final = 0.5
WEIGHTS: Final = {
    "full_name": 0.50,
    "birth_date": 0.30,
    "gender": 0.05,
    "mother": 0.10,
    "birth_place": 0.05,
}

# Name field scores by how the names compare.
SAME_NAME: Final = 1.0
TONE_CHANGED: Final = 0.85  # same letters, one tone mark changed (Thuỳ / Thuỷ)
TYPO_FLOOR: Final = 0.70  # a changed letter at the similarity threshold ...
TYPO_CEILING: Final = 0.90  # ... up to an almost identical name
OTHER_GIVEN_NAME: Final = 0.1  # the same family with another given name: a sibling, a twin
# Birth date field scores.
SAME_DATE: Final = 1.0
SWAPPED_DATE: Final = 0.85
ONE_DIGIT_OFF: Final = 0.6
SAME_YEAR: Final = 0.2


class NameComparison(enum.Enum):
    SAME = "same"
    TONE_CHANGED = "tone_changed"
    TYPO = "typo"
    OTHER_GIVEN_NAME = "other_given_name"
    DIFFERENT = "different"


class DateComparison(enum.Enum):
    SAME = "same"
    SWAPPED = "swapped"
    ONE_DIGIT_OFF = "one_digit_off"
    SAME_YEAR = "same_year"
    DIFFERENT = "different"
    NOT_STATED = "not_stated"


@dataclass(frozen=True)
class ScoredCandidate:
    """A candidate record with its score and the per-field scores that make it."""

    record: CitizenRecord
    score: float
    field_scores: tuple[FieldScore, ...]
    name: NameComparison
    birth_date: DateComparison
    gender_differs: bool

    @property
    def fields_agree(self) -> bool:
        """Name, birth date and gender are the same data (written differently at most)."""
        return (
            self.name is NameComparison.SAME
            and self.birth_date is DateComparison.SAME
            and not self.gender_differs
        )


@dataclass(frozen=True)
class Stated:
    """What was stated about the person, as compared."""

    full_name: str
    birth_date: date | None
    gender: Gender | None
    mother_id_number: str | None
    birth_place_code: str | None = None


def compare_name(stated: str, held: str) -> tuple[NameComparison, float]:
    match = names.compare_names(stated, held)
    if names.same_name(stated, held, match):
        return NameComparison.SAME, SAME_NAME
    if match.level is names.MatchLevel.WITHOUT_TONES:
        return NameComparison.TONE_CHANGED, TONE_CHANGED
    if match.level is names.MatchLevel.DIFFERENT:
        return NameComparison.DIFFERENT, 0.0
    if two_given_names(stated, held):
        return NameComparison.OTHER_GIVEN_NAME, OTHER_GIVEN_NAME
    threshold = names.SIMILARITY_THRESHOLD
    share = (match.score - threshold) / (100.0 - threshold)
    return NameComparison.TYPO, TYPO_FLOOR + (TYPO_CEILING - TYPO_FLOOR) * max(0.0, share)


def compare_date(stated: date | None, held: date) -> tuple[DateComparison, float]:
    if stated is None:
        return DateComparison.NOT_STATED, UNKNOWN
    if stated == held:
        return DateComparison.SAME, SAME_DATE
    if stated.year != held.year:
        return DateComparison.DIFFERENT, 0.0
    if stated.day == held.month and stated.month == held.day:
        return DateComparison.SWAPPED, SWAPPED_DATE
    if _one_digit_off(stated, held):
        return DateComparison.ONE_DIGIT_OFF, ONE_DIGIT_OFF
    return DateComparison.SAME_YEAR, SAME_YEAR


def _one_digit_off(a: date, b: date) -> bool:
    written_a, written_b = a.strftime("%d%m"), b.strftime("%d%m")
    return sum(x != y for x, y in zip(written_a, written_b, strict=True)) == 1


def score(stated: Stated, record: CitizenRecord) -> ScoredCandidate:
    name, name_score = compare_name(stated.full_name, record.full_name)
    born, born_score = compare_date(stated.birth_date, record.birth_date)
    held_gender = record.gender if record.gender is not Gender.UNKNOWN else None
    stated_gender = stated.gender if stated.gender is not Gender.UNKNOWN else None
    if held_gender is None or stated_gender is None:
        gender_score = UNKNOWN
    else:
        gender_score = 1.0 if held_gender is stated_gender else 0.0
    if stated.mother_id_number is None or record.mother_id_number is None:
        mother_score = UNKNOWN
    else:
        mother_score = 1.0 if stated.mother_id_number == record.mother_id_number else 0.0
    if stated.birth_place_code is None or record.birth_place_code is None:
        place_score = UNKNOWN
    else:
        place_score = 1.0 if stated.birth_place_code == record.birth_place_code else 0.0
    fields = (
        FieldScore("full_name", round(name_score, 3)),
        FieldScore("birth_date", born_score),
        FieldScore("gender", gender_score),
        FieldScore("mother", mother_score),
        FieldScore("birth_place", place_score),
    )
    total = sum(WEIGHTS[f.field] * f.score for f in fields)
    if gender_score == 0.0 or mother_score == 0.0:
        total = min(total, CONTRADICTED_CAP)
    return ScoredCandidate(record, round(total, 4), fields, name, born, gender_score == 0.0)


def rank(
    stated: Stated, candidates: Iterable[CitizenRecord], cleared: frozenset[str] = frozenset()
) -> tuple[ScoredCandidate, ...]:
    """Candidates worth an officer's look (score at least ``REVIEW_THRESHOLD``), best first,
    at most ``MAX_CANDIDATES``; merged records and pairs an officer cleared are left out."""
    scored = [
        score(stated, c)
        for c in candidates
        if c.status is not CitizenStatus.MERGED and c.subject_id not in cleared
    ]
    kept = [s for s in scored if s.score >= REVIEW_THRESHOLD]
    kept.sort(key=lambda s: (-s.score, s.record.subject_id))
    return tuple(kept[:MAX_CANDIDATES])


def unambiguous(ranked: tuple[ScoredCandidate, ...]) -> ScoredCandidate | None:
    """The one candidate that is the person, if there is exactly one."""
    if not ranked or ranked[0].score < MATCH_THRESHOLD:
        return None
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < MARGIN:
        return None
    return ranked[0]
