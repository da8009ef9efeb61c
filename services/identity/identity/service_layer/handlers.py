"""Identity handlers, registered in ``HANDLERS``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from identity.adapters import repository
from identity.domain.events import (
    VERIFICATION_TOPIC,
    DossierSubmitted,
    IdentityMismatch,
    IdentityVerified,
)
from identity.domain.verification import check_person
from lienthong.bus import UnitOfWork


@dataclass(frozen=True)
class Dependencies:
    pass


async def verify_dossier_persons(
    event: DossierSubmitted, uow: UnitOfWork, deps: Dependencies
) -> None:
    checked_at = datetime.now(UTC)
    for person in event.persons:
        verification_id = uuid.uuid4()
        finding = check_person(person)
        await repository.record(
            uow.conn,
            verification_id,
            event.dossier_id,
            person.subject_id,
            person.role.name,
            finding,
            checked_at,
        )
        outcome: IdentityVerified | IdentityMismatch
        if finding.category is None:
            outcome = IdentityVerified(
                str(verification_id),
                event.dossier_id,
                person.subject_id,
                person.role.name,
                checked_at,
                finding.field_matches,
            )
        else:
            outcome = IdentityMismatch(
                str(verification_id),
                event.dossier_id,
                person.subject_id,
                person.role.name,
                checked_at,
                finding.field_matches,
                finding.category,
                finding.detail,
            )
        await uow.emit(
            VERIFICATION_TOPIC,
            key=person.subject_id,
            event=outcome,
            time=checked_at,
            subject=person.subject_id,
        )


HANDLERS: dict[type, Any] = {DossierSubmitted: verify_dossier_persons}
