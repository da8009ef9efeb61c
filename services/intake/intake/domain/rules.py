"""Who may receive a dossier and who may act on it: unit-level rules, pure.

Why this exists: a one-stop counter may only receive procedures of its level, a deployment
serves some provinces, and an officer may only act on dossiers of the unit they serve (or of
the units below it, or, for a 2025 unit, of the legacy units it absorbed). All are decided
from the administrative units of ``lienthong.vn.units`` in the layout in force on the day,
without I/O.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from intake.domain.procedures import Procedure
from lienthong.vn.units import Layout, Level, Unit, UnitDirectory


def accepts(procedure: Procedure, unit: Unit) -> bool:
    """Whether a dossier of ``procedure`` may be received at ``unit``.

    A counter receives the procedures of its own level. The provincial public
    administration service centre also receives dossiers of lower levels on their behalf
    (receiving regardless of administrative boundary, Decree 107/2021/NĐ-CP amending
    Decree 61/2018); a commune never receives a province-only procedure. In the 2025
    layout there is no district level: communes receive what districts received
    (two-tier local government, Law 72/2025/QH15).
    """
    if unit.level is Level.PROVINCE or procedure.accepted_at(unit.level):
        return True
    return (
        unit.layout is Layout.REFORM_2025
        and unit.level is Level.COMMUNE
        and procedure.accepted_at(Level.DISTRICT)
    )


def served(
    units: UnitDirectory, served_provinces: Collection[str], unit_code: str, on: date, today: date
) -> bool:
    """Whether the deployment serves ``unit_code`` as recorded on ``on``.

    ``served_provinces`` are 2025 province codes (empty: the whole country); a unit recorded
    in the legacy layout is served when it lies in one of them today.
    """
    if not served_provinces:
        return True
    return any(
        units.covers(province, unit_code, today, unit_recorded_on=on)
        for province in served_provinces
    )


def may_act_on(officer_unit: str | None, dossier_unit: str, units: UnitDirectory, on: date) -> bool:
    """Whether an officer of ``officer_unit`` may act on ``on`` on a dossier handled at
    ``dossier_unit``: their unit's subtree in the layout in force, and for a 2025 unit the
    legacy units it absorbed (``UnitDirectory.covers``)."""
    if officer_unit is None:
        return False
    return units.covers(officer_unit, dossier_unit, on)


def units_within(unit_code: str, units: UnitDirectory, on: date) -> list[str]:
    """``unit_code`` first, then every recorded unit code its officers cover on ``on``."""
    return [unit_code, *sorted(units.scope_codes(unit_code, on) - {unit_code})]


def needs_acknowledgement_deadline(channel_is_online: bool) -> bool:
    """Online dossiers must be accepted, or returned for completion, within 8 working hours
    of receipt (Decree 45/2020/NĐ-CP, art. 17); a counter accepts on the spot."""
    return channel_is_online
