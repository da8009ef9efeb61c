"""The population register's model and pure rules.

Why this exists: the registry answers "who is this?" for identity and keeps its data
"đúng, đủ, sạch, sống" by applying civil-registry events. The rules that need no database —
the blocking key of the duplicate search, how a civil-status change maps onto a record,
reading the demo population file — live here and are tested without I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from lienthong.vn.id_numbers import IdNumberError, parse_cmnd, parse_id_number
from lienthong.vn.legacy_encodings import legacy_readings, repair_legacy_text
from lienthong.vn.names import name_key, normalize_name

DEMO_POPULATION = Path(__file__).parent.parent / "data" / "demo_population.yaml"
CHANGEABLE_FIELDS = frozenset({"full_name", "birth_date", "gender"})


class CitizenStatus(enum.Enum):
    ALIVE = "alive"
    DECEASED = "deceased"
    MERGED = "merged"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Citizen:
    id_number: str
    full_name: str
    birth_date: date
    gender: str
    status: CitizenStatus = CitizenStatus.ALIVE
    date_of_death: date | None = None
    mother_id_number: str | None = None
    father_id_number: str | None = None
    cmnd_numbers: tuple[str, ...] = field(default=())
    insurance_card: InsuranceCard | None = None
    birth_place_code: str | None = None


@dataclass(frozen=True)
class InsuranceCard:
    card_number: str
    valid_from: date
    valid_until: date
    ended_on: date | None = None

    def valid_on(self, day: date) -> bool:
        last = min(self.valid_until, self.ended_on) if self.ended_on else self.valid_until
        return self.valid_from <= day <= last


def block_key(full_name: str) -> str:
    """Blocking key of the duplicate search: the name key with its words sorted, so legacy
    encodings, tone placement, case, spacing and word order all fall in one block."""
    return " ".join(sorted(name_key(full_name).split()))


def family_key(full_name: str) -> str:
    """Second blocking key: the family name (first word) of the name key."""
    words = name_key(full_name).split()
    return words[0] if words else ""


def given_key(full_name: str) -> str:
    """Third blocking key: the given name (last word) of the name key."""
    words = name_key(full_name).split()
    return words[-1] if words else ""


@dataclass(frozen=True)
class DemographicKeys:
    """Blocking keys of a stated name for the demographic search: those of the name as
    detected and of its TCVN3 and VNI readings (legacy text that also spells valid Unicode,
    such as TCVN3 ``Cao Dòng`` for "Cao Dũng", is only found through its reading)."""

    block_keys: tuple[str, ...]
    family_keys: tuple[str, ...]
    given_keys: tuple[str, ...]


def demographic_keys(full_name: str) -> DemographicKeys:
    spellings = (full_name, *legacy_readings(full_name))
    return DemographicKeys(
        tuple(dict.fromkeys(block_key(s) for s in spellings)),
        tuple(dict.fromkeys(family_key(s) for s in spellings)),
        tuple(dict.fromkeys(given_key(s) for s in spellings)),
    )


def canonical_name(full_name: str) -> str:
    """The spelling the register keeps: legacy TCVN3/VNI repaired, then normalized."""
    return normalize_name(repair_legacy_text(full_name))


def swapped_day_month(value: date) -> date | None:
    """The date with day and month exchanged, when that is another valid date."""
    if value.day > 12 or value.day == value.month:
        return None
    return date(value.year, value.day, value.month)


def is_id_number(text: str) -> bool:
    return not isinstance(parse_id_number(text), IdNumberError)


def is_cmnd(text: str) -> bool:
    return not isinstance(parse_cmnd(text), IdNumberError)


def load_demo_population(path: Path = DEMO_POPULATION) -> tuple[Citizen, ...]:
    """The demo population file, validated (a bad entry names itself in the error)."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    citizens: list[Citizen] = []
    for index, entry in enumerate(raw["citizens"]):
        number = str(entry["id_number"])
        if not is_id_number(number):
            raise ValueError(f"{path.name}: citizens[{index}]: invalid id_number")
        aliases = tuple(str(c) for c in entry.get("cmnd", ()))
        if not all(is_cmnd(c) for c in aliases):
            raise ValueError(f"{path.name}: citizens[{index}]: invalid cmnd")
        gender = str(entry["gender"]).upper()
        if gender not in ("MALE", "FEMALE"):
            raise ValueError(f"{path.name}: citizens[{index}]: gender must be MALE or FEMALE")
        citizens.append(
            Citizen(
                id_number=number,
                full_name=canonical_name(str(entry["full_name"])),
                birth_date=entry["birth_date"],
                gender=gender,
                status=CitizenStatus[str(entry.get("status", "ALIVE")).upper()],
                date_of_death=entry.get("date_of_death"),
                mother_id_number=entry.get("mother_id_number"),
                father_id_number=entry.get("father_id_number"),
                cmnd_numbers=aliases,
                insurance_card=_card(entry.get("bhyt")),
                birth_place_code=entry.get("birth_place_code"),
            )
        )
    return tuple(citizens)


def _card(raw: dict[str, Any] | None) -> InsuranceCard | None:
    if raw is None:
        return None
    return InsuranceCard(str(raw["card_number"]), raw["valid_from"], raw["valid_until"])
