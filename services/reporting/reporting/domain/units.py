"""The unit dimension of every figure: how a fact's recorded unit code resolves into
province / district / commune, in the layout of the fact's day or on today's 2025 units.

Why this exists: facts carry the unit code a service recorded on the fact's day (legacy
three-tier codes before 1 July 2025, 2025 codes after; codes repeat across layouts), while a
report asks "per district of 2022" or "the 2022 figures, by today's communes". This module is
the one place that answers both, over ``lienthong.vn.units`` (ADR 0110, ADR 0113); every
figure of the reporting service rolls up through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property

from lienthong.vn.units import (
    LAYOUT_PRE_REFORM,
    REFORM_DATE,
    Layout,
    Level,
    UnitDirectory,
    units,
)


class Target(StrEnum):
    """Onto which units figures are rolled up."""

    RECORDED = "recorded"
    """The layout in force on each fact's day (legacy districts for 2022 facts)."""
    REFORM_2025 = "2025"
    """Today's units: legacy facts re-aggregated onto the 2025 commune they became."""


@dataclass(frozen=True)
class Unit:
    """A unit as reports label it: code, Vietnamese name, level, parent."""

    code: str
    name_vi: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class UnitCount:
    """``n`` facts recorded at ``code`` on days of ``layout``."""

    code: str | None
    layout: Layout
    n: int


@dataclass(frozen=True)
class RolledUp:
    """Counts per unit of one level, the total, and what could not be placed at that level
    (a fact recorded at a province counter has no district), so totals always agree."""

    target: Target
    level: Level
    counts: Mapping[str, int]
    names: Mapping[str, str]
    unallocated: int

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.unallocated


class UnitTree:
    """The units a reporting deployment labels and filters by (its provinces, both layouts),
    and the roll-up of counts onto either layout."""

    def __init__(
        self,
        directory: UnitDirectory,
        provinces: Iterable[str] = ("51",),
        today: date | None = None,
    ) -> None:
        self.directory = directory
        self.provinces = tuple(provinces)
        self.today = today or date.today()

    @classmethod
    def load(cls, provinces: Iterable[str] = ("51",)) -> UnitTree:
        """Over the shared units directory; ``provinces`` are 2025 province codes."""
        return cls(units(), provinces)

    @cached_property
    def units(self) -> Mapping[str, Unit]:
        """Every unit of the deployment's provinces: their legacy units (names of the last
        pre-reform day) and their 2025 units; a code of both layouts keeps its legacy
        parent, so "district of" answers for legacy facts."""
        d = self.directory
        found: dict[str, Unit] = {}
        for code in self.provinces:
            for u in d.iter_units(REFORM_DATE, province_code=code):
                found[u.code] = Unit(u.code, u.name, u.level.value, u.parent_code)
            legacy = {p.province_code for p in d.predecessors_of(code)}
            for province in sorted(legacy):
                for u in d.iter_units(LAYOUT_PRE_REFORM, province_code=province):
                    found[u.code] = Unit(u.code, u.name, u.level.value, u.parent_code)
            for code_ in d.absorbed_into:
                unit = d.legacy[code_]
                if unit.province_code in legacy:
                    found[code_] = Unit(code_, unit.name, unit.level.value, unit.parent_code)
        return found

    def knows(self, code: str) -> bool:
        return self.directory.known(code)

    def with_descendants(self, code: str) -> list[str]:
        """Every recorded code whose facts count under ``code``: its subtree in its layout
        (today's if in force today, else the last pre-reform one) and the units of the
        other layout it covers (``UnitDirectory.scope_codes``)."""
        d = self.directory
        on = self.today if d.get(code, self.today) is not None else LAYOUT_PRE_REFORM
        codes = set(d.scope_codes(code, on))
        if code in d.legacy and on is not LAYOUT_PRE_REFORM:
            codes |= d.scope_codes(code, LAYOUT_PRE_REFORM)
        return sorted(codes or {code})

    def district_of(self, code: str) -> str:
        """The legacy district of a legacy commune code; any other code itself."""
        unit = self.directory.legacy.get(code)
        if unit is not None and unit.level is Level.COMMUNE and unit.parent_code:
            return unit.parent_code
        return code

    def name_of(self, code: str) -> str:
        """The Vietnamese name of a code (2025 name if the code is in force today)."""
        d = self.directory
        unit = d.get(code, self.today) or d.get(code, LAYOUT_PRE_REFORM) or d.legacy.get(code)
        return unit.name if unit is not None else code

    def roll_up(
        self,
        counts: Iterable[UnitCount],
        level: Level,
        target: Target,
        name_on: date = LAYOUT_PRE_REFORM,
    ) -> RolledUp:
        """Counts per unit of ``level`` in ``target``'s layout.

        Recorded: each fact at the ancestor of its unit at that level in the layout of its
        day. 2025: a legacy fact at the 2025 unit it became (``UnitDirectory.to_2025``: a
        commune split between several counts whole in the main one), then up to the
        level. Facts that have no unit at that level count as unallocated. Legacy units
        are named as of ``name_on`` (clipped to the last pre-reform day).
        """
        if target is Target.REFORM_2025 and level is Level.DISTRICT:
            raise ValueError("the 2025 layout has no district level")
        legacy_day = min(name_on, LAYOUT_PRE_REFORM)
        totals: dict[str, int] = {}
        names: dict[str, str] = {}
        unallocated = 0
        for c in counts:
            placed = self._place(c, level, target, legacy_day) if c.code else None
            if placed is None:
                unallocated += c.n
                continue
            code, name = placed
            totals[code] = totals.get(code, 0) + c.n
            names[code] = name
        return RolledUp(target, level, dict(sorted(totals.items())), names, unallocated)

    def _place(
        self, c: UnitCount, level: Level, target: Target, legacy_day: date
    ) -> tuple[str, str] | None:
        d = self.directory
        assert c.code is not None
        table = d.legacy if c.layout is Layout.LEGACY else d.current
        unit = table.get(c.code)
        if unit is None:
            return None
        if target is Target.REFORM_2025 and unit.layout is Layout.LEGACY:
            until = unit.valid_until or REFORM_DATE
            became = d.to_2025(c.code, date.fromordinal(until.toordinal() - 1))
            if became is None:
                return None
            unit = became
        while unit.level is not level:
            if unit.parent_code is None:
                return None
            parent = (d.legacy if unit.layout is Layout.LEGACY else d.current)[unit.parent_code]
            if _rank(parent.level) < _rank(level):
                return None
            unit = parent
        if _rank(unit.level) != _rank(level):
            return None
        name_day = REFORM_DATE if unit.layout is Layout.REFORM_2025 else legacy_day
        named = d.get(unit.code, name_day)
        if named is not None and named.layout is unit.layout:
            return unit.code, named.name
        return unit.code, unit.name


def _rank(level: Level) -> int:
    return {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}[level]
