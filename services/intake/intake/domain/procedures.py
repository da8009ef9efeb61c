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
from typing import Annotated, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

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


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("must be a non-empty string")
    if not unicodedata.is_normalized("NFC", raw):
        raise ValueError("must be NFC-normalized Unicode")
    return raw.strip()


_Text = Annotated[str, AfterValidator(_text)]


def _code(raw: str) -> str:
    if not _CODE_PATTERN.fullmatch(raw):
        raise ValueError(f"must be an ASCII UPPER_SNAKE_CASE code, got {raw!r}")
    return raw


_Code = Annotated[str, AfterValidator(_code)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _TimeEntry(_Entry):
    amount: Annotated[StrictInt, Field(ge=1)]
    unit: TimeUnit
    source: TimeSource


class _DocumentEntry(_Entry):
    code: _Code
    name_vi: _Text
    required: StrictBool


class ProcedureEntry(_Entry):
    """One entry of ``procedures.yaml`` as written; :meth:`procedure` is the domain object."""

    code: _Code
    name_vi: _Text
    name_en: _Text
    agency: Agency
    participating_agencies: list[Agency] = []
    processing_time: _TimeEntry
    online_level: Literal[3, 4]
    required_documents: list[_DocumentEntry]
    bundle: Bundle | None
    levels: Annotated[list[Level], Field(min_length=1)]
    source: _Text
    essential: StrictBool = False
    notification: StrictBool = False
    routed_by_residence: StrictBool = False

    @field_validator("levels")
    @classmethod
    def _levels_once_each(cls, levels: list[Level]) -> list[Level]:
        if len(set(levels)) != len(levels):
            raise ValueError("contains duplicates")
        return levels

    @field_validator("required_documents")
    @classmethod
    def _document_codes_once_each(cls, documents: list[_DocumentEntry]) -> list[_DocumentEntry]:
        seen: set[str] = set()
        for document in documents:
            if document.code in seen:
                raise ValueError(f"duplicate document code {document.code!r}")
            seen.add(document.code)
        return documents

    @model_validator(mode="after")
    def _agency_participates(self) -> ProcedureEntry:
        if self.participating_agencies and self.agency not in self.participating_agencies:
            raise ValueError(f"participating_agencies must include the agency {self.agency}")
        return self

    def procedure(self) -> Procedure:
        time = self.processing_time
        return Procedure(
            code=self.code,
            name_vi=self.name_vi,
            name_en=self.name_en,
            agency=self.agency,
            processing_time=ProcessingTime(time.amount, time.unit, time.source),
            online_level=self.online_level,
            required_documents=tuple(
                RequiredDocument(d.code, d.name_vi, d.required) for d in self.required_documents
            ),
            bundle=self.bundle,
            levels=tuple(self.levels),
            source=self.source,
            essential=self.essential,
            notification=self.notification,
            routed_by_residence=self.routed_by_residence,
            participating_agencies=tuple(self.participating_agencies),
        )


def parse_procedures(document: object) -> ProcedureCatalog:
    """Build a :class:`ProcedureCatalog` from the parsed YAML document (a mapping).

    Raises :class:`CatalogError` naming the entry (by position and code) and every field
    found wrong in it, one a line.
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
    try:
        return ProcedureEntry.model_validate(entry).procedure()
    except ValidationError as exc:
        raise CatalogError("\n".join(f"{where}: {p}" for p in _problems(exc))) from None


def _field(loc: tuple[int | str, ...]) -> str:
    """``("required_documents", 0, "code")`` → ``required_documents #1.code``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f" #{part + 1}"
        else:
            text += f".{part}" if text else part
    return text


def _at(field: str) -> str:
    return f"{field}: " if field else ""


def _problems(exc: ValidationError) -> list[str]:
    """The catalogue's wording of a validation error: unknown and missing keys grouped by
    where they are, then each field's problem with the value found."""
    unknown: dict[str, list[str]] = {}
    missing: dict[str, list[str]] = {}
    problems: list[str] = []
    for error in exc.errors():
        loc = error["loc"]
        parent = _field(loc[:-1])
        if error["type"] == "extra_forbidden":
            unknown.setdefault(parent, []).append(str(loc[-1]))
        elif error["type"] == "missing":
            missing.setdefault(parent, []).append(str(loc[-1]))
        else:
            # the union "Bundle | None" reports the enum under the member's name
            loc = tuple(p for p in loc if p not in ("enum", "is-instance[Bundle]"))
            message = str(error["msg"]).removeprefix("Value error, ")
            value = "" if error["type"] == "value_error" else f", got {error['input']!r}"
            problems.append(_at(_field(loc)) + message + value)
    grouped = [f"{_at(at)}unknown keys {sorted(keys)}" for at, keys in unknown.items()]
    grouped += [f"{_at(at)}missing keys {sorted(keys)}" for at, keys in missing.items()]
    return list(dict.fromkeys(grouped + problems))
