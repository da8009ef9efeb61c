"""The procedure catalogue as reporting needs it: Vietnamese names, the 25 essential services.

Why this exists: the Project 06 report lists the 25 essential public services of Decision
06/QĐ-TTg (Appendix I) and says which of them received dossiers ("11 without dossiers"), and
an officer reads procedures by their Vietnamese names, not by codes such as ``BIRTH_LINKED``.
Reporting keeps its own copy of the catalogue (services do not import each other); a unit
test keeps it equal to intake's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

CATALOGUE_FILE = Path(__file__).resolve().parents[1] / "data" / "procedures.yaml"


@dataclass(frozen=True)
class CataloguedProcedure:
    code: str
    name_vi: str
    essential: bool
    notification: bool


@dataclass(frozen=True)
class Catalogue:
    procedures: tuple[CataloguedProcedure, ...]

    @classmethod
    def from_yaml(cls, text: str) -> Catalogue:
        data = yaml.safe_load(text)
        return cls(
            tuple(
                CataloguedProcedure(
                    str(p["code"]),
                    str(p["name_vi"]),
                    bool(p.get("essential", False)),
                    bool(p.get("notification", False)),
                )
                for p in data["procedures"]
            )
        )

    @classmethod
    def load(cls) -> Catalogue:
        return cls.from_yaml(CATALOGUE_FILE.read_text("utf-8"))

    @property
    def essential(self) -> tuple[CataloguedProcedure, ...]:
        return tuple(p for p in self.procedures if p.essential)

    def name_of(self, code: str) -> str:
        for p in self.procedures:
            if p.code == code:
                return p.name_vi
        return code
