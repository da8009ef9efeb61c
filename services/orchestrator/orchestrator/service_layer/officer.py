"""What an officer may do to a bundle: retry a step, cancel the bundle. Both are recorded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lienthong.bus import UnitOfWork
from orchestrator.adapters import repository
from orchestrator.domain.saga import BundleState, Step
from orchestrator.service_layer import handlers
from orchestrator.service_layer.handlers import Dependencies


class OfficerRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RetryStep:
    bundle_id: uuid.UUID
    step: Step
    reason: str
    officer: str


@dataclass(frozen=True)
class CancelBundle:
    bundle_id: uuid.UUID
    reason: str
    officer: str


async def retry_step(cmd: RetryStep, uow: UnitOfWork, deps: Dependencies) -> dict[str, str]:
    bundle = await repository.bundle(uow.conn, cmd.bundle_id)
    if bundle is None:
        raise OfficerRefused("NO_SUCH_BUNDLE")
    await repository.lock_dossier(uow.conn, str(bundle.dossier_id))
    row = next(
        (r for r in await repository.steps(uow.conn, cmd.bundle_id) if r.step is cmd.step), None
    )
    if row is None or row.status == "completed":
        raise OfficerRefused("STEP_NOT_PENDING")
    if bundle.state in (BundleState.CANCELLED, BundleState.COMPLETED):
        raise OfficerRefused("BUNDLE_FINISHED")
    now = datetime.now(UTC)
    await repository.add_history(
        uow.conn, cmd.bundle_id, now, "officer_retry", cmd.step.value, cmd.reason, cmd.officer
    )
    if row.status == "rejected":
        # The agency remembers the rejected command; a retry is a new command.
        await uow.conn.execute(
            "DELETE FROM bundle_steps WHERE bundle_id = $1 AND step = $2",
            cmd.bundle_id,
            cmd.step.value,
        )
        await repository.set_state(uow.conn, cmd.bundle_id, BundleState.IN_PROGRESS)
        fresh = await repository.bundle(uow.conn, cmd.bundle_id)
        assert fresh is not None
        await handlers.request(fresh, cmd.step, uuid.uuid4(), now, uow, deps)
    else:
        await repository.note_attempt(uow.conn, cmd.bundle_id, cmd.step, now)
    return {"bundle_id": str(cmd.bundle_id), "step": cmd.step.value, "status": "requested"}


async def cancel_bundle(cmd: CancelBundle, uow: UnitOfWork, deps: Dependencies) -> dict[str, str]:
    bundle = await repository.bundle(uow.conn, cmd.bundle_id)
    if bundle is None:
        raise OfficerRefused("NO_SUCH_BUNDLE")
    await repository.lock_dossier(uow.conn, str(bundle.dossier_id))
    if bundle.state in (BundleState.CANCELLED, BundleState.COMPLETED):
        raise OfficerRefused("BUNDLE_FINISHED")
    await handlers.compensate(bundle, "cancelled", cmd.reason, uow, actor=cmd.officer)
    return {"bundle_id": str(cmd.bundle_id), "state": BundleState.CANCELLED.value}


OFFICER_HANDLERS: dict[type, Any] = {RetryStep: retry_step, CancelBundle: cancel_bundle}
