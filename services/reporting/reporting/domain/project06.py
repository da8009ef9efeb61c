"""The Project 06 sections that follow dossiers to a date, and the names an officer reads.

Why this exists: the province's report counts, per essential service and per unit, what was
decided in the period (approved, acknowledged, rejected; on time, overdue, recorded late)
and what was still pending at its end (within due, overdue) — by event time, so a decision
recorded a week late counts on the day it was made. This module turns grouped rows into
those sections, rolls communes up to districts and the province, and names everything in
Vietnamese (pure: no I/O).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from reporting.domain.catalogue import Catalogue
from reporting.domain.report import UnitTree

BIRTH_TYPES = ("ON_TIME", "LATE", "RE_REGISTRATION")
BIRTH_TYPE_NAMES_VI = {
    "ON_TIME": "Đăng ký khai sinh đúng hạn",
    "LATE": "Đăng ký khai sinh quá hạn",
    "RE_REGISTRATION": "Đăng ký lại khai sinh",
    "OTHER": "Khác",
}


@dataclass
class DossierFigures:
    submitted: int = 0
    #: Every decision, whatever its outcome (approved, acknowledged, rejected or other).
    decided: int = 0
    approved: int = 0
    acknowledged: int = 0
    rejected: int = 0
    on_time: int = 0
    overdue: int = 0
    late_recorded: int = 0
    pending_within_due: int = 0
    pending_overdue: int = 0

    def add(self, other: DossierFigures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


FIGURE_NAMES = tuple(f.name for f in fields(DossierFigures))


def _ancestry(tree: UnitTree, code: str) -> list[str]:
    chain = [code]
    unit = tree.units.get(code)
    while unit is not None and unit.parent_code:
        chain.append(unit.parent_code)
        unit = tree.units.get(unit.parent_code)
    return chain


def dossier_sections(rows: Iterable[Any], catalogue: Catalogue, tree: UnitTree) -> dict[str, Any]:
    """Per procedure (every catalogued one, zeros included), per unit (each commune's figures
    also added to its district and province), the essential services with and without
    dossiers, and the totals. ``rows`` carry ``procedure_code``, ``unit_code`` and the
    :class:`DossierFigures` counters."""
    by_procedure: dict[str, DossierFigures] = {
        p.code: DossierFigures() for p in catalogue.procedures
    }
    by_unit: dict[str, DossierFigures] = {}
    total = DossierFigures()
    for r in rows:
        figures = DossierFigures(*(getattr(r, name) for name in FIGURE_NAMES))
        by_procedure.setdefault(r.procedure_code, DossierFigures()).add(figures)
        for code in _ancestry(tree, r.unit_code or "UNKNOWN"):
            by_unit.setdefault(code, DossierFigures()).add(figures)
        total.add(figures)
    essential = [
        {
            "code": p.code,
            "name_vi": p.name_vi,
            "notification": p.notification,
            "submitted": by_procedure[p.code].submitted,
            "has_dossiers": by_procedure[p.code].submitted > 0,
        }
        for p in catalogue.essential
    ]
    with_dossiers = sum(1 for e in essential if e["has_dossiers"])
    return {
        "totals": total.as_dict(),
        "by_procedure": {
            code: {"name_vi": catalogue.name_of(code), **f.as_dict()}
            for code, f in by_procedure.items()
        },
        "by_unit": {
            code: {**unit_label(tree, code), **f.as_dict()} for code, f in sorted(by_unit.items())
        },
        "essential_services": {
            "total": len(essential),
            "with_dossiers": with_dossiers,
            "without_dossiers": len(essential) - with_dossiers,
            "services": essential,
        },
    }


def unit_label(tree: UnitTree, code: str) -> dict[str, Any]:
    unit = tree.units.get(code)
    return {
        "name_vi": unit.name_vi if unit else code,
        "level": unit.level if unit else None,
        "parent_code": unit.parent_code if unit else None,
    }


def birth_section(rows: Iterable[Any], id_errors: Mapping[str, int]) -> dict[str, Any]:
    """Births by registration type and how many were recorded late; birth ID-number errors
    (the population registry's refusals) by category."""
    by_type = dict.fromkeys(BIRTH_TYPES, 0)
    registered = late_recorded = 0
    for r in rows:
        by_type[r.registration_type] = by_type.get(r.registration_type, 0) + r.n
        registered += r.n
        late_recorded += r.n if r.late_recorded else 0
    return {
        "registered": registered,
        "by_registration_type": by_type,
        "late_recorded": late_recorded,
        "id_number_errors": {
            "total": sum(id_errors.values()),
            "by_category": dict(sorted(id_errors.items())),
        },
    }


def names(catalogue: Catalogue, tree: UnitTree) -> dict[str, dict[str, str]]:
    """Vietnamese names for every procedure and unit code a report can show."""
    return {
        "procedures": {p.code: p.name_vi for p in catalogue.procedures},
        "units": {code: u.name_vi for code, u in tree.units.items()},
        "birth_registration_types": BIRTH_TYPE_NAMES_VI,
    }
