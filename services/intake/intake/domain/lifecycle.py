"""The dossier status lifecycle of the one-stop rules, as pure rules.

Why this exists: which officer action is allowed in which status is the law's (Decree
61/2018/NĐ-CP, Circular 01/2018/TT-VPCP forms), not a detail of the API; keeping it a table
makes every allowed and forbidden transition testable without a database.

received → acknowledged → in processing → supplement requested ↔ resubmitted → approved /
rejected → result returned; withdrawn from any open status; an apology (thư xin lỗi) keeps
the status and gives a new appointment date; a correction keeps the status and records the
true time of an earlier change. Nothing is overwritten: every action is a new event.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from intake.domain.model import DossierStatus as S


class Action(enum.Enum):
    ACKNOWLEDGE = "acknowledge"
    START_PROCESSING = "start_processing"
    REQUEST_SUPPLEMENT = "request_supplement"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    REJECT = "reject"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    APOLOGIZE = "apologize"
    CORRECT = "correct"


OPEN: frozenset[S] = frozenset(
    {S.RECEIVED, S.ACKNOWLEDGED, S.IN_PROCESSING, S.SUPPLEMENT_REQUESTED, S.RESUBMITTED}
)
DECIDED: frozenset[S] = frozenset({S.APPROVED, S.REJECTED})
CLOSED: frozenset[S] = frozenset({S.RESULT_RETURNED, S.WITHDRAWN})
#: Statuses in which the statutory deadline no longer runs.
DONE: frozenset[S] = DECIDED | CLOSED

TRANSITIONS: Mapping[Action, Mapping[S, S]] = MappingProxyType(
    {
        Action.ACKNOWLEDGE: {S.RECEIVED: S.ACKNOWLEDGED},
        Action.START_PROCESSING: {
            S.RECEIVED: S.IN_PROCESSING,
            S.ACKNOWLEDGED: S.IN_PROCESSING,
            S.RESUBMITTED: S.IN_PROCESSING,
        },
        Action.REQUEST_SUPPLEMENT: {
            S.RECEIVED: S.SUPPLEMENT_REQUESTED,
            S.ACKNOWLEDGED: S.SUPPLEMENT_REQUESTED,
            S.IN_PROCESSING: S.SUPPLEMENT_REQUESTED,
            S.RESUBMITTED: S.SUPPLEMENT_REQUESTED,
        },
        Action.RESUBMIT: {S.SUPPLEMENT_REQUESTED: S.RESUBMITTED},
        Action.APPROVE: {S.IN_PROCESSING: S.APPROVED},
        Action.REJECT: {
            S.ACKNOWLEDGED: S.REJECTED,
            S.IN_PROCESSING: S.REJECTED,
            S.SUPPLEMENT_REQUESTED: S.REJECTED,
        },
        Action.RETURN_RESULT: {S.APPROVED: S.RESULT_RETURNED, S.REJECTED: S.RESULT_RETURNED},
        Action.WITHDRAW: {s: S.WITHDRAWN for s in OPEN},
        Action.APOLOGIZE: {s: s for s in OPEN},
        Action.CORRECT: {s: s for s in S},
    }
)

#: Actions that decide the dossier: the moment the statutory deadline is measured against.
COMPLETING: frozenset[Action] = frozenset({Action.APPROVE, Action.REJECT})


class InvalidTransition(ValueError):
    def __init__(self, action: Action, status: S) -> None:
        super().__init__(f"cannot {action.value} a dossier that is {status.value}")
        self.action = action
        self.status = status


def next_status(status: S, action: Action) -> S:
    """The status after ``action``; raises :class:`InvalidTransition` when the rules forbid it."""
    try:
        return TRANSITIONS[action][status]
    except KeyError:
        raise InvalidTransition(action, status) from None
