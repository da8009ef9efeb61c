"""Catalog of administrative procedures (thủ tục hành chính) and their legal deadlines.

Why this exists: a dossier is always an application for one procedure, and what the intake
service must know about that procedure — which agency answers for it, which documents make
the dossier complete, how many working days the law allows, which one-stop counters may
receive it, whether it starts a linked bundle (birth, death, civil-status change) — is
reference data, not code. The Project 06 report could not fill its templates because nothing
counted linked procedures; a stable procedure code on every event is what makes counting
possible.

The data lives in ``intake/data/procedures.yaml``: the 25 essential services of Decision
06/QĐ-TTg plus the procedures the linked bundles need. Loading validates every entry and
names the offending one in the error. Processing times the law does not state plainly are
marked ``assumed`` so they can be found and corrected.

Everything here is pure: :func:`load_procedures` reads one file and returns an immutable
:class:`ProcedureCatalog`; nothing happens at import.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import yaml

from lienthong.vn.units import Level
from lienthong.vn.working_time import TimeUnit

__all__ = [
    "DEFAULT_PROCEDURES_PATH",
    "Agency",
    "Bundle",
    "CatalogError",
    "Procedure",
    "ProcedureCatalog",
    "ProcessingTime",
    "RequiredDocument",
    "TimeSource",
    "TimeUnit",
    "UnknownProcedureError",
    "load_procedures",
    "missing_documents",
    "parse_procedures",
]

DEFAULT_PROCEDURES_PATH = Path(__file__).resolve().parent.parent / "data" / "procedures.yaml"

_E = TypeVar("_E", bound=StrEnum)
_CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")


class Agency(StrEnum):
    """Agencies that receive dossiers or act on them."""

    POLICE = "POLICE"  # Công an: identity, residence, passports, vehicles, seals
    JUSTICE = "JUSTICE"  # Tư pháp: civil registry (hộ tịch), judicial records
    BHXH = "BHXH"  # Bảo hiểm xã hội: social and health insurance
    LDTBXH = "LDTBXH"  # Lao động - Thương binh và Xã hội: welfare, employment
    TAX = "TAX"  # Thuế
    TRANSPORT = "TRANSPORT"  # Giao thông vận tải
    EDUCATION = "EDUCATION"  # Giáo dục và Đào tạo
    TNMT = "TNMT"  # Tài nguyên và Môi trường: land registration
    EVN = "EVN"  # Tập đoàn Điện lực Việt Nam: electricity supply


class Bundle(StrEnum):
    """Linked bundles (liên thông): one submission driving procedures at several agencies."""

    BIRTH = "BIRTH"
    DEATH = "DEATH"
    CIVIL_STATUS_CHANGE = "CIVIL_STATUS_CHANGE"


class TimeSource(StrEnum):
    """Where a processing time comes from."""

    STATUTORY = "statutory"  # stated by the legal basis cited in ``Procedure.source``
    ASSUMED = "assumed"  # a plausible figure awaiting confirmation


class CatalogError(ValueError):
    """The procedure data is malformed; the message names the offending entry."""


class UnknownProcedureError(KeyError):
    """No procedure has the requested code."""

    def __str__(self) -> str:
        return f"unknown procedure code {self.args[0]!r}"


@dataclass(frozen=True)
class ProcessingTime:
    """A legal processing time, counted in working days or working hours.

    See :mod:`lienthong.vn.working_time` for how it turns into an appointment date.
    """

    amount: int
    unit: TimeUnit
    source: TimeSource = TimeSource.STATUTORY

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise CatalogError(
                f"processing time amount must be a positive int, got {self.amount!r}"
            )

    @property
    def is_assumed(self) -> bool:
        """True when the figure is a placeholder rather than the law's."""
        return self.source is TimeSource.ASSUMED


@dataclass(frozen=True)
class RequiredDocument:
    """One component of a dossier (thành phần hồ sơ).

    ``required`` is False for documents needed only in some cases (a power of attorney when
    someone files on the applicant's behalf, for instance).
    """

    code: str
    name_vi: str
    required: bool = True


@dataclass(frozen=True)
class Procedure:
    """One administrative procedure as the platform accepts it."""

    code: str
    name_vi: str
    name_en: str
    agency: Agency
    processing_time: ProcessingTime
    online_level: int
    required_documents: tuple[RequiredDocument, ...]
    bundle: Bundle | None
    levels: tuple[Level, ...]
    source: str
    essential: bool = False
    #: A notification (stay notification, temporary absence) is acknowledged, not decided:
    #: the acknowledgement closes it with the outcome ACKNOWLEDGED.
    notification: bool = False
    #: Received by the province of the applicant's residence, looked up in the residence
    #: register's facts (judicial-record certificates: Law on Judicial Records 2009, Art. 45).
    routed_by_residence: bool = False
    participating_agencies: tuple[Agency, ...] = ()

    def __post_init__(self) -> None:
        if not self.participating_agencies:
            object.__setattr__(self, "participating_agencies", (self.agency,))
        elif self.agency not in self.participating_agencies:
            raise CatalogError(
                f"procedure {self.code!r}: participating_agencies must include the agency "
                f"{self.agency}"
            )

    @property
    def is_linked(self) -> bool:
        """True when a submission starts a linked bundle across agencies."""
        return self.bundle is not None

    def document(self, code: str) -> RequiredDocument:
        """The dossier component with this code; raises ``KeyError``."""
        for document in self.required_documents:
            if document.code == code:
                return document
        raise KeyError(f"procedure {self.code!r} has no document {code!r}")

    def accepted_at(self, level: Level) -> bool:
        """Whether a one-stop counter at this administrative level may receive it."""
        return level in self.levels


@dataclass(frozen=True)
class ProcedureCatalog:
    """An immutable, validated set of procedures with unique codes, in file order."""

    procedures: tuple[Procedure, ...]
    _by_code: Mapping[str, Procedure] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_code: dict[str, Procedure] = {}
        for procedure in self.procedures:
            if procedure.code in by_code:
                raise CatalogError(f"procedure {procedure.code!r}: duplicate code")
            by_code[procedure.code] = procedure
        object.__setattr__(self, "_by_code", MappingProxyType(by_code))

    def get(self, code: str) -> Procedure:
        """The procedure with this code.

        Unlike ``dict.get`` this never returns ``None``: an unknown code raises
        :class:`UnknownProcedureError` (a ``KeyError``). Use ``code in catalog`` to test.
        """
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownProcedureError(code) from None

    def all(self) -> tuple[Procedure, ...]:
        """Every procedure, in file order."""
        return self.procedures

    def essential(self) -> tuple[Procedure, ...]:
        """The essential services of Decision 06/QĐ-TTg."""
        return tuple(p for p in self.procedures if p.essential)

    def in_bundle(self, bundle: Bundle) -> tuple[Procedure, ...]:
        """Procedures whose submission starts ``bundle``."""
        return tuple(p for p in self.procedures if p.bundle is bundle)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self.procedures)

    def __len__(self) -> int:
        return len(self.procedures)


def missing_documents(
    procedure: Procedure, provided_codes: Iterable[str]
) -> list[RequiredDocument]:
    """Required documents of ``procedure`` not among ``provided_codes``, in catalog order.

    Optional documents (``required=False``) are never reported missing, and provided codes
    the procedure does not know are ignored.
    """
    provided = set(provided_codes)
    return [d for d in procedure.required_documents if d.required and d.code not in provided]


# --- loading -------------------------------------------------------------------------------

_PROCEDURE_KEYS = frozenset(
    {
        "code",
        "name_vi",
        "name_en",
        "agency",
        "participating_agencies",
        "processing_time",
        "online_level",
        "required_documents",
        "bundle",
        "levels",
        "essential",
        "notification",
        "routed_by_residence",
        "source",
    }
)
_OPTIONAL_PROCEDURE_KEYS = frozenset(
    {"participating_agencies", "essential", "notification", "routed_by_residence"}
)
_TIME_KEYS = frozenset({"amount", "unit", "source"})
_DOCUMENT_KEYS = frozenset({"code", "name_vi", "required"})


def parse_procedures(document: object) -> ProcedureCatalog:
    """Build a :class:`ProcedureCatalog` from the parsed YAML document (a mapping).

    Raises :class:`CatalogError` naming the entry (by position and code) and the field.
    """
    if not isinstance(document, Mapping) or not isinstance(document.get("procedures"), list):
        raise CatalogError("procedures file must be a mapping with a 'procedures' list")
    entries = document["procedures"]
    procedures = tuple(_parse_procedure(i, entry) for i, entry in enumerate(entries, start=1))
    return ProcedureCatalog(procedures=procedures)


def load_procedures(path: str | os.PathLike[str] | None = None) -> ProcedureCatalog:
    """Read and validate a procedures file; defaults to the packaged ``data/procedures.yaml``."""
    file = Path(path) if path is not None else DEFAULT_PROCEDURES_PATH
    document = yaml.safe_load(file.read_text(encoding="utf-8"))
    return parse_procedures(document)


def _parse_procedure(index: int, entry: object) -> Procedure:
    where = f"procedure #{index}"
    if not isinstance(entry, Mapping):
        raise CatalogError(f"{where}: must be a mapping")
    if isinstance(entry.get("code"), str):
        where = f"procedure #{index} {entry['code']!r}"
    _check_keys(entry, _PROCEDURE_KEYS, _PROCEDURE_KEYS - _OPTIONAL_PROCEDURE_KEYS, where)

    code = _code(entry["code"], f"{where}: code")
    agency = _enum(Agency, entry["agency"], f"{where}: agency")
    participants_raw = entry.get("participating_agencies", [])
    if not isinstance(participants_raw, list):
        raise CatalogError(f"{where}: participating_agencies must be a list")
    participants = tuple(
        _enum(Agency, a, f"{where}: participating_agencies") for a in participants_raw
    )
    if participants and agency not in participants:
        raise CatalogError(f"{where}: participating_agencies must include the agency {agency}")

    online_level = entry["online_level"]
    if online_level not in (3, 4) or isinstance(online_level, bool):
        raise CatalogError(f"{where}: online_level must be 3 or 4, got {online_level!r}")

    bundle_raw = entry["bundle"]
    bundle = None if bundle_raw is None else _enum(Bundle, bundle_raw, f"{where}: bundle")

    levels_raw = entry["levels"]
    if not isinstance(levels_raw, list) or not levels_raw:
        raise CatalogError(f"{where}: levels must be a non-empty list")
    levels = tuple(_enum(Level, lv, f"{where}: levels") for lv in levels_raw)
    if len(set(levels)) != len(levels):
        raise CatalogError(f"{where}: levels contains duplicates")

    essential = entry.get("essential", False)
    if not isinstance(essential, bool):
        raise CatalogError(f"{where}: essential must be true or false")
    notification = entry.get("notification", False)
    if not isinstance(notification, bool):
        raise CatalogError(f"{where}: notification must be true or false")
    routed_by_residence = entry.get("routed_by_residence", False)
    if not isinstance(routed_by_residence, bool):
        raise CatalogError(f"{where}: routed_by_residence must be true or false")

    return Procedure(
        code=code,
        name_vi=_text(entry["name_vi"], f"{where}: name_vi"),
        name_en=_text(entry["name_en"], f"{where}: name_en"),
        agency=agency,
        processing_time=_parse_time(entry["processing_time"], f"{where}: processing_time"),
        online_level=online_level,
        required_documents=_parse_documents(entry["required_documents"], where),
        bundle=bundle,
        levels=levels,
        source=_text(entry["source"], f"{where}: source"),
        essential=essential,
        notification=notification,
        routed_by_residence=routed_by_residence,
        participating_agencies=participants,
    )


def _parse_time(raw: object, where: str) -> ProcessingTime:
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{where}: must be a mapping with amount, unit and source")
    _check_keys(raw, _TIME_KEYS, _TIME_KEYS, where)
    amount = raw["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise CatalogError(f"{where}.amount: must be a positive integer, got {amount!r}")
    return ProcessingTime(
        amount=amount,
        unit=_enum(TimeUnit, raw["unit"], f"{where}.unit"),
        source=_enum(TimeSource, raw["source"], f"{where}.source"),
    )


def _parse_documents(raw: object, where: str) -> tuple[RequiredDocument, ...]:
    if not isinstance(raw, list):
        raise CatalogError(f"{where}: required_documents must be a list")
    documents: list[RequiredDocument] = []
    seen: set[str] = set()
    for position, item in enumerate(raw, start=1):
        at = f"{where}: required_documents #{position}"
        if not isinstance(item, Mapping):
            raise CatalogError(f"{at}: must be a mapping")
        _check_keys(item, _DOCUMENT_KEYS, _DOCUMENT_KEYS, at)
        code = _code(item["code"], f"{at}.code")
        if code in seen:
            raise CatalogError(f"{at}: duplicate document code {code!r}")
        seen.add(code)
        required = item["required"]
        if not isinstance(required, bool):
            raise CatalogError(f"{at}.required: must be true or false")
        documents.append(
            RequiredDocument(
                code=code, name_vi=_text(item["name_vi"], f"{at}.name_vi"), required=required
            )
        )
    return tuple(documents)


def _check_keys(
    raw: Mapping[object, object], allowed: frozenset[str], needed: frozenset[str], where: str
) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise CatalogError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    missing = needed - set(raw)
    if missing:
        raise CatalogError(f"{where}: missing keys {sorted(missing)}")


def _code(raw: object, where: str) -> str:
    if not isinstance(raw, str) or not _CODE_PATTERN.fullmatch(raw):
        raise CatalogError(f"{where}: must be an ASCII UPPER_SNAKE_CASE code, got {raw!r}")
    return raw


def _text(raw: object, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise CatalogError(f"{where}: must be a non-empty string")
    if not unicodedata.is_normalized("NFC", raw):
        raise CatalogError(f"{where}: must be NFC-normalized Unicode")
    return raw.strip()


def _enum(kind: type[_E], raw: object, where: str) -> _E:
    members = {str(member): member for member in kind}
    if isinstance(raw, str) and raw in members:
        return members[raw]
    raise CatalogError(f"{where}: must be one of {', '.join(members)}, got {raw!r}")
