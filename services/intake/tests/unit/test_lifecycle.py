"""The one-stop status lifecycle: every allowed and every forbidden transition."""

from __future__ import annotations

import pytest

from intake.domain.lifecycle import (
    OPEN,
    TRANSITIONS,
    Action,
    InvalidTransition,
    next_status,
)
from intake.domain.model import DossierStatus as S

ALLOWED = {
    (Action.ACKNOWLEDGE, S.RECEIVED): S.ACKNOWLEDGED,
    (Action.START_PROCESSING, S.RECEIVED): S.IN_PROCESSING,
    (Action.START_PROCESSING, S.ACKNOWLEDGED): S.IN_PROCESSING,
    (Action.START_PROCESSING, S.RESUBMITTED): S.IN_PROCESSING,
    (Action.REQUEST_SUPPLEMENT, S.RECEIVED): S.SUPPLEMENT_REQUESTED,
    (Action.REQUEST_SUPPLEMENT, S.ACKNOWLEDGED): S.SUPPLEMENT_REQUESTED,
    (Action.REQUEST_SUPPLEMENT, S.IN_PROCESSING): S.SUPPLEMENT_REQUESTED,
    (Action.REQUEST_SUPPLEMENT, S.RESUBMITTED): S.SUPPLEMENT_REQUESTED,
    (Action.RESUBMIT, S.SUPPLEMENT_REQUESTED): S.RESUBMITTED,
    (Action.APPROVE, S.IN_PROCESSING): S.APPROVED,
    (Action.REJECT, S.ACKNOWLEDGED): S.REJECTED,
    (Action.REJECT, S.IN_PROCESSING): S.REJECTED,
    (Action.REJECT, S.SUPPLEMENT_REQUESTED): S.REJECTED,
    (Action.RETURN_RESULT, S.APPROVED): S.RESULT_RETURNED,
    (Action.RETURN_RESULT, S.REJECTED): S.RESULT_RETURNED,
    **{(Action.WITHDRAW, s): S.WITHDRAWN for s in OPEN},
    **{(Action.APOLOGIZE, s): s for s in OPEN},
    **{(Action.CORRECT, s): s for s in S},
}


@pytest.mark.parametrize(("action", "status"), sorted(ALLOWED, key=str))
def test_allowed_transition_reaches_the_expected_status(action: Action, status: S) -> None:
    assert next_status(status, action) is ALLOWED[(action, status)]


FORBIDDEN = [(a, s) for a in Action for s in S if (a, s) not in ALLOWED]


@pytest.mark.parametrize(("action", "status"), FORBIDDEN)
def test_every_other_transition_is_refused(action: Action, status: S) -> None:
    with pytest.raises(InvalidTransition):
        next_status(status, action)


def test_a_withdrawn_dossier_cannot_be_approved() -> None:
    with pytest.raises(InvalidTransition, match="cannot approve a dossier that is withdrawn"):
        next_status(S.WITHDRAWN, Action.APPROVE)


def test_the_table_covers_exactly_the_allowed_transitions() -> None:
    table = {(a, s): t for a, by_status in TRANSITIONS.items() for s, t in by_status.items()}
    assert table == ALLOWED
