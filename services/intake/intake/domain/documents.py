"""Required documents of a dossier, given as references into the digitization store.

Why this exists: a dossier does not carry its documents; it names them. A reference is
either ``doc:<uuid>`` (a document digitized for this or an earlier dossier) or
``sha256:<64 hex>`` (a content address, used to reuse an earlier digitized result). Intake
checks the form only — the digitization service owns whether the document exists — and
that every document the procedure requires is named.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from intake.domain.model import DocumentRef
from intake.domain.procedures import Procedure, RequiredDocument, missing_documents

_SHA256 = re.compile(r"^sha256:[0-9a-f]{64}$")


def is_valid_reference(ref: str) -> bool:
    """``doc:<uuid>`` or ``sha256:<64 lowercase hex digits>``."""
    if ref.startswith("doc:"):
        try:
            return str(uuid.UUID(ref[4:])) == ref[4:].lower()
        except ValueError:
            return False
    return bool(_SHA256.match(ref))


@dataclass(frozen=True)
class DocumentProblem:
    index: int | None
    detail: str


def check_documents(
    procedure: Procedure, documents: Iterable[DocumentRef]
) -> list[DocumentProblem]:
    """Every problem with the documents of a dossier: bad references, unknown codes, missing ones.

    ``index`` is the position in the submitted list, or None for a missing document.
    """
    problems: list[DocumentProblem] = []
    given = list(documents)
    known = {d.code for d in procedure.required_documents}
    for i, doc in enumerate(given):
        if doc.code not in known:
            problems.append(
                DocumentProblem(i, f"procedure {procedure.code} has no document {doc.code!r}")
            )
        if not is_valid_reference(doc.ref):
            problems.append(
                DocumentProblem(i, "reference must be doc:<uuid> or sha256:<64 hex digits>")
            )
    missing: list[RequiredDocument] = missing_documents(procedure, (d.code for d in given))
    problems.extend(
        DocumentProblem(None, f"required document {d.code} ({d.name_vi}) is missing")
        for d in missing
    )
    return problems
