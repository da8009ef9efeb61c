"""Identity handlers, registered in ``HANDLERS``.

A person is checked in one of two ways: ``precheck`` decides at once when no population
data is needed; otherwise a ``CitizenVerificationRequested`` goes to the population registry
(through the outbox) and the check waits in ``pending_checks`` until the answer arrives. A
registry that is down delays the answer; nothing is lost and nothing is reported NOT_FOUND
for want of an answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from identity.adapters import repository
from identity.domain.commands import (
    AddBulkRows,
    BulkJobNotFound,
    CaseAlreadyDecided,
    CaseNotFound,
    CorrectionAlreadyDecided,
    CorrectionNotFound,
    DecideCorrection,
    DecideReviewCase,
    StartBulkCheck,
)
from identity.domain.demographic import ScoredCandidate
from identity.domain.events import (
    BirthRegistered,
    CitizenVerificationAnswered,
    CitizenVerificationBatchAnswered,
    CitizenVerificationBatchRequested,
    CivilStatusChanged,
    CorrectionDecided,
    CorrectionSuggested,
    DeathRegistered,
    DossierSubmitted,
    DuplicateReviewDecided,
    DuplicateSuspected,
    IdentityMismatch,
    IdentityVerified,
    MismatchCategory,
    PersonRole,
    RankedCandidate,
    RegisteredPerson,
    ReviewDecision,
    SubmittedPerson,
    VerificationRequest,
)
from identity.domain.verification import Finding, assess, bulk_outcome, precheck
from lienthong.bus import UnitOfWork
from lienthong.inbox import PermanentError
from lienthong.mapping import to_record
from lienthong.subjects import SubjectIds
from lienthong.vn import names
from lienthong.vn.id_numbers import IdNumberError, parse_id_number

DOSSIER = "dossier"
CIVIL_REGISTRY = "civil_registry"
BULK = "bulk"
MAX_BULK_ROWS = 1000
MAX_BATCH = 100  # persons per verification request message (bulk chunks)


@dataclass(frozen=True)
class Dependencies:
    subjects: SubjectIds


def now() -> datetime:
    return datetime.now(UTC)


async def verify_dossier_persons(
    event: DossierSubmitted, uow: UnitOfWork, deps: Dependencies
) -> None:
    await _check_all(
        uow,
        [_Ask(p, event.dossier_id, DOSSIER, ask_for_unnumbered_child=False) for p in event.persons],
    )


async def verify_birth(event: BirthRegistered, uow: UnitOfWork, deps: Dependencies) -> None:
    """The child (searched for duplicates even without a number) and both parents."""
    people = [(event.child, PersonRole.CHILD)]
    people += [(p, PersonRole.FATHER) for p in (event.father,) if p is not None]
    people += [(p, PersonRole.MOTHER) for p in (event.mother,) if p is not None]
    mother = event.mother.id_number if event.mother else None
    await _check_all(
        uow,
        [
            _Ask(
                _person(registered, role),
                None,
                CIVIL_REGISTRY,
                mother_id_number=mother if role is PersonRole.CHILD else None,
            )
            for registered, role in people
        ],
    )


async def verify_deceased(event: DeathRegistered, uow: UnitOfWork, deps: Dependencies) -> None:
    await _check_all(
        uow, [_Ask(_person(event.deceased, PersonRole.DECEASED), None, CIVIL_REGISTRY)]
    )


async def verify_changed_person(
    event: CivilStatusChanged, uow: UnitOfWork, deps: Dependencies
) -> None:
    """After a name change, the person as the civil registry now writes them."""
    if event.field == "full_name":
        await _check_all(
            uow, [_Ask(_person(event.person, PersonRole.SUBJECT), None, CIVIL_REGISTRY)]
        )


async def apply_answer(
    answer: CitizenVerificationAnswered, uow: UnitOfWork, deps: Dependencies
) -> None:
    """A single answer (requests sent before batches; see ``apply_batch_answer``)."""
    request_id = _request_id(answer)
    pending = await repository.take_pending(uow.conn, request_id)
    if pending is not None:  # None: answered already (a repeated answer)
        await _apply(uow, answer, pending)


async def apply_batch_answer(
    batch: CitizenVerificationBatchAnswered, uow: UnitOfWork, deps: Dependencies
) -> None:
    """The answers to one batch: the waiting checks are taken in one statement, then each
    is concluded as a single answer would be. A repeated batch finds nothing waiting."""
    answers = batch.each()
    ids = [_request_id(a) for a in answers]
    waiting = await repository.take_pending_many(uow.conn, ids)
    for request_id, answer in zip(ids, answers, strict=True):
        pending = waiting.pop(request_id, None)
        if pending is not None:
            await _apply(uow, answer, pending)


def _request_id(answer: CitizenVerificationAnswered) -> uuid.UUID:
    try:
        return uuid.UUID(answer.request_id)
    except ValueError as exc:
        raise PermanentError("answer without a valid request_id") from exc


async def _apply(
    uow: UnitOfWork, answer: CitizenVerificationAnswered, pending: repository.PendingCheck
) -> None:
    person = pending.person
    cleared: frozenset[str] = frozenset()
    reference = answer.record.subject_id if answer.record else person.subject_id
    if answer.candidates:
        cleared = await repository.cleared_candidates(uow.conn, reference)
    finding = assess(person, answer, cleared, pending.mother_id_number, pending.requested_at.date())
    job = (
        (pending.job_id, pending.row_no) if pending.job_id and pending.row_no is not None else None
    )
    verification_id = await _conclude(
        uow, person, pending.dossier_id, pending.source, finding, pending.request_id, job
    )
    checked_at = now()
    for duplicate in finding.duplicates:
        await _open_case(
            uow,
            reference,
            duplicate.candidate.subject_id,
            verification_id,
            pending.dossier_id,
            duplicate.name_score,
            duplicate.reason,
            (),
            checked_at,
        )
    if finding.candidates and finding.correction is None:
        # One case for the records a person may be: the pair of the two best candidates
        # (namesakes that cannot be told apart are one case, whoever names them later), or
        # the person and the one candidate.
        ranked = finding.candidates
        first = ranked[0].record.subject_id
        second = ranked[1].record.subject_id if len(ranked) > 1 else person.subject_id
        reason = (
            "REGISTERED_CHILD_FOUND"
            if finding.category is MismatchCategory.SUSPECTED_DUPLICATE
            else "DEMOGRAPHIC_CANDIDATES"
        )
        name_score = names.compare_names(person.full_name, ranked[0].record.full_name).score
        await _open_case(
            uow,
            first,
            second,
            verification_id,
            pending.dossier_id,
            name_score,
            reason,
            ranked,
            checked_at,
        )
    if finding.correction is not None:
        await _suggest_correction(
            uow, person.subject_id, verification_id, pending.dossier_id, finding, checked_at
        )


async def _open_case(
    uow: UnitOfWork,
    subject_id: str,
    candidate_subject_id: str,
    verification_id: uuid.UUID,
    dossier_id: str | None,
    name_score: float,
    reason: str,
    ranked: tuple[ScoredCandidate, ...],
    at: datetime,
) -> None:
    """Open the pair's review case and announce it; a pair with a case gets a reference."""
    case_id = uuid.uuid4()
    candidates = tuple(
        RankedCandidate(c.record.subject_id, c.score, c.field_scores) for c in ranked
    )
    opened = await repository.open_case(
        uow.conn,
        case_id,
        subject_id,
        candidate_subject_id,
        verification_id,
        name_score,
        reason,
        at,
        dossier_id,
        [to_record(c) for c in candidates],
    )
    if opened:
        await uow.emit(
            DuplicateSuspected(
                case_id=str(case_id),
                subject_id=subject_id,
                candidate_subject_id=candidate_subject_id,
                verification_id=str(verification_id),
                name_score=name_score,
                reason=reason,
                suspected_at=at,
                candidates=candidates,
            ),
            time=at,
        )


async def _suggest_correction(
    uow: UnitOfWork,
    subject_id: str,
    verification_id: uuid.UUID,
    dossier_id: str | None,
    finding: Finding,
    at: datetime,
) -> None:
    suggestion = finding.correction
    assert suggestion is not None
    case_id = uuid.uuid4()
    record_subject = suggestion.record.subject_id
    fixes = tuple(replace(c, subject_id=subject_id) for c in suggestion.corrections)
    opened = await repository.open_correction(
        uow.conn,
        case_id,
        subject_id,
        record_subject,
        verification_id,
        dossier_id,
        [to_record(c) for c in fixes],
        suggestion.score,
        at,
    )
    if opened:
        await uow.emit(
            CorrectionSuggested(
                case_id=str(case_id),
                subject_id=subject_id,
                record_subject_id=record_subject,
                verification_id=str(verification_id),
                dossier_id=dossier_id,
                corrections=fixes,
                score=suggestion.score,
                suggested_at=at,
            ),
            time=at,
        )


async def decide_review_case(
    command: DecideReviewCase, uow: UnitOfWork, deps: Dependencies
) -> DuplicateReviewDecided:
    case = await repository.lock_case(uow.conn, command.case_id)
    if case is None:
        raise CaseNotFound("no review case with this id")
    if case["status"] != "OPEN":
        raise CaseAlreadyDecided(f"decided {case['status']} at {case['decided_at'].isoformat()}")
    decided_at = now()
    await repository.decide_case(
        uow.conn, command.case_id, command.decision.name, command.officer, command.unit, decided_at
    )
    decided = DuplicateReviewDecided(
        case_id=str(command.case_id),
        subject_id=case["subject_id"],
        candidate_subject_id=case["candidate_subject_id"],
        decision=command.decision,
        decided_by=command.officer,
        decided_by_unit=command.unit,
        decided_at=decided_at,
    )
    await uow.emit(decided, time=decided_at)
    return decided


async def decide_correction(
    command: DecideCorrection, uow: UnitOfWork, deps: Dependencies
) -> CorrectionDecided:
    """An officer accepts or rejects a suggested correction; the decision is an event."""
    case = await repository.lock_correction(uow.conn, command.case_id)
    if case is None:
        raise CorrectionNotFound("no correction case with this id")
    if case["status"] != "OPEN":
        raise CorrectionAlreadyDecided(
            f"decided {case['status']} at {case['decided_at'].isoformat()}"
        )
    decided_at = now()
    await repository.decide_correction(
        uow.conn, command.case_id, command.decision.name, command.officer, command.unit, decided_at
    )
    decided = CorrectionDecided(
        case_id=str(command.case_id),
        subject_id=case["subject_id"],
        record_subject_id=case["record_subject_id"],
        decision=command.decision,
        decided_by=command.officer,
        decided_by_unit=command.unit,
        decided_at=decided_at,
    )
    await uow.emit(decided, time=decided_at)
    return decided


async def start_bulk_check(command: StartBulkCheck, uow: UnitOfWork, deps: Dependencies) -> None:
    await repository.create_job(uow.conn, command.job_id, command.dataset, command.officer, now())


async def add_bulk_rows(command: AddBulkRows, uow: UnitOfWork, deps: Dependencies) -> int:
    """Check each row not received yet; returns how many were new."""
    if not await repository.job_exists(uow.conn, command.job_id):
        raise BulkJobNotFound("no bulk check with this id")
    received_at = now()
    added = 0
    asks: list[_Ask] = []
    for offset, row in enumerate(command.rows):
        row_no = command.first_row + offset
        if not await repository.add_row(uow.conn, command.job_id, row_no, received_at):
            continue
        added += 1
        number = "".join(row.id_number.split()) if row.id_number else None
        if number and not isinstance(parse_id_number(number), IdNumberError):
            subject_id = deps.subjects.for_id_number(number)
        else:
            subject_id = deps.subjects.provisional("bulk", f"{command.job_id}:{row_no}")
        person = SubmittedPerson(
            PersonRole.SUBJECT, subject_id, number, row.full_name, row.birth_date, row.gender
        )
        asks.append(_Ask(person, None, BULK, job=(command.job_id, row_no)))
    for start in range(0, len(asks), MAX_BATCH):
        await _check_all(uow, asks[start : start + MAX_BATCH])
    return added


@dataclass(frozen=True)
class _Ask:
    """One person to check, with where the check came from."""

    person: SubmittedPerson
    dossier_id: str | None
    source: str
    ask_for_unnumbered_child: bool = True
    mother_id_number: str | None = None
    job: tuple[uuid.UUID, int] | None = None


async def _check_all(uow: UnitOfWork, asks: list[_Ask]) -> None:
    """Conclude at once what needs no population data; ask the registry about the rest in
    one ``CitizenVerificationBatchRequested`` (one message, one outbox row, one pending
    insert round trip for the whole dossier instead of one of each per person)."""
    waiting: list[repository.NewPending] = []
    requested_at = now()
    for ask in asks:
        finding = precheck(ask.person, ask_for_unnumbered_child=ask.ask_for_unnumbered_child)
        if finding is not None:
            await _conclude(
                uow, ask.person, ask.dossier_id, ask.source, finding, uuid.uuid4(), ask.job
            )
            continue
        waiting.append(
            repository.NewPending(
                uuid.uuid4(),
                ask.dossier_id,
                ask.source,
                ask.person,
                requested_at,
                ask.mother_id_number,
                ask.job,
            )
        )
    if not waiting:
        return
    await repository.add_pending_many(uow.conn, waiting)
    first = waiting[0].person.subject_id
    await uow.emit(
        CitizenVerificationBatchRequested(
            batch_id=str(uuid.uuid4()),
            subject_id=first,
            requests=tuple(
                VerificationRequest(
                    request_id=str(w.request_id),
                    subject_id=w.person.subject_id,
                    id_number=w.person.id_number,
                    full_name=w.person.full_name,
                    birth_date=w.person.birth_date,
                    mother_id_number=w.mother_id_number,
                )
                for w in waiting
            ),
            requested_at=requested_at,
        ),
        time=requested_at,
        subject=first if len(waiting) == 1 else None,
    )


async def _conclude(
    uow: UnitOfWork,
    person: SubmittedPerson,
    dossier_id: str | None,
    source: str,
    finding: Finding,
    verification_id: uuid.UUID,
    job: tuple[uuid.UUID, int] | None = None,
) -> uuid.UUID:
    """Record the finding and emit IdentityVerified or IdentityMismatch."""
    checked_at = now()
    if job is not None:
        await repository.conclude_row(
            uow.conn,
            job[0],
            job[1],
            bulk_outcome(finding),
            finding.category.name if finding.category else None,
            checked_at,
        )
    await repository.record(
        uow.conn,
        verification_id,
        dossier_id,
        person.subject_id,
        person.role.name,
        finding,
        checked_at,
        source,
    )
    outcome: IdentityVerified | IdentityMismatch
    if finding.category is None:
        outcome = IdentityVerified(
            str(verification_id),
            dossier_id,
            person.subject_id,
            person.role.name,
            checked_at,
            finding.field_matches,
            repository.matched_subject_id(finding),
        )
    else:
        outcome = IdentityMismatch(
            str(verification_id),
            dossier_id,
            person.subject_id,
            person.role.name,
            checked_at,
            finding.field_matches,
            finding.category,
            finding.detail,
            repository.matched_subject_id(finding),
        )
    await uow.emit(outcome, time=checked_at, subject=person.subject_id)
    return verification_id


def _person(registered: RegisteredPerson, role: PersonRole) -> SubmittedPerson:
    return SubmittedPerson(
        role=role,
        subject_id=registered.subject_id,
        id_number=registered.id_number,
        full_name=registered.full_name,
        birth_date=registered.birth_date,
        gender=registered.gender,
    )


HANDLERS: dict[type, Any] = {
    DossierSubmitted: verify_dossier_persons,
    BirthRegistered: verify_birth,
    DeathRegistered: verify_deceased,
    CivilStatusChanged: verify_changed_person,
    CitizenVerificationAnswered: apply_answer,
    CitizenVerificationBatchAnswered: apply_batch_answer,
    DecideReviewCase: decide_review_case,
    DecideCorrection: decide_correction,
    StartBulkCheck: start_bulk_check,
    AddBulkRows: add_bulk_rows,
}

__all__ = ["HANDLERS", "MAX_BULK_ROWS", "Dependencies", "ReviewDecision"]
