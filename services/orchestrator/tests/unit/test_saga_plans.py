"""What a bundle requests next, given what it has heard."""

from __future__ import annotations

from orchestrator.domain.birth_bundle import Decision, IdentityResult, after_identity
from orchestrator.domain.saga import (
    Step,
    compensation,
    is_complete,
    next_steps,
    retry_delay_s,
)


def test_birth_bundle_first_asks_the_civil_registry_to_register_the_birth() -> None:
    assert next_steps("BIRTH", set(), set()) == [Step.BIRTH_REGISTRATION]


def test_id_number_waits_for_both_the_registration_and_every_identity_check() -> None:
    assert next_steps("BIRTH", {Step.BIRTH_REGISTRATION}, {Step.BIRTH_REGISTRATION}) == []
    done = {Step.BIRTH_REGISTRATION, Step.IDENTITY_CHECKED}
    assert next_steps("BIRTH", done, done) == [Step.ID_NUMBER_ISSUED]


def test_a_requested_step_is_never_requested_again() -> None:
    done = {Step.BIRTH_REGISTRATION, Step.IDENTITY_CHECKED}
    assert next_steps("BIRTH", done, done | {Step.ID_NUMBER_ISSUED}) == []


def test_death_bundle_runs_residence_then_insurance_then_welfare() -> None:
    done = {Step.DEATH_REGISTRATION}
    assert next_steps("DEATH", done, done) == [Step.RESIDENCE_REMOVED]
    done |= {Step.RESIDENCE_REMOVED}
    assert next_steps("DEATH", done, done) == [Step.INSURANCE_ENDED]
    done |= {Step.INSURANCE_ENDED}
    assert next_steps("DEATH", done, done) == [Step.DEATH_BENEFITS_DECIDED]
    assert is_complete("DEATH", done | {Step.DEATH_BENEFITS_DECIDED})


def test_civil_status_change_updates_residence_and_insurance_in_parallel() -> None:
    done = {Step.CIVIL_STATUS_REGISTRATION, Step.POPULATION_NOTIFIED}
    assert set(next_steps("CIVIL_STATUS_CHANGE", done, done)) == {
        Step.RESIDENCE_PARTICULARS,
        Step.INSURANCE_PARTICULARS,
    }


def test_a_rejected_residence_keeps_the_registrations_and_skips_the_card() -> None:
    done = {Step.BIRTH_REGISTRATION, Step.IDENTITY_CHECKED, Step.ID_NUMBER_ISSUED}
    outcome = compensation("BIRTH", done, done | {Step.PERMANENT_RESIDENCE})
    assert outcome.kept == ("birth_registration", "identity_checked", "id_number_issued")
    assert outcome.skipped == ("health_insurance_card",)
    assert outcome.undone == ()


def test_identity_mismatch_holds_the_bundle_for_review() -> None:
    expected = frozenset({"a", "b"})
    assert after_identity(expected, [IdentityResult("a", "child", True)]) is Decision.WAIT
    assert (
        after_identity(expected, [IdentityResult("b", "mother", False)]) is Decision.HOLD_FOR_REVIEW
    )


def test_retries_back_off_exponentially_up_to_a_cap() -> None:
    assert [retry_delay_s(60, n) for n in (1, 2, 3)] == [60, 120, 240]
    assert retry_delay_s(60, 30) == 3600
