"""Scores identity's answers on the labelled set (``identity_set``) against the labels.

Why this exists: the same scoring serves two runs. The core run puts the set through
identity's domain functions with the registry's blocking reproduced in memory
(``MemoryRegister``, the queries of ``population_registry.adapters.repository``); it is
fast enough to calibrate the thresholds of ``identity.domain.demographic``. The end-to-end
run (``identity_e2e``) puts the same set through the identity and population-registry
processes over Kafka and scores their events with ``Outcome`` rows built from them.

Figures (each a ratio unless said):
- ``precision``/``recall`` of mismatch flags: a flag is a check that does not verify the
  person; the label is ``LabelledCheck.flag``. A person verified as the wrong record counts
  as a missed flag.
- ``duplicate_precision``/``duplicate_recall``: a duplicate flag names the other record of
  the same person (a suspected pair, or a registered child found in the register).
- ``demographic_match_rate``: people stated without a usable number whose one record has
  the same data, verified as that record.
- ``review_cases_per_1k``: review cases opened (one per unordered pair, one per person
  with ranked candidates) per 1,000 checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from lienthong.vn.legacy_encodings import legacy_readings
from lienthong.vn.names import name_key
from lienthong_tools.bench.identity_set import CHECK_DAY, Citizen, EvaluationSet, LabelledCheck


@dataclass(frozen=True)
class Outcome:
    """What identity answered for one check."""

    verified: bool
    category: str | None
    matched_number: str | None = None  # the record verified demographically
    duplicate_numbers: frozenset[str] = frozenset()  # records suspected to be the same person
    review_pairs: frozenset[frozenset[str]] = frozenset()  # review cases this check opened
    candidate_case: bool = False


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    d_tp: int = 0
    d_fp: int = 0
    d_fn: int = 0
    numberless: int = 0
    numberless_matched: int = 0
    review_cases: int = 0
    checks: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    def _error(self, what: str, check: LabelledCheck) -> None:
        key = f"{what}:{check.kind}"
        self.errors[key] = self.errors.get(key, 0) + 1

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def precision(self) -> float:
        return self.ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.ratio(self.tp, self.tp + self.fn)

    @property
    def duplicate_precision(self) -> float:
        return self.ratio(self.d_tp, self.d_tp + self.d_fp)

    @property
    def duplicate_recall(self) -> float:
        return self.ratio(self.d_tp, self.d_tp + self.d_fn)

    @property
    def demographic_match_rate(self) -> float:
        return self.ratio(self.numberless_matched, self.numberless)

    @property
    def review_cases_per_1k(self) -> float:
        return 1000 * self.review_cases / self.checks if self.checks else 0.0


def score(evaluation: EvaluationSet, outcomes: dict[str, Outcome]) -> Scores:
    """Compare each check's outcome with its labels."""
    scores = Scores()
    pairs: set[frozenset[str]] = set()
    for check in evaluation.checks:
        outcome = outcomes.get(check.check_id)
        if outcome is None:
            scores._error("missing", check)
            continue
        scores.checks += 1
        pairs |= outcome.review_pairs
        scores.review_cases += outcome.candidate_case
        wrong_record = outcome.matched_number is not None and outcome.matched_number != check.truth
        flagged = not outcome.verified
        if check.flag and (flagged or False):
            scores.tp += 1
        elif check.flag or wrong_record:
            scores.fn += 1
            scores._error("missed", check)
        elif flagged:
            scores.fp += 1
            scores._error("false_flag", check)
        else:
            scores.tn += 1
        if check.numberless_match:
            scores.numberless += 1
            if outcome.verified and outcome.matched_number == check.truth:
                scores.numberless_matched += 1
            else:
                scores._error("unmatched", check)
        suspected = bool(outcome.duplicate_numbers)
        if check.duplicate is not None:
            if check.duplicate in outcome.duplicate_numbers:
                scores.d_tp += 1
            else:
                scores.d_fn += 1
                scores._error("duplicate_missed", check)
        elif suspected:
            scores.d_fp += 1
            scores._error("duplicate_false", check)
    scores.review_cases += len(pairs)
    return scores


class MemoryRegister:
    """The register's look-ups and blocking, in memory (``repository.citizen_by_id_number``,
    ``citizen_by_cmnd``, ``duplicate_candidates``, ``demographic_candidates``)."""

    def __init__(self, citizens: Iterable[Citizen]) -> None:
        self.by_number: dict[str, Citizen] = {}
        self.by_cmnd: dict[str, Citizen] = {}
        self._block: dict[tuple[str, date], list[Citizen]] = {}
        self._block_year: dict[tuple[str, int], list[Citizen]] = {}
        self._family: dict[tuple[str, date], list[Citizen]] = {}
        self._given: dict[tuple[str, date], list[Citizen]] = {}
        self._mother: dict[tuple[str, date], list[Citizen]] = {}
        for citizen in citizens:
            self.by_number[citizen.id_number] = citizen
            if citizen.cmnd:
                self.by_cmnd[citizen.cmnd] = citizen
            block, family, given = _keys(citizen.full_name)
            self._block.setdefault((block, citizen.birth_date), []).append(citizen)
            self._block_year.setdefault((block, citizen.birth_date.year), []).append(citizen)
            self._family.setdefault((family, citizen.birth_date), []).append(citizen)
            self._given.setdefault((given, citizen.birth_date), []).append(citizen)
            if citizen.mother_id_number:
                key = (citizen.mother_id_number, citizen.birth_date)
                self._mother.setdefault(key, []).append(citizen)

    def duplicate_candidates(self, record: Citizen) -> list[Citizen]:
        block, family, given = _keys(record.full_name)
        found: dict[str, Citizen] = {}
        for day in _dates(record.birth_date):
            for c in self._block.get((block, day), ()):
                found[c.id_number] = c
        for index, key in ((self._family, family), (self._given, given)):
            for c in index.get((key, record.birth_date), ()):
                if c.gender == record.gender:
                    found[c.id_number] = c
        if record.mother_id_number:
            for c in self._mother.get((record.mother_id_number, record.birth_date), ()):
                found[c.id_number] = c
        found.pop(record.id_number, None)
        return list(found.values())[:50]

    def demographic_candidates(
        self, full_name: str, birth_date: date, mother: str | None
    ) -> list[Citizen]:
        spellings = (full_name, *legacy_readings(full_name))
        keys = [_keys(s) for s in spellings]
        found: dict[str, Citizen] = {}
        for day in _dates(birth_date):
            for block, family, given in keys:
                for index, key in ((self._block, block), (self._family, family),
                                   (self._given, given)):  # fmt: skip
                    for c in index.get((key, day), ()):
                        found[c.id_number] = c
            if mother:
                for c in self._mother.get((mother, day), ()) if day == birth_date else ():
                    found[c.id_number] = c
        for block, _, _ in keys:
            for c in self._block_year.get((block, birth_date.year), ()):
                found[c.id_number] = c
        return list(found.values())[:50]


def _keys(full_name: str) -> tuple[str, str, str]:
    words = name_key(full_name).split()
    return " ".join(sorted(words)), words[0] if words else "", words[-1] if words else ""


def _dates(day: date) -> list[date]:
    if day.day > 12 or day.day == day.month:
        return [day]
    return [day, date(day.year, day.day, day.month)]


@dataclass(frozen=True)
class Prepared:
    """One check as identity's core function sees it: the person and the registry's answer
    (None when ``precheck`` decides without asking)."""

    check: LabelledCheck
    person: Any
    answer: Any
    reference: str | None


def prepare(evaluation: EvaluationSet) -> list[Prepared]:
    """Each check with the answer the registry would give (its look-ups and blocking in
    memory)."""
    from identity.domain.events import (
        CitizenRecord,
        CitizenStatus,
        CitizenVerificationAnswered,
        Gender,
        MatchedBy,
        PersonRole,
        SubmittedPerson,
    )
    from identity.domain.verification import precheck

    register = MemoryRegister(evaluation.citizens)

    def record(c: Citizen) -> CitizenRecord:
        status = CitizenStatus.DECEASED if c.deceased else CitizenStatus.ALIVE
        return CitizenRecord("sub_" + c.id_number, c.id_number, c.full_name, c.birth_date,
                             Gender[c.gender], status, c.mother_id_number,
                             c.birth_place_code)  # fmt: skip

    prepared: list[Prepared] = []
    now = datetime.now(UTC)
    for check in evaluation.checks:
        p = check.person
        subject = "sub_stated_" + check.check_id
        person = SubmittedPerson(PersonRole[p.role], subject, p.id_number, p.full_name,
                                 p.birth_date, Gender[p.gender])  # fmt: skip
        if precheck(person, ask_for_unnumbered_child=check.source == "civil_registry"):
            prepared.append(Prepared(check, person, None, None))
            continue
        number = p.id_number or ""
        found = register.by_number.get(number) or register.by_cmnd.get(number)
        if found is not None:
            candidates = register.duplicate_candidates(found)
            matched_by = MatchedBy.ID_NUMBER if len(number) == 12 else MatchedBy.CMND_ALIAS
        else:
            candidates = register.demographic_candidates(p.full_name, p.birth_date,
                                                         p.mother_id_number)  # fmt: skip
            matched_by = MatchedBy.NONE
        answer = CitizenVerificationAnswered(
            check.check_id, subject, matched_by, record(found) if found else None,
            tuple(record(c) for c in candidates), now,
        )  # fmt: skip
        prepared.append(Prepared(check, person, answer, found.id_number if found else None))
    return prepared


def conclude(item: Prepared) -> Any:
    """identity's core function on one prepared check: ``precheck``, else ``assess``."""
    from identity.domain.verification import assess, precheck

    asking_child = item.check.source == "civil_registry"
    finding = precheck(item.person, ask_for_unnumbered_child=asking_child)
    if finding is None:
        mother = item.check.person.mother_id_number
        finding = assess(item.person, item.answer, frozenset(), mother, CHECK_DAY)
    return finding


def core_outcomes(evaluation: EvaluationSet) -> dict[str, Outcome]:
    """Each check through identity's domain functions with the register in memory: the
    core function alone, no I/O."""
    from identity.domain.events import MismatchCategory

    outcomes: dict[str, Outcome] = {}
    for item in prepare(evaluation):
        finding = conclude(item)
        reference = item.reference or item.person.subject_id
        duplicates = frozenset(d.candidate.id_number for d in finding.duplicates)
        if finding.category is MismatchCategory.SUSPECTED_DUPLICATE and finding.candidates:
            duplicates |= {c.record.id_number for c in finding.candidates}
        pairs = frozenset(frozenset((reference, d.candidate.id_number)) for d in finding.duplicates)
        outcomes[item.check.check_id] = Outcome(
            finding.verified,
            finding.category.name if finding.category else None,
            finding.matched.id_number if finding.matched else None,
            duplicates,
            pairs,
            bool(finding.candidates) and finding.correction is None,
        )
    return outcomes
