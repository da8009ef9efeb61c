"""Rows of a population extract: what a province's population database hands over, checked
before anything is stored (pure: no I/O).

Why this exists: a real deployment does not start from the demo population but from an
extract of the National Population Database (CSV or an Avro stream). A row that cannot be
trusted — a malformed number, a number whose century, year or gender digit contradicts the
birth date and gender it travels with, a birth date in the future, a missing name — is
refused with a stable reason and counted, never stored and never a reason to stop the load.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from lienthong.vn.id_numbers import IdNumberError, check_consistency, parse_cmnd, parse_id_number
from population_registry.domain.model import block_key, family_key, given_key

#: The columns of a CSV extract and the fields of an Avro extract record, in order.
COLUMNS = (
    "id_number",
    "full_name",
    "birth_date",
    "gender",
    "date_of_death",
    "mother_id_number",
    "father_id_number",
    "birth_place_code",
    "cmnd_number",
)
REQUIRED = ("id_number", "full_name", "birth_date", "gender")
GENDERS = {"MALE": "MALE", "FEMALE": "FEMALE", "NAM": "MALE", "NU": "FEMALE", "NỮ": "FEMALE"}


@dataclass(frozen=True)
class ExtractedCitizen:
    """A citizen row ready to store, with the blocking keys of the duplicate search."""

    id_number: str
    full_name: str
    birth_date: date
    gender: str
    date_of_death: date | None
    mother_id_number: str | None
    father_id_number: str | None
    birth_place_code: str | None
    cmnd_number: str | None
    block_key: str
    family_key: str
    given_key: str


@dataclass(frozen=True)
class Refused:
    reason: str


def _text(raw: Mapping[str, object], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: object) -> date | Refused | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return Refused("DATE_MALFORMED")


def check_row(raw: Mapping[str, object], today: date) -> ExtractedCitizen | Refused:
    """The citizen a row describes, or why it is refused."""
    for key in REQUIRED:
        if _text(raw, key) is None:
            return Refused(f"{key.upper()}_MISSING")
    parsed = parse_id_number(str(_text(raw, "id_number")))
    if isinstance(parsed, IdNumberError):
        return Refused(f"ID_NUMBER_{parsed.code}")
    gender = GENDERS.get(str(_text(raw, "gender")).upper())
    if gender is None:
        return Refused("GENDER_UNKNOWN")
    birth_date = _date(raw.get("birth_date"))
    if isinstance(birth_date, Refused) or birth_date is None:
        return Refused("BIRTH_DATE_MALFORMED")
    if birth_date > today:
        return Refused("BIRTH_DATE_IN_FUTURE")
    contradictions = check_consistency(parsed, birth_date, gender)
    if contradictions:
        return Refused(f"ID_NUMBER_{contradictions[0].code}")
    death = _date(raw.get("date_of_death"))
    if isinstance(death, Refused):
        return Refused("DATE_OF_DEATH_MALFORMED")
    if death is not None and (death < birth_date or death > today):
        return Refused("DATE_OF_DEATH_IMPOSSIBLE")
    parents: list[str | None] = []
    for key in ("mother_id_number", "father_id_number"):
        text = _text(raw, key)
        if text is not None and isinstance(parse_id_number(text), IdNumberError):
            return Refused(f"{key.upper()}_MALFORMED")
        parents.append(text)
    cmnd = _text(raw, "cmnd_number")
    if cmnd is not None:
        checked = parse_cmnd(cmnd)
        if not isinstance(checked, str):
            return Refused("CMND_NUMBER_MALFORMED")
        cmnd = checked
    name = " ".join(unicodedata.normalize("NFC", str(_text(raw, "full_name"))).split())
    return ExtractedCitizen(
        id_number=parsed.number,
        full_name=name,
        birth_date=birth_date,
        gender=gender,
        date_of_death=death,
        mother_id_number=parents[0],
        father_id_number=parents[1],
        birth_place_code=_text(raw, "birth_place_code"),
        cmnd_number=cmnd,
        block_key=block_key(name),
        family_key=family_key(name),
        given_key=given_key(name),
    )
