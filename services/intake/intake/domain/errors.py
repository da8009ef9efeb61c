"""Business-rule refusals, as values the API turns into problem documents."""

from __future__ import annotations

from lienthong.vn.units import Unit


class IntakeError(Exception):
    type = "intake-error"
    status = 400
    title = "The dossier was refused"

    def __init__(self, detail: str, pointer: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.pointer = pointer


class UnknownProcedure(IntakeError):
    type = "unknown-procedure"
    status = 422
    title = "No such procedure in the catalog"


class UnknownUnit(IntakeError):
    type = "unknown-administrative-unit"
    status = 422
    title = "No such administrative unit"

    def __init__(
        self, detail: str, pointer: str | None = None, successors: tuple[Unit, ...] = ()
    ) -> None:
        super().__init__(detail, pointer)
        self.successors = successors


class UnitNotInForce(UnknownUnit):
    """A real code of another layout or date: the problem names the unit(s) it became."""

    type = "administrative-unit-not-in-force"
    title = "The administrative unit was not in force at the dossier's time"


class UnitNotServed(IntakeError):
    type = "administrative-unit-not-served"
    status = 422
    title = "This deployment does not serve the unit's province"


class IdempotencyConflict(IntakeError):
    type = "idempotency-key-reused"
    status = 409
    title = "This Idempotency-Key was used for a different request"


class DossierNotFound(IntakeError):
    type = "dossier-not-found"
    status = 404
    title = "No such dossier"


class ProcedureNotAcceptedAtUnit(IntakeError):
    type = "procedure-not-accepted-at-unit"
    status = 422
    title = "This unit's counter does not receive this procedure"


class InvalidDocuments(IntakeError):
    type = "invalid-documents"
    status = 422
    title = "The dossier's documents are incomplete or malformed"

    def __init__(self, detail: str, field_errors: list[tuple[str, str]]) -> None:
        super().__init__(detail)
        self.field_errors = field_errors


class InvalidStatusTransition(IntakeError):
    type = "invalid-status-transition"
    status = 409
    title = "The dossier's status does not allow this action"


class InvalidAction(IntakeError):
    type = "invalid-dossier-action"
    status = 422
    title = "The action is malformed"


class NotYourUnit(IntakeError):
    type = "forbidden-unit"
    status = 403
    title = "The dossier belongs to a unit outside the officer's"


class ResidenceNotFound(IntakeError):
    type = "residence-not-found"
    status = 422
    title = "No residence found to decide which province receives this dossier"
