"""Administrative units of Vietnam (đơn vị hành chính), as of any date, in both layouts.

Why this exists: every dossier is received at the counter of one administrative unit, the
registration province of a new ID number is the province of that unit, officers act on the
dossiers of their unit's subtree and every Project 06 figure is reported per unit. Since
1 July 2025 Vietnam has 34 provinces and no district level, while records from before carry
the 63-province, three-tier codes. This module answers, for a General Statistics Office
code and a date: which unit it was then (name, type, level, parent, province), what lies
below it, and how legacy units and 2025 units map onto each other.

Data: the ``vietnamadminunits`` package (MIT) ships the legacy layout with GSO codes (the
last snapshot before the reform), the 2025 layout (its codes are the official list of
Decision 19/2025/QĐ-TTg) and the legacy → 2025 conversion table. Its data files are read
directly (the package's own ``import`` parses several megabytes of address-parser tables
that are not needed here). The library's legacy data is one late snapshot; communes merged
between the 2022 Project 06 reports and the reform come from ``units_supplement.csv`` beside
this file, one sourced line per change (ADR 0110).

Codes repeat across layouts (a 2025 ward keeps the code of one of the communes it absorbed:
21211 is the legacy commune Tịnh Khê before 1 July 2025 and the 2025 commune Tịnh Khê
after), so every question carries a date. Nothing is read at import: :func:`units` builds
the directory once, on first use, and every index is built then.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path
from typing import Final, Literal

__all__ = [
    "LAYOUT_2022",
    "LAYOUT_PRE_REFORM",
    "REFORM_DATE",
    "UNKNOWN_UNIT_REASON",
    "Layout",
    "Level",
    "Unit",
    "UnitDirectory",
    "UnitRefusal",
    "day_in_vietnam",
    "layout_in_force",
    "units",
]

UNKNOWN_UNIT_REASON: Final = "UNKNOWN_ADMINISTRATIVE_UNIT"
"""The machine-readable reason every agency gives when it refuses an unknown unit code."""
REFORM_DATE: Final = date(2025, 7, 1)
"""The two-tier, 34-province layout is in force from this day (Resolution 202/2025/QH15)."""
LAYOUT_2022: Final = date(2022, 6, 21)
"""The date of the Project 06 six-month report, whose figures use the 2022 layout."""
LAYOUT_PRE_REFORM: Final = date(2025, 6, 30)
"""The last day of the three-tier layout."""

SUPPLEMENT_PATH: Final = Path(__file__).with_name("units_supplement.csv")
_LIBRARY: Final = "vietnamadminunits"


class Layout(StrEnum):
    """Which administrative layout a unit belongs to."""

    LEGACY = "legacy"
    """63 provinces, districts, communes (before 1 July 2025)."""
    REFORM_2025 = "2025"
    """34 provinces and communes, no district level (from 1 July 2025)."""


class Level(StrEnum):
    """Province, district (legacy layout only) or commune-level unit (xã, phường, thị trấn,
    đặc khu)."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


def layout_in_force(on: date) -> Layout:
    """The layout in force on a day."""
    return Layout.REFORM_2025 if on >= REFORM_DATE else Layout.LEGACY


_VIETNAM_TIME: Final = timezone(timedelta(hours=7), "ICT")


def day_in_vietnam(moment: datetime) -> date:
    """The calendar day in Vietnam (UTC+7, no daylight saving) of an instant: the day whose
    layout applies to an event (an event at 23:30 UTC on 30 June 2025 is on 1 July)."""
    if moment.tzinfo is None:
        raise ValueError("an instant must carry its time zone")
    return moment.astimezone(_VIETNAM_TIME).date()


@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit of one layout.

    ``name`` is the official name with its type ("Xã Tịnh Khê", "Thành phố Quảng Ngãi"),
    as of the date it was looked up; ``unit_type`` the type alone ("Xã"). ``valid_until`` is
    the first day the unit no longer exists (``None``: still in force); ``valid_from`` the
    first day it exists, where known.
    """

    code: str
    name: str
    unit_type: str
    level: Level
    layout: Layout
    parent_code: str | None
    province_code: str
    valid_from: date | None = None
    valid_until: date | None = None

    def in_force(self, on: date) -> bool:
        """Whether the unit exists on ``on``."""
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.valid_until is None or on < self.valid_until


RefusalReason = Literal["UNKNOWN_UNIT", "NOT_IN_FORCE"]


@dataclass(frozen=True, slots=True)
class UnitRefusal:
    """Why a code names no unit on a date; ``successors`` are the units in force on that
    date that the code became (empty for an unknown code)."""

    code: str
    reason: RefusalReason
    message: str
    successors: tuple[Unit, ...] = ()


_TYPES: Final = frozenset(
    {"Thành phố", "Thị xã", "Thị trấn", "Đặc khu", "Tỉnh", "Quận", "Huyện", "Phường", "Xã"}
)


def _unit_type(name: str) -> str:
    words = name.split(" ", 2)
    if words[0] in _TYPES:
        return words[0]
    two = " ".join(words[:2])
    return two if two in _TYPES else ""


@dataclass(frozen=True)
class _Rename:
    until: date
    name: str


@dataclass
class UnitDirectory:
    """Every unit of both layouts, with the legacy → 2025 mapping; immutable once built."""

    legacy: Mapping[str, Unit]
    current: Mapping[str, Unit]
    renames: Mapping[str, tuple[_Rename, ...]]
    successors: Mapping[str, tuple[str, ...]]
    """Legacy commune (or ward-less district) → the 2025 communes it became, main one first."""
    absorbed_into: Mapping[str, str]
    """Legacy commune dissolved before the reform → the legacy commune it merged into."""
    _children: dict[tuple[Layout, str], list[str]] = field(default_factory=dict, repr=False)
    _predecessors: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for table in (self.legacy, self.current):
            for unit in table.values():
                if unit.parent_code is not None:
                    self._children.setdefault((unit.layout, unit.parent_code), []).append(unit.code)
        for legacy_code, wards in self.successors.items():
            for ward in wards:
                self._predecessors.setdefault(ward, []).append(legacy_code)
        for dissolved, into in self.absorbed_into.items():
            for ward in self.successors.get(into, ()):
                self._predecessors.setdefault(ward, []).append(dissolved)

    # -- look-up -------------------------------------------------------------------------

    def get(self, code: str, on: date) -> Unit | None:
        """The unit with this code in the layout in force on ``on``, or ``None``."""
        found = self.lookup(code, on)
        return found if isinstance(found, Unit) else None

    def lookup(self, code: str, on: date) -> Unit | UnitRefusal:
        """The unit with this code on ``on``, or why there is none (naming what it became)."""
        layout = layout_in_force(on)
        unit = self._table(layout).get(code)
        if unit is not None and unit.in_force(on):
            return self._named(unit, on)
        legacy = self.legacy.get(code)
        if layout is Layout.REFORM_2025 and legacy is not None:
            wards = tuple(self.current[w] for w in self.successor_codes(code))
            return UnitRefusal(
                code=code,
                reason="NOT_IN_FORCE",
                message=(
                    f"{legacy.name} ({code}) belongs to the layout before 1 July 2025; "
                    "use the 2025 unit it became"
                ),
                successors=wards,
            )
        if unit is not None and unit.valid_until is not None and on >= unit.valid_until:
            into = self.absorbed_into.get(code)
            merged = (self._named(self.legacy[into], on),) if into else ()
            return UnitRefusal(
                code=code,
                reason="NOT_IN_FORCE",
                message=f"{unit.name} ({code}) was dissolved on {unit.valid_until.isoformat()}",
                successors=merged,
            )
        return UnitRefusal(
            code=code,
            reason="UNKNOWN_UNIT",
            message=f"{code!r} is not an administrative unit code in force on {on.isoformat()}",
        )

    def known(self, code: str) -> bool:
        """Whether ``code`` names a unit of either layout at any date this directory holds
        (what an agency checks on a code recorded by another service, whose date it
        may not know)."""
        return code in self.legacy or code in self.current

    def province_code(self, code: str, on: date) -> str | None:
        """The province code of a recorded unit code: read in the layout in force on
        ``on``, else in the other layout (a legacy code recorded before the reform still
        names its legacy province); ``None`` for an unknown code."""
        unit = self.get(code, on) or self.legacy.get(code) or self.current.get(code)
        return unit.province_code if unit is not None else None

    def province_of(self, code: str, on: date) -> Unit | None:
        """The province of the unit ``code`` on ``on`` (the unit itself for a province)."""
        unit = self.get(code, on)
        if unit is None:
            return None
        return self._named(self._table(unit.layout)[unit.province_code], on)

    def ancestors(self, code: str, on: date) -> tuple[Unit, ...]:
        """The unit followed by its parents, nearest first (empty if unknown on ``on``)."""
        unit = self.get(code, on)
        chain: list[Unit] = []
        while unit is not None:
            chain.append(unit)
            parent = unit.parent_code
            unit = self._named(self._table(unit.layout)[parent], on) if parent else None
        return tuple(chain)

    def children(self, code: str, on: date) -> tuple[Unit, ...]:
        """The units directly below ``code`` on ``on``."""
        unit = self.get(code, on)
        if unit is None:
            return ()
        table = self._table(unit.layout)
        below = (table[c] for c in self._children.get((unit.layout, code), ()))
        return tuple(self._named(u, on) for u in below if u.in_force(on))

    def subtree(self, code: str, on: date) -> frozenset[str]:
        """``code`` and every unit below it, in the layout in force on ``on``."""
        unit = self.get(code, on)
        if unit is None:
            return frozenset()
        return frozenset(
            c
            for c in self._descendants(unit.layout, code)
            if self._table(unit.layout)[c].in_force(on)
        )

    def iter_units(
        self, on: date, level: Level | None = None, province_code: str | None = None
    ) -> Iterator[Unit]:
        """Every unit in force on ``on``, optionally of one level and one province."""
        for unit in self._table(layout_in_force(on)).values():
            if level is not None and unit.level is not level:
                continue
            if province_code is not None and unit.province_code != province_code:
                continue
            if unit.in_force(on):
                yield self._named(unit, on)

    # -- legacy <-> 2025 ---------------------------------------------------------------

    def successor_codes(self, legacy_code: str) -> tuple[str, ...]:
        """The 2025 communes a legacy unit became (main one first); for a legacy district or
        province, every 2025 commune its communes became."""
        return _successors(self, legacy_code)

    def successors_of(self, legacy_code: str) -> tuple[Unit, ...]:
        """The 2025 units a legacy unit became, as units."""
        return tuple(self.current[c] for c in self.successor_codes(legacy_code))

    def predecessors_of(self, code_2025: str) -> tuple[Unit, ...]:
        """The legacy communes (and ward-less districts) a 2025 unit absorbed; for a 2025
        province, those of all its communes."""
        return tuple(self.legacy[c] for c in _predecessor_codes(self, code_2025))

    def to_2025(self, code: str, recorded_on: date) -> Unit | None:
        """The finest 2025 unit that a figure recorded at ``code`` on ``recorded_on`` is
        counted in when re-aggregated onto today's units.

        A 2025 unit is itself. A legacy commune goes to the main commune it became (a commune
        split between several goes whole to the one the conversion table names first, so
        that totals are kept). A legacy district or province goes to the single 2025 commune
        it became, else to the single 2025 province, else ``None`` (it spans provinces).
        """
        unit = self.get(code, recorded_on)
        if unit is None:
            return None
        if unit.layout is Layout.REFORM_2025:
            return unit
        wards = self.successor_codes(code)
        if not wards:
            return None
        if unit.level is Level.COMMUNE or len(wards) == 1:
            return self.current[wards[0]]
        provinces = {self.current[w].province_code for w in wards}
        return self.current[provinces.pop()] if len(provinces) == 1 else None

    # -- officer scopes ------------------------------------------------------------------

    def covers(
        self, scope_code: str, unit_code: str, on: date, *, unit_recorded_on: date | None = None
    ) -> bool:
        """Whether an officer of ``scope_code`` covers unit ``unit_code`` on ``on``.

        The scope is the subtree of the officer's unit in the layout in force on ``on``. An
        officer of a 2025 unit also covers the legacy communes it absorbed, wholly or in part
        (a dossier recorded in 2022 at legacy commune 21211 is covered by the 2025 commune
        Tịnh Khê and by its province), and the legacy districts and provinces that lie
        wholly within the scope; an officer of a legacy unit covers the 2025 units that lie
        wholly within it. ``unit_recorded_on`` pins the layout in which ``unit_code`` is read
        (the day it was recorded); without it both readings count, since codes repeat.
        """
        scope = self.get(scope_code, on)
        if scope is None:
            return False
        tree = _descendants(self, scope.layout, scope_code)
        readings = (
            (layout_in_force(unit_recorded_on),)
            if unit_recorded_on is not None
            else (Layout.LEGACY, Layout.REFORM_2025)
        )
        for reading in readings:
            if unit_code not in self._table(reading):
                continue
            if reading is scope.layout:
                if unit_code in tree:
                    return True
            elif reading is Layout.LEGACY:
                if self._legacy_within(unit_code, tree):
                    return True
            elif self._current_within(unit_code, tree):
                return True
        return False

    def scope_codes(self, scope_code: str, on: date) -> frozenset[str]:
        """Every code, of either layout, that :meth:`covers` accepts for ``scope_code`` on
        ``on``: the filter for a query over recorded unit codes (empty for an unknown scope).
        """
        return _scope_codes(self, scope_code, on)

    def _legacy_within(self, legacy_code: str, tree_2025: frozenset[str]) -> bool:
        wards = self.successor_codes(legacy_code)
        if not wards:
            return False
        if legacy_code in self.successors or legacy_code in self.absorbed_into:
            return any(w in tree_2025 for w in wards)  # a commune, absorbed wholly or in part
        return all(w in tree_2025 for w in wards)

    def _current_within(self, code_2025: str, legacy_tree: frozenset[str]) -> bool:
        before = _predecessor_codes(self, code_2025)
        return bool(before) and all(c in legacy_tree for c in before)

    # -- internals -----------------------------------------------------------------------

    def _table(self, layout: Layout) -> Mapping[str, Unit]:
        return self.legacy if layout is Layout.LEGACY else self.current

    def _named(self, unit: Unit, on: date) -> Unit:
        for rename in self.renames.get(unit.code, ()) if unit.layout is Layout.LEGACY else ():
            if on < rename.until:
                return replace(unit, name=rename.name, unit_type=_unit_type(rename.name))
        return unit

    def _descendants(self, layout: Layout, code: str) -> frozenset[str]:
        return _descendants(self, layout, code)

    def __hash__(self) -> int:
        return id(self)


@lru_cache(maxsize=4096)
def _descendants(directory: UnitDirectory, layout: Layout, code: str) -> frozenset[str]:
    found = {code}
    frontier = [code]
    while frontier:
        below = [c for parent in frontier for c in directory._children.get((layout, parent), ())]
        found.update(below)
        frontier = below
    return frozenset(found)


@lru_cache(maxsize=4096)
def _predecessor_codes(directory: UnitDirectory, code_2025: str) -> tuple[str, ...]:
    if code_2025 not in directory.current:
        return ()
    codes: list[str] = []
    for ward in sorted(_descendants(directory, Layout.REFORM_2025, code_2025)):
        codes.extend(directory._predecessors.get(ward, ()))
    return tuple(dict.fromkeys(codes))


@lru_cache(maxsize=1024)
def _scope_codes(directory: UnitDirectory, scope_code: str, on: date) -> frozenset[str]:
    scope = directory.get(scope_code, on)
    if scope is None:
        return frozenset()
    tree = _descendants(directory, scope.layout, scope_code)
    found = set(tree)
    if scope.layout is Layout.REFORM_2025:
        absorbed = {c for ward in tree for c in directory._predecessors.get(ward, ())}
        found |= absorbed
        above = {parent for code in absorbed for parent in _legacy_parents(directory, code)}
        found |= {c for c in above if directory._legacy_within(c, tree)}
    else:
        became = {w for c in tree for w in directory.successor_codes(c)}
        provinces = {directory.current[w].province_code for w in became}
        found |= {c for c in became | provinces if directory._current_within(c, tree)}
    return frozenset(found)


def _legacy_parents(directory: UnitDirectory, code: str) -> Iterator[str]:
    parent = directory.legacy[code].parent_code
    while parent is not None:
        yield parent
        parent = directory.legacy[parent].parent_code


@lru_cache(maxsize=4096)
def _successors(directory: UnitDirectory, legacy_code: str) -> tuple[str, ...]:
    direct = directory.successors.get(legacy_code)
    if direct is not None:
        return direct
    into = directory.absorbed_into.get(legacy_code)
    if into is not None:
        return directory.successors.get(into, ())
    if legacy_code not in directory.legacy:
        return ()
    codes: list[str] = []
    for below in sorted(_descendants(directory, Layout.LEGACY, legacy_code)):
        codes.extend(directory.successors.get(below, ()))
        into = directory.absorbed_into.get(below)
        if into is not None:
            codes.extend(directory.successors.get(into, ()))
    return tuple(dict.fromkeys(codes))


# -- building ------------------------------------------------------------------------------


def _library_dir() -> Path:
    spec = importlib.util.find_spec(_LIBRARY)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {_LIBRARY} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def units() -> UnitDirectory:
    """The directory of every unit, built on first use and shared by the process."""
    return build_directory(_library_dir(), SUPPLEMENT_PATH)


def build_directory(library_dir: Path, supplement: Path) -> UnitDirectory:
    """Read the library's dataset and conversion table plus the supplement."""
    db = sqlite3.connect(f"file:{library_dir / 'data' / 'dataset.db'}?mode=ro", uri=True)
    try:
        legacy_rows = db.execute(
            "SELECT province, provinceCode, provinceKey, district, districtCode, districtKey,"
            " ward, wardCode, wardKey FROM admin_units_legacy"
        ).fetchall()
        current_rows = db.execute(
            "SELECT province, provinceCode, provinceKey, ward, wardCode, wardKey FROM admin_units"
        ).fetchall()
    finally:
        db.close()
    legacy: dict[str, Unit] = {}
    legacy_keys: dict[str, str] = {}
    until = REFORM_DATE
    for p_name, p_code, p_key, d_name, d_code, d_key, w_name, w_code, w_key in legacy_rows:
        if p_code not in legacy:
            legacy[p_code] = _unit(
                p_code, p_name, Level.PROVINCE, Layout.LEGACY, None, p_code, until
            )
        if d_code not in legacy:
            legacy[d_code] = _unit(
                d_code, d_name, Level.DISTRICT, Layout.LEGACY, p_code, p_code, until
            )
        if w_code:
            legacy[w_code] = _unit(
                w_code, w_name, Level.COMMUNE, Layout.LEGACY, d_code, p_code, until
            )
            legacy_keys[f"{p_key}_{d_key}_{w_key}"] = w_code
        else:
            legacy_keys[f"{p_key}_{d_key}_"] = d_code
    current: dict[str, Unit] = {}
    current_keys: dict[tuple[str, str], str] = {}
    since = REFORM_DATE
    for p_name, p_code, p_key, w_name, w_code, w_key in current_rows:
        if p_code not in current:
            current[p_code] = _unit(
                p_code, p_name, Level.PROVINCE, Layout.REFORM_2025, None, p_code, None, since
            )
        current[w_code] = _unit(
            w_code, w_name, Level.COMMUNE, Layout.REFORM_2025, p_code, p_code, None, since
        )
        current_keys[(p_key, w_key)] = w_code
    successors = _conversion(library_dir, legacy_keys, current_keys)
    renames, absorbed = _apply_supplement(supplement, legacy)
    return UnitDirectory(
        legacy=legacy,
        current=current,
        renames={code: tuple(sorted(r, key=lambda x: x.until)) for code, r in renames.items()},
        successors=successors,
        absorbed_into=absorbed,
    )


def _unit(
    code: str,
    name: str,
    level: Level,
    layout: Layout,
    parent: str | None,
    province: str,
    until: date | None,
    since: date | None = None,
) -> Unit:
    return Unit(code, name, _unit_type(name), level, layout, parent, province, since, until)


def _conversion(
    library_dir: Path, legacy_keys: Mapping[str, str], current_keys: Mapping[tuple[str, str], str]
) -> dict[str, tuple[str, ...]]:
    data = json.loads((library_dir / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = defaultdict(list)
    for province_key, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            new = current_keys[(province_key, ward_key)]
            for old in old_keys:
                found[legacy_keys[old]].append(new)
    for province_key, splits in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in splits.items():
            ordered = sorted(targets, key=lambda t: not t["isDefaultNewWard"])
            found[legacy_keys[old]].extend(
                current_keys[(province_key, t["newWardKey"])] for t in ordered
            )
    return {code: tuple(dict.fromkeys(wards)) for code, wards in found.items()}


def _apply_supplement(
    path: Path, legacy: dict[str, Unit]
) -> tuple[dict[str, list[_Rename]], dict[str, str]]:
    renames: dict[str, list[_Rename]] = defaultdict(list)
    absorbed: dict[str, str] = {}
    for row in _rows(path):
        until = date.fromisoformat(row["until"])
        code, parent = row["code"], row["parent_code"]
        if row["change"] == "renamed":
            renames[code].append(_Rename(until, row["name"]))
        elif row["change"] == "dissolved":
            province = legacy[parent].province_code
            legacy[code] = _unit(
                code, row["name"], Level(row["level"]), Layout.LEGACY, parent, province, until
            )
            absorbed[code] = row["into_code"]
        else:
            raise ValueError(f"{path.name}: unknown change {row['change']!r} for {code}")
    return renames, absorbed


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)
