"""SQL for verification results."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import asyncpg

from identity.domain.verification import Finding


async def record(
    conn: asyncpg.Connection,
    verification_id: uuid.UUID,
    dossier_id: str | None,
    subject_id: str,
    role: str,
    finding: Finding,
    checked_at: datetime,
) -> None:
    await conn.execute(
        """INSERT INTO verifications (verification_id, dossier_id, subject_id, role, verified,
               category, field_matches, checked_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)""",
        verification_id,
        uuid.UUID(dossier_id) if dossier_id else None,
        subject_id,
        role,
        finding.verified,
        finding.category.name if finding.category else None,
        json.dumps({m.field: m.level.name for m in finding.field_matches}),
        checked_at,
    )
