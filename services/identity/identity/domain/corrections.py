"""Correction suggestions: a mismatch that is most likely a data-entry error, and its fix.

Why this exists: a bare NAME_MISMATCH tells the officer that something differs, not which
registry record the person most likely is nor what to correct. When the stated data and a
record differ only in ways a keyboard or a form makes (a changed letter or tone, day and
month swapped, one digit of the date), the suggestion names the record, each differing
field and the value the register holds. It goes to the officer's correction queue and is
decided there (accept the correction / reject it); it never verifies the person by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from identity.domain.demographic import DateComparison, NameComparison, ScoredCandidate
from identity.domain.events import CitizenRecord, FieldCorrection, Gender

NAME_ERRORS = frozenset({NameComparison.TONE_CHANGED, NameComparison.TYPO})
DATE_ERRORS = frozenset({DateComparison.SWAPPED, DateComparison.ONE_DIGIT_OFF})


@dataclass(frozen=True)
class CorrectionSuggestion:
    record: CitizenRecord
    corrections: tuple[FieldCorrection, ...]
    score: float


def suggest(
    candidate: ScoredCandidate,
    stated_name: str,
    stated_birth: date | None,
    stated_gender: Gender | None,
) -> CorrectionSuggestion | None:
    """The correction that would make the stated data the candidate's, if every difference
    is a likely slip; ``None`` when the data agree or differ in a way no slip explains."""
    name_ok = candidate.name is NameComparison.SAME or candidate.name in NAME_ERRORS
    date_ok = candidate.birth_date is DateComparison.SAME or candidate.birth_date in DATE_ERRORS
    if not (name_ok and date_ok) or candidate.fields_agree:
        return None
    record = candidate.record
    corrections: list[FieldCorrection] = []
    if candidate.name in NAME_ERRORS:
        kind = "TONE" if candidate.name is NameComparison.TONE_CHANGED else "TYPO"
        corrections.append(FieldCorrection("full_name", stated_name, record.full_name, kind))
    if candidate.birth_date in DATE_ERRORS and stated_birth is not None:
        kind = (
            "SWAPPED_DAY_MONTH" if candidate.birth_date is DateComparison.SWAPPED else "ONE_DIGIT"
        )
        corrections.append(
            FieldCorrection(
                "birth_date", stated_birth.isoformat(), record.birth_date.isoformat(), kind
            )
        )
    if candidate.gender_differs:
        if corrections:  # a changed gender on top of another slip is another person
            return None
        corrections.append(
            FieldCorrection(
                "gender", stated_gender.name if stated_gender else "", record.gender.name, "GENDER"
            )
        )
    return CorrectionSuggestion(record, tuple(corrections), candidate.score)
