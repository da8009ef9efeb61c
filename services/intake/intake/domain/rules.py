"""Who may receive a dossier and who may act on it: unit-level rules, pure.

Why this exists: a one-stop counter may only receive procedures of its level, and an
officer may only act on dossiers of the unit they serve (or of the units below it). Both
are decided from the administrative-unit tree, without I/O.
"""

from __future__ import annotations

from intake.domain.procedures import Procedure
from intake.domain.units import AdministrativeLevel, UnitDirectory


def accepts(procedure: Procedure, unit_code: str, units: UnitDirectory) -> bool:
    """Whether a dossier of ``procedure`` may be received at ``unit_code``.

    A counter receives the procedures of its own level. The provincial public
    administration service centre also receives dossiers of lower levels on their behalf
    (receiving regardless of administrative boundary, Decree 107/2021/NĐ-CP amending
    Decree 61/2018); a commune never receives a province-only procedure.
    """
    unit = units.get(unit_code)
    return procedure.accepted_at(unit.level) or unit.level is AdministrativeLevel.PROVINCE


def may_act_on(officer_unit: str | None, dossier_unit: str, units: UnitDirectory) -> bool:
    """Whether an officer of ``officer_unit`` may act on a dossier handled at ``dossier_unit``.

    An officer acts on the dossiers of their own unit and of the units below it.
    """
    if officer_unit is None or officer_unit not in units or dossier_unit not in units:
        return False
    return units.contains(officer_unit, dossier_unit)


def units_within(unit_code: str, units: UnitDirectory) -> list[str]:
    """``unit_code`` and every unit below it (its districts and their communes)."""
    found = [unit_code]
    frontier = [unit_code]
    while frontier:
        below = [u.code for code in frontier for u in units.children(code)]
        found.extend(below)
        frontier = below
    return found


def needs_acknowledgement_deadline(channel_is_online: bool) -> bool:
    """Online dossiers must be accepted, or returned for completion, within 8 working hours
    of receipt (Decree 45/2020/NĐ-CP, art. 17); a counter accepts on the spot."""
    return channel_is_online
