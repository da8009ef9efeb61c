"""Administrative units (đơn vị hành chính) of the province: province, districts, communes.

Why this exists: every dossier is received at a one-stop counter of one administrative
unit, and jurisdiction questions ("does this commune belong to the district whose police
must register the residence?", "which province's Department of Justice issues the
judicial-record certificate?") are questions about the unit hierarchy. The Project 06 report
notes that since the 2020 Residence Law officers may no longer ask citizens to prove where
they live, so jurisdiction must be looked up, not asked; this module is the look-up.

Units are identified by the General Statistics Office codes: 2 digits for a province,
3 for a district, 5 for a commune. The data lives in ``intake/data/units.yaml``.

Everything here is pure: :func:`load_units` reads one file and returns an immutable
:class:`UnitDirectory`; nothing happens at import.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

import yaml

__all__ = [
    "DEFAULT_UNITS_PATH",
    "AdministrativeLevel",
    "AdministrativeUnit",
    "UnitDirectory",
    "UnitError",
    "UnknownUnitError",
    "load_units",
    "parse_units",
]

DEFAULT_UNITS_PATH = Path(__file__).resolve().parent.parent / "data" / "units.yaml"


class AdministrativeLevel(StrEnum):
    """The three levels of local government that run one-stop counters."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"

    @property
    def code_length(self) -> int:
        """Number of digits of a GSO code at this level."""
        return _CODE_LENGTH[self]

    @property
    def parent_level(self) -> AdministrativeLevel | None:
        """The level directly above, or ``None`` for a province."""
        return _PARENT_LEVEL[self]


_CODE_LENGTH = {
    AdministrativeLevel.PROVINCE: 2,
    AdministrativeLevel.DISTRICT: 3,
    AdministrativeLevel.COMMUNE: 5,
}
_PARENT_LEVEL = {
    AdministrativeLevel.PROVINCE: None,
    AdministrativeLevel.DISTRICT: AdministrativeLevel.PROVINCE,
    AdministrativeLevel.COMMUNE: AdministrativeLevel.DISTRICT,
}


class UnitError(ValueError):
    """The unit data is malformed; the message names the offending unit."""


class UnknownUnitError(KeyError):
    """No unit has the requested code."""

    def __str__(self) -> str:
        return f"unknown administrative unit code {self.args[0]!r}"


@dataclass(frozen=True)
class AdministrativeUnit:
    """One province, district or commune.

    ``name_vi`` is the official name including its kind ("Xã Bình Thạnh",
    "Thị xã Đức Phổ"), in NFC-normalized Unicode. Names are not unique (two wards are
    called "Phường Nguyễn Nghiêm"); codes are.
    """

    code: str
    name_vi: str
    level: AdministrativeLevel
    parent_code: str | None

    def __post_init__(self) -> None:
        where = f"unit {self.code!r}"
        expected = self.level.code_length
        if not (self.code.isascii() and self.code.isdigit() and len(self.code) == expected):
            raise UnitError(f"{where}: a {self.level} code must be {expected} digits")
        if not self.name_vi.strip():
            raise UnitError(f"{where}: name_vi must not be empty")
        if not unicodedata.is_normalized("NFC", self.name_vi):
            raise UnitError(f"{where}: name_vi must be NFC-normalized Unicode")
        if self.level is AdministrativeLevel.PROVINCE:
            if self.parent_code is not None:
                raise UnitError(f"{where}: a province has no parent")
        elif self.parent_code is None:
            raise UnitError(f"{where}: a {self.level} must have a parent_code")


@dataclass(frozen=True)
class UnitDirectory:
    """An immutable, validated set of units forming a tree rooted at provinces.

    Construction checks that codes are unique, that every parent exists and that each
    unit's parent is exactly one level up (commune → district → province).
    """

    units: tuple[AdministrativeUnit, ...]
    source: str = ""
    _by_code: Mapping[str, AdministrativeUnit] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        by_code: dict[str, AdministrativeUnit] = {}
        for unit in self.units:
            if unit.code in by_code:
                raise UnitError(f"unit {unit.code!r}: duplicate code")
            by_code[unit.code] = unit
        for unit in self.units:
            if unit.parent_code is None:
                continue
            parent = by_code.get(unit.parent_code)
            if parent is None:
                raise UnitError(
                    f"unit {unit.code!r} ({unit.name_vi}): unknown parent_code {unit.parent_code!r}"
                )
            if parent.level is not unit.level.parent_level:
                raise UnitError(
                    f"unit {unit.code!r} ({unit.name_vi}): a {unit.level}'s parent must be a "
                    f"{unit.level.parent_level}, not the {parent.level} {parent.code!r}"
                )
        object.__setattr__(self, "_by_code", MappingProxyType(by_code))

    def get(self, code: str) -> AdministrativeUnit:
        """The unit with this code; raises :class:`UnknownUnitError` (a ``KeyError``)."""
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownUnitError(code) from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[AdministrativeUnit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def all(self) -> tuple[AdministrativeUnit, ...]:
        """Every unit, in file order."""
        return self.units

    def at_level(self, level: AdministrativeLevel) -> tuple[AdministrativeUnit, ...]:
        """Every unit at ``level``, in file order."""
        return tuple(unit for unit in self.units if unit.level is level)

    def children(self, code: str) -> tuple[AdministrativeUnit, ...]:
        """The units directly below ``code`` (districts of a province, communes of a district)."""
        self.get(code)
        return tuple(unit for unit in self.units if unit.parent_code == code)

    def parent_chain(self, code: str) -> tuple[AdministrativeUnit, ...]:
        """The unit itself followed by its ancestors, nearest first.

        For a commune: ``(commune, district, province)``; for a province: ``(province,)``.
        """
        chain = [self.get(code)]
        while (parent_code := chain[-1].parent_code) is not None:
            chain.append(self.get(parent_code))
        return tuple(chain)

    def contains(self, ancestor_code: str, code: str) -> bool:
        """Whether unit ``code`` lies within ``ancestor_code``.

        The relation is reflexive: every unit contains itself. Both codes must exist.
        """
        self.get(ancestor_code)
        return any(unit.code == ancestor_code for unit in self.parent_chain(code))

    def province_of(self, code: str) -> AdministrativeUnit:
        """The province a unit belongs to (the unit itself for a province)."""
        return self.parent_chain(code)[-1]


_UNIT_KEYS = frozenset({"code", "name_vi", "level", "parent_code"})


def parse_units(document: object) -> UnitDirectory:
    """Build a :class:`UnitDirectory` from the parsed YAML document (a mapping).

    Raises :class:`UnitError` naming the offending entry when the data is malformed.
    """
    if not isinstance(document, Mapping) or not isinstance(document.get("units"), list):
        raise UnitError("units file must be a mapping with a 'units' list")
    source = document.get("source", "")
    if not isinstance(source, str):
        raise UnitError("'source' must be a string")
    units: list[AdministrativeUnit] = []
    for index, entry in enumerate(document["units"], start=1):
        units.append(_parse_unit(index, entry))
    return UnitDirectory(units=tuple(units), source=source.strip())


def _parse_unit(index: int, entry: object) -> AdministrativeUnit:
    where = f"unit #{index}"
    if not isinstance(entry, Mapping):
        raise UnitError(f"{where}: must be a mapping")
    code = entry.get("code")
    if isinstance(code, str):
        where = f"unit #{index} {code!r}"
    unknown = set(entry) - _UNIT_KEYS
    if unknown:
        raise UnitError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    missing = _UNIT_KEYS - set(entry)
    if missing:
        raise UnitError(f"{where}: missing keys {sorted(missing)}")
    name_vi, level, parent_code = entry["name_vi"], entry["level"], entry["parent_code"]
    if not isinstance(code, str):
        raise UnitError(f"{where}: code must be a quoted string (leading zeros matter)")
    if not isinstance(name_vi, str):
        raise UnitError(f"{where}: name_vi must be a string")
    if parent_code is not None and not isinstance(parent_code, str):
        raise UnitError(f"{where}: parent_code must be a quoted string or null")
    try:
        parsed_level = AdministrativeLevel(level)
    except ValueError:
        allowed = ", ".join(AdministrativeLevel)
        raise UnitError(f"{where}: level must be one of {allowed}, got {level!r}") from None
    return AdministrativeUnit(
        code=code, name_vi=name_vi, level=parsed_level, parent_code=parent_code
    )


def load_units(path: str | os.PathLike[str] | None = None) -> UnitDirectory:
    """Read and validate a units file; defaults to the packaged ``data/units.yaml``."""
    file = Path(path) if path is not None else DEFAULT_UNITS_PATH
    document = yaml.safe_load(file.read_text(encoding="utf-8"))
    return parse_units(document)
